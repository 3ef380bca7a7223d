import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsNumber, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ConnectionType } from '@zhezi/core';
import { decimal, Indicator } from '@zhezi/plan';

@ObjectType('IndicatorValue', { description: '指标的年度报送值' })
@Entity('indicator_value')
export class IndicatorValue {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  indicatorId!: string;

  @Field(() => Int)
  @Column('int')
  year!: number;

  @Field(() => Float)
  @Column('numeric', { transformer: decimal })
  value!: number;

  @Field()
  @Column({ default: '' })
  note!: string;

  @Column('uuid')
  reportedById!: string;

  @Field()
  @Column({ type: 'timestamptz' })
  reportedAt!: Date;
}

@ObjectType({ description: '指标看板的一行：目标、基期、最新值，是否按线性进度达标' })
export class IndicatorStatus {
  @Field(() => Indicator)
  indicator!: Indicator;

  @Field({ description: '所属目标（章/节/条/措施）' })
  targetTitle!: string;

  @Field(() => IndicatorValue, { nullable: true, description: '最新报送值' })
  latest!: IndicatorValue | null;

  @Field(() => Float, { nullable: true, description: '按基期到目标年的线性进度，报送年份应达到的值' })
  expected!: number | null;

  @Field(() => Boolean, { nullable: true, description: '是否达到线性进度（未报送为空）' })
  onTrack!: boolean | null;
}

export const IndicatorStatusConnection = ConnectionType(IndicatorStatus, 'IndicatorStatus');

@InputType()
export class ReportIndicatorValueInput {
  @Field(() => ID)
  @IsUUID()
  indicatorId!: string;

  @Field(() => Int)
  @Min(1949)
  @Max(2200)
  year!: number;

  @Field(() => Float)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value!: number;

  @Field({ nullable: true, defaultValue: '' })
  @MaxLength(500)
  note!: string;
}
