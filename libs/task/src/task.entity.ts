import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DueKind, Recurrence } from '@zhezi/plan';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

/** Derived from the task's assignments (see deriveTaskState), never set by hand. */
export enum TaskStatus {
  UNASSIGNED = 'UNASSIGNED',
  ASSIGNED = 'ASSIGNED',
  IN_PROGRESS = 'IN_PROGRESS',
  CLOSED = 'CLOSED',
  SUSPENDED = 'SUSPENDED',
}

registerEnumType(TaskStatus, {
  name: 'TaskStatus',
  valuesMap: {
    UNASSIGNED: { description: '待交办' },
    ASSIGNED: { description: '已交办，待签收' },
    IN_PROGRESS: { description: '推进中' },
    CLOSED: { description: '已销号（牵头单位全部销号）' },
    SUSPENDED: { description: '已暂停' },
  },
});

export enum TaskPriority {
  NORMAL = 'NORMAL',
  HIGH = 'HIGH',
  URGENT = 'URGENT',
}

registerEnumType(TaskPriority, {
  name: 'TaskPriority',
  valuesMap: {
    NORMAL: { description: '一般' },
    HIGH: { description: '重点' },
    URGENT: { description: '紧急' },
  },
});

@ObjectType('Task', { description: '任务（折子）' })
@Entity('task')
export class Task {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid')
  planId!: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  targetId!: string | null;

  @Field({ description: '序号 / 编号，在规划内唯一' })
  @Column()
  code!: string;

  @Field()
  @Column()
  title!: string;

  @Field({ description: '任务内容 / 具体措施' })
  @Column({ default: '' })
  description!: string;

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

  @Field(() => ID, { nullable: true, description: '选用的督办流程（为空时用默认流程）' })
  @Column('uuid', { nullable: true })
  escalationPolicyId!: string | null;

  @Field(() => TaskPriority)
  @Column({ type: 'varchar', default: TaskPriority.NORMAL })
  priority!: TaskPriority;

  @Field(() => TaskStatus)
  @Column({ type: 'varchar', default: TaskStatus.UNASSIGNED })
  status!: TaskStatus;

  @Field(() => Int, { description: '进度（0–100）：牵头单位进度的平均' })
  @Column('smallint', { default: 0 })
  progressPercent!: number;

  @Column('uuid', { nullable: true })
  createdById!: string | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Field(() => Int, { description: '乐观锁版本号：修改时须回传' })
  @VersionColumn()
  version!: number;
}
