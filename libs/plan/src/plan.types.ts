import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsDate,
  IsEnum,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ConnectionType, OptionalTextField, TitleField } from '@zhezi/core';
import { IndicatorKind } from './indicator.entity';
import { Plan, PlanKind } from './plan.entity';
import { TargetLevel } from './target.entity';

export const PlanConnection = ConnectionType(Plan, 'Plan');

@InputType()
export class CreatePlanInput {
  @TitleField({ description: '标题（1–200字）' })
  title!: string;

  @Field(() => PlanKind)
  @IsEnum(PlanKind)
  kind!: PlanKind;

  @Field()
  @IsDate()
  periodStart!: Date;

  @Field()
  @IsDate()
  periodEnd!: Date;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;
}

@InputType()
export class IndicatorInput {
  @Field()
  @IsString()
  @Length(1, 100)
  name!: string;

  @Field(() => IndicatorKind, { defaultValue: IndicatorKind.EXPECTED })
  @IsEnum(IndicatorKind)
  kind!: IndicatorKind;

  @Field({ defaultValue: '' })
  @IsString()
  @MaxLength(20)
  unit!: string;

  @Field({ defaultValue: '' })
  @IsString()
  @MaxLength(20)
  comparator!: string;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber()
  baselineValue?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1949)
  @Max(2100)
  baselineYear?: number;

  @Field(() => Float)
  @IsNumber()
  targetValue!: number;

  @Field(() => Int)
  @IsInt()
  @Min(1949)
  @Max(2100)
  targetYear!: number;
}

@InputType()
export class CreateTargetInput {
  @Field(() => ID)
  @IsUUID()
  planId!: string;

  @Field(() => ID, { nullable: true, description: '上级节点；为空则为顶层' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @Field(() => TargetLevel)
  @IsEnum(TargetLevel)
  level!: TargetLevel;

  @Field({ nullable: true, description: '编号，如“第一章”' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  number?: string;

  @Field()
  @IsString()
  @Length(1, 500)
  title!: string;

  @OptionalTextField()
  body?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsDate()
  dueAt?: Date;

  @Field(() => [IndicatorInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => IndicatorInput)
  indicators?: IndicatorInput[];
}
