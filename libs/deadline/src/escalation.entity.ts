import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { EscalationAction } from './escalation-policy.entity';

/** Where an assignment's ladder stands. PostgreSQL holds it; Redis only holds the jobs of the near horizon. */
@Entity('escalation_state')
export class EscalationState {
  @PrimaryColumn('uuid')
  assignmentId!: string;

  @Column('uuid')
  policyVersionId!: string;

  /** A new cycle starts when the due date moves (extension) or the policy is migrated. */
  @Column('int', { default: 0 })
  cycle!: number;

  /** Levels planned before this instant do not fire in the cycle. */
  @Column({ type: 'timestamptz' })
  cycleStartedAt!: Date;

  @Column('int', { nullable: true })
  lastLevel!: number | null;

  @Column('int', { nullable: true })
  lastOccurrence!: number | null;

  @Column({ default: false })
  lastAcknowledged!: boolean;

  @Column('int', { nullable: true })
  nextLevel!: number | null;

  @Column('int', { nullable: true })
  nextOccurrence!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextAt!: Date | null;

  /** Bumped whenever the plan changes; job ids carry it, so a stale job finds nothing to do. */
  @Column('int', { default: 1 })
  version!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

export enum EscalationOutcome {
  FIRED = 'FIRED',
  SKIPPED = 'SKIPPED',
}

registerEnumType(EscalationOutcome, {
  name: 'EscalationOutcome',
  valuesMap: { FIRED: { description: '已发出' }, SKIPPED: { description: '督查室跳过' } },
});

@ObjectType('Escalation', { description: '已发出（或跳过）的提醒、催办、督办、通报、约谈' })
@Entity('escalation')
export class Escalation {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid')
  assignmentId!: string;

  @Column('uuid')
  policyVersionId!: string;

  @Field(() => Int)
  @Column('int')
  cycle!: number;

  @Field(() => Int, { description: '督办流程中的级次（从 0 起）' })
  @Column('int')
  level!: number;

  @Field(() => Int, { description: '同一级的第几次（重复催办）' })
  @Column('int')
  occurrence!: number;

  @Field(() => EscalationAction)
  @Column({ type: 'varchar' })
  action!: EscalationAction;

  @Field(() => EscalationOutcome)
  @Column({ type: 'varchar' })
  outcome!: EscalationOutcome;

  @Field({ description: '计划时间' })
  @Column({ type: 'timestamptz' })
  plannedAt!: Date;

  @Field({ description: '实际发出时间' })
  @Column({ type: 'timestamptz' })
  firedAt!: Date;

  @Field(() => ID, { nullable: true, description: '督查室手动升级或跳过时的操作人' })
  @Column('uuid', { nullable: true })
  byUserId!: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  reason!: string | null;

  @Field(() => Date, { nullable: true, description: '单位签收/答复时间' })
  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;
}
