import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { EscalationAction, Recipient } from './escalation-policy.entity';

@InputType()
export class EscalationLevelInput {
  @Field(() => Int, { nullable: true, description: '相对完成时限的工作日数（与 offsetDuration 二选一）' })
  @IsOptional()
  @IsInt()
  @Min(-60)
  @Max(120)
  offsetWorkdays?: number | null;

  @Field(() => String, { nullable: true, description: 'ISO 8601 时长，如 PT30M、-PT2H' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  offsetDuration?: string | null;

  @Field(() => EscalationAction)
  @IsEnum(EscalationAction)
  action!: EscalationAction;

  @Field(() => [Recipient])
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @IsEnum(Recipient, { each: true })
  recipients!: Recipient[];

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  repeatWorkdays?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  repeatDuration?: string | null;
}

@InputType()
export class CreateEscalationPolicyInput {
  @Field()
  @IsString()
  @Length(1, 100)
  name!: string;

  @Field({ defaultValue: '' })
  @IsString()
  @MaxLength(1000)
  description!: string;

  @Field(() => [EscalationLevelInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => EscalationLevelInput)
  levels!: EscalationLevelInput[];

  @Field(() => Int, { defaultValue: 3, description: '督办单答复时限（工作日）' })
  @IsInt()
  @Min(1)
  @Max(30)
  noticeResponseWorkdays!: number;
}

@InputType()
export class UpdateEscalationPolicyInput {
  @Field(() => ID)
  @IsUUID()
  id!: string;

  @Field(() => Int, { description: '读取时的乐观锁版本号' })
  @IsInt()
  @Min(1)
  version!: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @Field(() => [EscalationLevelInput], {
    nullable: true,
    description: '修改级次会生成新版本；进行中的分工不受影响',
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => EscalationLevelInput)
  levels?: EscalationLevelInput[];

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  noticeResponseWorkdays?: number;

  @Field({ nullable: true, description: '设为默认流程' })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;
}
