import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

/** The ladder's steps (督办流程), in the order practice climbs them. */
export enum EscalationAction {
  REMIND = 'REMIND',
  URGE = 'URGE',
  SUPERVISE = 'SUPERVISE',
  REPORT = 'REPORT',
  INTERVIEW = 'INTERVIEW',
}

export const ACTION_LABELS: Record<EscalationAction, string> = {
  REMIND: '提醒',
  URGE: '催办',
  SUPERVISE: '督办',
  REPORT: '通报',
  INTERVIEW: '约谈',
};

registerEnumType(EscalationAction, {
  name: 'EscalationAction',
  valuesMap: {
    REMIND: { description: '提醒' },
    URGE: { description: '催办' },
    SUPERVISE: { description: '督办（开具督办单）' },
    REPORT: { description: '通报（报责任领导）' },
    INTERVIEW: { description: '约谈' },
  },
});

export enum Recipient {
  UNIT_OFFICERS = 'UNIT_OFFICERS',
  UNIT_HEAD = 'UNIT_HEAD',
  LEAD_DEPARTMENT_HEAD = 'LEAD_DEPARTMENT_HEAD',
  INSPECTORATE = 'INSPECTORATE',
  RESPONSIBLE_LEADER = 'RESPONSIBLE_LEADER',
}

registerEnumType(Recipient, {
  name: 'EscalationRecipient',
  valuesMap: {
    UNIT_OFFICERS: { description: '承办单位经办人（无经办人时为负责人）' },
    UNIT_HEAD: { description: '承办单位负责人' },
    LEAD_DEPARTMENT_HEAD: { description: '牵头部门负责人（分解给街镇的，为分解它的部门）' },
    INSPECTORATE: { description: '督查室' },
    RESPONSIBLE_LEADER: { description: '责任领导' },
  },
});

/**
 * One rung: when (working days from the due date, or an ISO-8601 duration from the due instant for
 * hour-level deadlines), what, to whom, and how often it repeats until acknowledged.
 */
@ObjectType('EscalationLevel', { description: '督办流程中的一级' })
export class EscalationLevel {
  @Field(() => Int, {
    nullable: true,
    description: '相对完成时限的工作日数：负数为到期前，0 为到期日，正数为逾期后',
  })
  offsetWorkdays?: number | null;

  @Field(() => String, {
    nullable: true,
    description: '相对完成时刻的时长（ISO 8601，如 PT30M、-PT2H），用于以小时计的紧急任务',
  })
  offsetDuration?: string | null;

  @Field(() => EscalationAction)
  action!: EscalationAction;

  @Field(() => [Recipient])
  recipients!: Recipient[];

  @Field(() => Int, { nullable: true, description: '未签收/未答复时每隔几个工作日重复' })
  repeatWorkdays?: number | null;

  @Field(() => String, { nullable: true, description: '未签收/未答复时按此时长重复（ISO 8601）' })
  repeatDuration?: string | null;
}

@ObjectType('EscalationPolicy', { description: '督办流程（可按任务选用）' })
@Entity('escalation_policy')
export class EscalationPolicy {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field()
  @Column()
  name!: string;

  @Field()
  @Column({ default: '' })
  description!: string;

  @Field({ description: '未指定督办流程的任务使用默认流程' })
  @Column({ default: false })
  isDefault!: boolean;

  @Field(() => Int, { description: '当前版本号：新分工使用当前版本，进行中的分工保留其开始时的版本' })
  @Column('int', { default: 1 })
  currentVersion!: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Field(() => Int, { description: '乐观锁版本号' })
  @VersionColumn()
  version!: number;
}

@ObjectType('EscalationPolicyVersion', { description: '督办流程的一个版本（不可修改）' })
@Entity('escalation_policy_version')
export class EscalationPolicyVersion {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid')
  policyId!: string;

  @Field(() => Int)
  @Column('int')
  number!: number;

  @Field(() => [EscalationLevel])
  @Column('jsonb')
  levels!: EscalationLevel[];

  @Field(() => Int, { description: '督办单答复时限（工作日）' })
  @Column('int', { default: 3 })
  noticeResponseWorkdays!: number;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('uuid', { nullable: true })
  createdById!: string | null;
}
