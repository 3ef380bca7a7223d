import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { Role } from '@zhezi/core';

export enum ApprovalKind {
  CLOSE_OUT = 'CLOSE_OUT',
  EXTENSION = 'EXTENSION',
  ADJUSTMENT = 'ADJUSTMENT',
  DECOMPOSITION = 'DECOMPOSITION',
}

registerEnumType(ApprovalKind, {
  name: 'ApprovalKind',
  valuesMap: {
    CLOSE_OUT: { description: '销号' },
    EXTENSION: { description: '延期' },
    ADJUSTMENT: { description: '任务调整' },
    DECOMPOSITION: { description: '任务分解审定' },
  },
});

export enum StepMode {
  ALL = 'ALL',
  ANY = 'ANY',
}

registerEnumType(StepMode, {
  name: 'StepMode',
  valuesMap: { ALL: { description: '会签：每位审批人都须同意' }, ANY: { description: '或签：一人同意即可' } },
});

/** How a step finds its approvers when a request is opened. */
export enum ApproverSource {
  UNIT_HEAD = 'UNIT_HEAD',
  LEAD_DEPARTMENT_HEAD = 'LEAD_DEPARTMENT_HEAD',
  INSPECTORATE = 'INSPECTORATE',
  RESPONSIBLE_LEADER = 'RESPONSIBLE_LEADER',
  ROLE = 'ROLE',
}

registerEnumType(ApproverSource, {
  name: 'ApproverSource',
  valuesMap: {
    UNIT_HEAD: { description: '承办单位负责人' },
    LEAD_DEPARTMENT_HEAD: { description: '牵头部门负责人（分解给街镇的，为分解它的部门）' },
    INSPECTORATE: { description: '督查室督查员' },
    RESPONSIBLE_LEADER: {
      description: '责任领导（未指定时为区长；没有唯一的区长时任一区领导即可，此步骤总是或签）',
    },
    ROLE: { description: '指定角色（可限定单位）' },
  },
});

@ObjectType('ApprovalFlowStep')
export class FlowStep {
  @Field()
  name!: string;

  @Field(() => ApproverSource)
  source!: ApproverSource;

  @Field(() => Role, { nullable: true, description: 'source 为 ROLE 时的角色' })
  role?: Role;

  @Field(() => String, { nullable: true, description: 'source 为 ROLE 时可限定的单位' })
  orgUnitId?: string;

  @Field(() => StepMode)
  mode!: StepMode;
}

/** The steps of one kind of request, editable by admins; each request copies them when it opens. */
@ObjectType('ApprovalFlow', { description: '审批流程定义' })
@Entity('approval_flow')
export class ApprovalFlow {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ApprovalKind)
  @Column({ type: 'varchar' })
  kind!: ApprovalKind;

  @Field()
  @Column()
  name!: string;

  @Field(() => [FlowStep])
  @Column('jsonb')
  steps!: FlowStep[];

  @Field(() => Int)
  @VersionColumn()
  version!: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
