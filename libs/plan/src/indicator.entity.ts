import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Recurrence } from './due-kind.graphql';

export enum IndicatorKind {
  BINDING = 'BINDING',
  EXPECTED = 'EXPECTED',
}

registerEnumType(IndicatorKind, {
  name: 'IndicatorKind',
  valuesMap: { BINDING: { description: '约束性' }, EXPECTED: { description: '预期性' } },
});

/** `numeric` columns arrive from pg as strings; indicator values are well within a double. */
export const decimal = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@ObjectType('Indicator', { description: '量化指标' })
@Entity('indicator')
export class Indicator {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid')
  targetId!: string;

  @Field({ description: '指标名称，如“城市绿化覆盖率”' })
  @Column()
  name!: string;

  @Field(() => IndicatorKind)
  @Column({ type: 'varchar' })
  kind!: IndicatorKind;

  @Field({ description: '计量单位，如“%”“万人”' })
  @Column({ default: '' })
  unit!: string;

  @Field({ description: '比较方式，如“达到”“以内”“不低于”' })
  @Column({ default: '' })
  comparator!: string;

  @Field(() => Float, { nullable: true })
  @Column('numeric', { nullable: true, transformer: decimal })
  baselineValue!: number | null;

  @Field(() => Int, { nullable: true })
  @Column('int', { nullable: true })
  baselineYear!: number | null;

  @Field(() => Float)
  @Column('numeric', { transformer: decimal })
  targetValue!: number;

  @Field(() => Int)
  @Column('int')
  targetYear!: number;

  @Field({ description: '原文表述，如“城市绿化覆盖率达53%”' })
  @Column({ default: '' })
  phrase!: string;

  @Field(() => Recurrence, { nullable: true, description: '周期性目标（如“每年不少于…”）的周期' })
  @Column({ type: 'varchar', nullable: true })
  recurrence!: Recurrence | null;

  /** Order within its target, as entered or as written in the plan. */
  @Column('int', { default: 0 })
  position!: number;
}
