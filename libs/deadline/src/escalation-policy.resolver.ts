import { Args, Int, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ASSIGNERS, CurrentActor, IdArg, Role, Roles, type Actor, type RequestContext } from '@zhezi/core';
import { Task } from '@zhezi/task';
import { EscalationPolicy, EscalationPolicyVersion } from './escalation-policy.entity';
import { EscalationPolicyService } from './escalation-policy.service';
import { CreateEscalationPolicyInput, UpdateEscalationPolicyInput } from './escalation-policy.types';
import { EscalationService } from './escalation.service';
import { TaskPolicyService } from './task-policy.service';

@Resolver(() => EscalationPolicy)
export class EscalationPolicyResolver {
  constructor(
    private readonly policies: EscalationPolicyService,
    private readonly escalations: EscalationService,
    private readonly taskPolicies: TaskPolicyService,
  ) {}

  @Query(() => [EscalationPolicy], { description: '督办流程（默认流程在前）' })
  escalationPolicies() {
    return this.policies.list();
  }

  @ResolveField(() => [EscalationPolicyVersion], { description: '各版本，新的在前' })
  versions(policy: EscalationPolicy, _args: unknown, ctx: RequestContext) {
    return this.policies.versionsLoader(ctx).load(policy.id);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => EscalationPolicy, { description: '新建督办流程' })
  createEscalationPolicy(@CurrentActor() actor: Actor, @Args('input') input: CreateEscalationPolicyInput) {
    return this.policies.create(actor, input);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => EscalationPolicy, { description: '修改督办流程：改级次生成新版本，进行中的分工仍按原版本' })
  updateEscalationPolicy(@CurrentActor() actor: Actor, @Args('input') input: UpdateEscalationPolicyInput) {
    return this.policies.update(actor, input);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Int, {
    description: '将进行中的分工迁移到该流程的当前版本（从现在起重新计算），返回迁移数',
  })
  migrateEscalationPolicy(@CurrentActor() actor: Actor, @IdArg('policyId') policyId: string) {
    return this.escalations.migratePolicy(actor, policyId);
  }

  @Roles(...ASSIGNERS)
  @Mutation(() => Task, { description: '为任务选用督办流程（此后交办的分工使用；已有分工不变）' })
  setTaskEscalationPolicy(
    @CurrentActor() actor: Actor,
    @IdArg('taskId') taskId: string,
    @IdArg('policyId') policyId: string,
  ) {
    return this.taskPolicies.setPolicy(actor, taskId, policyId);
  }
}
