import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { DueKind, Recurrence } from '@zhezi/plan';
import { AssignmentRole } from '@zhezi/task';
import { DraftTaskIssue, type UnitSource } from './draft-units';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

@ObjectType('DraftMilestone', { description: '草稿中的时间节点' })
export class DraftMilestone {
  @Field()
  title!: string;

  @Field()
  dueAt!: Date;
}

@ObjectType('UnitSuggestion', { description: '建议的承办单位及其得分' })
export class UnitSuggestion {
  @Field(() => ID)
  orgUnitId!: string;

  @Field(() => AssignmentRole, { description: '建议作为牵头单位或配合单位' })
  role!: AssignmentRole;

  @Field(() => Float, { description: '得分，越高越相关' })
  score!: number;

  @Field(() => [String], { description: '命中的关键词' })
  keywords!: string[];
}

/** jsonb keeps dates as ISO text; the entity hands out Dates. */
const milestonesColumn = {
  to: (value: DraftMilestone[] | undefined) =>
    value?.map((m) => ({ title: m.title, dueAt: m.dueAt.toISOString() })),
  from: (value: { title: string; dueAt: string }[] | null) =>
    (value ?? []).map((m) => ({ title: m.title, dueAt: new Date(m.dueAt) })),
};

/**
 * A task as the leader prepares it from a plan's measures or an imported table: nothing on any unit's list
 * until a DECOMPOSITION approval publishes it. Published drafts keep the task they became, which makes
 * publishing again a no-op for them.
 */
@ObjectType('DraftTask', { description: '任务分解草稿：审定后成为任务并交办' })
@Entity('draft_task')
export class DraftTask {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid')
  planId!: string;

  @Field(() => Int, { description: '在草稿中的次序' })
  @Column('int')
  position!: number;

  @Field({ description: '序号' })
  @Column()
  code!: string;

  @Field({ description: '任务名称' })
  @Column()
  title!: string;

  @Field({ description: '任务内容 / 具体措施' })
  @Column({ default: '' })
  description!: string;

  @Field(() => [ID], { description: '来自的规划措施（合并后可有多个）' })
  @Column('uuid', { array: true, default: () => "'{}'" })
  targetIds!: string[];

  /** Usually one; a joint lead (两个牵头单位) is written as two. */
  @Field(() => [ID])
  @Column('uuid', { array: true, default: () => "'{}'" })
  leadUnitIds!: string[];

  @Field(() => [ID])
  @Column('uuid', { array: true, default: () => "'{}'" })
  supportUnitIds!: string[];

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  responsibleLeaderId!: string | null;

  @Field({ description: '完成时限（长期任务为规划期末，不计逾期）' })
  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  @Field(() => DueKind, { description: '完成时限类型：日期、长期（不计逾期）、周期性' })
  @Column({ type: 'varchar', default: DueKind.DATE })
  dueKind!: DueKind;

  @Field(() => Recurrence, { nullable: true, description: '周期性时限的周期' })
  @Column({ type: 'varchar', nullable: true })
  recurrence!: Recurrence | null;

  @Field(() => [DraftMilestone])
  @Column('jsonb', { default: [], transformer: milestonesColumn })
  milestones!: DraftMilestone[];

  @Field(() => [UnitSuggestion], { description: '系统建议的承办单位（按得分排序）' })
  @Column('jsonb', { default: [] })
  suggestions!: UnitSuggestion[];

  /** Unit id → where the unit came from (see DraftTask.units). */
  @Column('jsonb', { default: {} })
  unitSources!: Record<string, UnitSource>;

  @Field(() => [DraftTaskIssue], {
    description: '原文中未能确定的单位或责任领导（如“相关街道”）：指定后消除；有未消除的不能提交审定',
  })
  @Column('jsonb', { default: [] })
  issues!: DraftTaskIssue[];

  @Field(() => ID, { nullable: true, description: '发布后生成的任务' })
  @Column('uuid', { nullable: true })
  taskId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Field(() => Int, { description: '乐观锁版本号：修改时须回传' })
  @VersionColumn()
  version!: number;
}
