import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DueKind } from '@zhezi/plan';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

export enum AssignmentRole {
  LEAD = 'LEAD',
  SUPPORT = 'SUPPORT',
}

registerEnumType(AssignmentRole, {
  name: 'AssignmentRole',
  valuesMap: { LEAD: { description: '牵头单位' }, SUPPORT: { description: '配合单位' } },
});

export enum AssignmentStatus {
  ASSIGNED = 'ASSIGNED',
  ACCEPTED = 'ACCEPTED',
  IN_PROGRESS = 'IN_PROGRESS',
  CLOSE_OUT_REQUESTED = 'CLOSE_OUT_REQUESTED',
  CLOSED = 'CLOSED',
  RETURNED = 'RETURNED',
  SUSPENDED = 'SUSPENDED',
}

registerEnumType(AssignmentStatus, {
  name: 'AssignmentStatus',
  valuesMap: {
    ASSIGNED: { description: '已交办，待签收' },
    ACCEPTED: { description: '已签收' },
    IN_PROGRESS: { description: '推进中' },
    CLOSE_OUT_REQUESTED: { description: '销号审批中' },
    CLOSED: { description: '已销号' },
    RETURNED: { description: '销号申请被退回，继续推进' },
    SUSPENDED: { description: '已暂停' },
  },
});

/** A unit's share of a task, on that unit's own list. A department may split its share among subdistricts. */
@ObjectType('Assignment', { description: '责任分解：某单位承办的任务' })
@Entity('assignment')
export class Assignment {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid')
  taskId!: string;

  @Field(() => ID)
  @Column('uuid')
  orgUnitId!: string;

  @Field(() => AssignmentRole)
  @Column({ type: 'varchar' })
  role!: AssignmentRole;

  @Field(() => ID, { nullable: true, description: '上级分工（部门分解给街镇时）' })
  @Column('uuid', { nullable: true })
  parentId!: string | null;

  @Field({ description: '本单位完成时限' })
  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  @Field(() => DueKind, { description: '完成时限类型（随任务）：长期的不计逾期，显示为“长期”' })
  @Column({ type: 'varchar', default: DueKind.DATE })
  dueKind!: DueKind;

  @Field(() => Date, { nullable: true, description: '延期前的原完成时限（未延期为空）' })
  @Column({ type: 'timestamptz', nullable: true })
  originalDueAt!: Date | null;

  @Field(() => Int, { description: '已批准的延期次数' })
  @Column('int', { default: 0 })
  extensionCount!: number;

  @Field(() => AssignmentStatus)
  @Column({ type: 'varchar', default: AssignmentStatus.ASSIGNED })
  status!: AssignmentStatus;

  /** Where RESUME returns to. */
  @Column({ type: 'varchar', nullable: true })
  statusBeforeSuspend!: AssignmentStatus | null;

  @Field(() => Int, { description: '进度（0–100）' })
  @Column('smallint', { default: 0 })
  progressPercent!: number;

  @Column('uuid', { nullable: true })
  assignedById!: string | null;

  @Field(() => Date, { nullable: true, description: '销号时间' })
  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Field({ description: '最近更新时间（签收、报送、审批等任何变化）' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Field(() => Int, { description: '乐观锁版本号' })
  @VersionColumn()
  version!: number;
}
