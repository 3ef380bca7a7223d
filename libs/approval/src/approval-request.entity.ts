import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { JsonScalar } from '@zhezi/core';
import { ApprovalKind, StepMode } from './approval-flow.entity';

export enum ApprovalStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
}

registerEnumType(ApprovalStatus, {
  name: 'ApprovalStatus',
  valuesMap: {
    PENDING: { description: '审批中' },
    APPROVED: { description: '已通过' },
    REJECTED: { description: '已退回' },
    WITHDRAWN: { description: '已撤回' },
  },
});

export enum StepStatus {
  WAITING = 'WAITING',
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  SKIPPED = 'SKIPPED',
  /** The request ended (rejected or withdrawn) before this step decided. */
  NOT_REACHED = 'NOT_REACHED',
}

registerEnumType(StepStatus, {
  name: 'ApprovalStepStatus',
  valuesMap: {
    WAITING: { description: '未到' },
    PENDING: { description: '审批中' },
    APPROVED: { description: '已同意' },
    REJECTED: { description: '已退回' },
    SKIPPED: { description: '无审批人，已跳过' },
    NOT_REACHED: { description: '未进行：申请已被退回或撤回' },
  },
});

export enum Decision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
}

registerEnumType(Decision, {
  name: 'ApprovalDecisionKind',
  valuesMap: { APPROVE: { description: '同意' }, REJECT: { description: '退回' } },
});

@ObjectType('ApprovalRequest', { description: '审批申请：销号、延期、调整、分解审定' })
@Entity('approval_request')
export class ApprovalRequest {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ApprovalKind)
  @Column({ type: 'varchar' })
  kind!: ApprovalKind;

  @Field(() => ID, { nullable: true, description: '任务类申请（销号、延期、调整）的任务' })
  @Column('uuid', { nullable: true })
  taskId!: string | null;

  @Field(() => ID, { nullable: true, description: '规划类申请（分解审定）的规划' })
  @Column('uuid', { nullable: true })
  planId!: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  assignmentId!: string | null;

  @Field(() => ID)
  @Column('uuid')
  requestedById!: string;

  @Field(() => ID)
  @Column('uuid')
  requesterUnitId!: string;

  @Field(() => ApprovalStatus)
  @Column({ type: 'varchar' })
  status!: ApprovalStatus;

  @Field(() => Int, { nullable: true, description: '当前审批步骤（从 1 起）；结束后为空' })
  @Column('int', { nullable: true })
  currentStep!: number | null;

  @Field(() => JsonScalar, { description: '申请内容：延期为 newDueAt 与 reason，调整为变更项' })
  @Column('jsonb', { default: {} })
  payload!: Record<string, unknown>;

  @Field({ description: '申请说明' })
  @Column('text', { default: '' })
  comment!: string;

  @Field()
  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Field(() => Int)
  @VersionColumn()
  version!: number;
}

@ObjectType('ApprovalStep', { description: '审批步骤（申请提交时按流程定义生成）' })
@Entity('approval_step')
export class ApprovalStep {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  requestId!: string;

  @Field(() => Int)
  @Column('int')
  position!: number;

  @Field()
  @Column()
  name!: string;

  @Field(() => StepMode)
  @Column({ type: 'varchar' })
  mode!: StepMode;

  @Field(() => [ID])
  @Column('uuid', { array: true })
  approverIds!: string[];

  @Field(() => StepStatus)
  @Column({ type: 'varchar' })
  status!: StepStatus;
}

@ObjectType('ApprovalDecision', { description: '审批意见' })
@Entity('approval_decision')
export class ApprovalDecision {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  requestId!: string;

  @Field(() => ID)
  @Column('uuid')
  stepId!: string;

  @Field(() => ID)
  @Column('uuid')
  approverId!: string;

  @Field(() => Decision)
  @Column({ type: 'varchar' })
  decision!: Decision;

  @Field()
  @Column('text', { default: '' })
  comment!: string;

  @Field()
  @Column({ type: 'timestamptz' })
  decidedAt!: Date;
}
