import { Args, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentActor, IdArg, PageArgs, Role, Roles, type Actor, type RequestContext } from '@zhezi/core';
import { OrgService, User } from '@zhezi/org';
import { Plan, PlanService } from '@zhezi/plan';
import { ApprovalFlow } from './approval-flow.entity';
import { ApprovalDecision, ApprovalRequest, ApprovalStep } from './approval-request.entity';
import { ApprovalFlowService } from './approval-flow.service';
import { ApprovalReadService } from './approval-read.service';
import { ApprovalService } from './approval.service';
import {
  ApprovalFilterArgs,
  ApprovalRequestConnection,
  DecideApprovalInput,
  UpdateApprovalFlowInput,
} from './approval.types';

@Resolver(() => ApprovalRequest)
export class ApprovalRequestResolver {
  constructor(
    private readonly approvals: ApprovalService,
    private readonly reads: ApprovalReadService,
    private readonly org: OrgService,
    private readonly plans: PlanService,
  ) {}

  @Mutation(() => ApprovalRequest, { description: '审批：同意或退回当前步骤' })
  decideApproval(@CurrentActor() actor: Actor, @Args('input') input: DecideApprovalInput) {
    return this.approvals.decide(actor, input);
  }

  @Mutation(() => ApprovalRequest, { description: '撤回审批中的申请' })
  withdrawApproval(@CurrentActor() actor: Actor, @IdArg('requestId') requestId: string) {
    return this.approvals.withdraw(actor, requestId);
  }

  @Query(() => ApprovalRequestConnection, { description: '待我审批，最早的在前' })
  myApprovalInbox(@CurrentActor() actor: Actor, @Args() page: PageArgs) {
    return this.reads.inbox(actor, page);
  }

  @Query(() => ApprovalRequest)
  approvalRequest(@CurrentActor() actor: Actor, @IdArg('id') id: string) {
    return this.reads.getRequest(actor, id);
  }

  @Query(() => ApprovalRequestConnection, { description: '审批申请（只含有权查看的）' })
  approvalRequests(@CurrentActor() actor: Actor, @Args() filter: ApprovalFilterArgs, @Args() page: PageArgs) {
    return this.reads.list(actor, filter, page);
  }

  @ResolveField(() => [ApprovalStep])
  steps(request: ApprovalRequest, _args: unknown, ctx: RequestContext) {
    return this.reads.stepsLoader(ctx).load(request.id);
  }

  @ResolveField(() => Plan, { nullable: true, description: '所属规划（分解审定申请的对象）' })
  plan(request: ApprovalRequest, _args: unknown, ctx: RequestContext) {
    return request.planId ? this.plans.planLoader(ctx).load(request.planId) : null;
  }

  @ResolveField(() => User)
  requestedBy(request: ApprovalRequest, _args: unknown, ctx: RequestContext) {
    return this.org.userLoader(ctx).load(request.requestedById);
  }
}

@Resolver(() => ApprovalStep)
export class ApprovalStepResolver {
  constructor(
    private readonly reads: ApprovalReadService,
    private readonly org: OrgService,
  ) {}

  @ResolveField(() => [ApprovalDecision])
  decisions(step: ApprovalStep, _args: unknown, ctx: RequestContext) {
    return this.reads.decisionsLoader(ctx).load(step.id);
  }

  @ResolveField(() => [User], { description: '审批人' })
  async approvers(step: ApprovalStep, _args: unknown, ctx: RequestContext) {
    return this.org.userLoader(ctx).loadMany(step.approverIds);
  }
}

@Resolver(() => ApprovalFlow)
export class ApprovalFlowResolver {
  constructor(private readonly flows: ApprovalFlowService) {}

  @Query(() => [ApprovalFlow], { description: '审批流程定义' })
  approvalFlows() {
    return this.flows.list();
  }

  @Roles(Role.ADMIN)
  @Mutation(() => ApprovalFlow, { description: '修改审批流程（已提交的申请沿用提交时的流程）' })
  updateApprovalFlow(@CurrentActor() actor: Actor, @Args('input') input: UpdateApprovalFlowInput) {
    return this.flows.update(actor, input);
  }
}
