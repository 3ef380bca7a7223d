import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  Ctx,
  CurrentActor,
  DEPARTMENT_ROLES,
  IdArg,
  PageArgs,
  Role,
  Roles,
  SUBDISTRICT_ROLES,
  type Actor,
  type RequestContext,
} from '@zhezi/core';
import { OrgService, User } from '@zhezi/org';
import { Plan, PlanService } from '@zhezi/plan';
import { Assignment, AssignmentService, Task, TaskService } from '@zhezi/task';
import { ApprovalFlow } from './approval-flow.entity';
import { ApprovalDecision, ApprovalRequest, ApprovalStep } from './approval-request.entity';
import { ApprovalService } from './approval.service';
import {
  ApprovalFilterArgs,
  ApprovalRequestConnection,
  DecideApprovalInput,
  ExtensionRecord,
  RequestAdjustmentInput,
  RequestCloseOutInput,
  RequestExtensionInput,
  UpdateApprovalFlowInput,
} from './approval.types';

const UNIT_ROLES = [...DEPARTMENT_ROLES, ...SUBDISTRICT_ROLES];

@Resolver(() => ApprovalRequest)
export class ApprovalRequestResolver {
  constructor(
    private readonly approvals: ApprovalService,
    private readonly tasks: TaskService,
    private readonly assignments: AssignmentService,
    private readonly org: OrgService,
    private readonly plans: PlanService,
  ) {}

  @Roles(...UNIT_ROLES)
  @Mutation(() => ApprovalRequest, { description: '申请销号' })
  requestCloseOut(@CurrentActor() actor: Actor, @Args('input') input: RequestCloseOutInput) {
    return this.approvals.requestCloseOut(actor, input);
  }

  @Roles(...UNIT_ROLES, Role.INSPECTOR)
  @Mutation(() => ApprovalRequest, { description: '申请延期（逾期后由督查室发起）' })
  requestExtension(@CurrentActor() actor: Actor, @Args('input') input: RequestExtensionInput) {
    return this.approvals.requestExtension(actor, input);
  }

  @Roles(...UNIT_ROLES, Role.LEADER, Role.ADMIN)
  @Mutation(() => ApprovalRequest, { description: '申请调整任务内容或时限' })
  requestAdjustment(@CurrentActor() actor: Actor, @Args('input') input: RequestAdjustmentInput) {
    return this.approvals.requestAdjustment(actor, input);
  }

  @Mutation(() => ApprovalRequest, { description: '审批：同意或驳回当前步骤' })
  decideApproval(@CurrentActor() actor: Actor, @Args('input') input: DecideApprovalInput) {
    return this.approvals.decide(actor, input);
  }

  @Mutation(() => ApprovalRequest, { description: '撤回审批中的申请' })
  withdrawApproval(@CurrentActor() actor: Actor, @IdArg('requestId') requestId: string) {
    return this.approvals.withdraw(actor, requestId);
  }

  @Query(() => ApprovalRequestConnection, { description: '待我审批，最早的在前' })
  myApprovalInbox(@CurrentActor() actor: Actor, @Args() page: PageArgs) {
    return this.approvals.inbox(actor, page);
  }

  @Query(() => ApprovalRequest)
  approvalRequest(@CurrentActor() actor: Actor, @IdArg('id') id: string) {
    return this.approvals.getRequest(actor, id);
  }

  @Query(() => ApprovalRequestConnection, { description: '审批申请（只含有权查看的）' })
  approvalRequests(@CurrentActor() actor: Actor, @Args() filter: ApprovalFilterArgs, @Args() page: PageArgs) {
    return this.approvals.list(actor, filter, page);
  }

  @ResolveField(() => [ApprovalStep])
  steps(@Parent() request: ApprovalRequest, @Ctx() ctx: RequestContext) {
    return this.approvals.stepsLoader(ctx).load(request.id);
  }

  @ResolveField(() => Task, { nullable: true })
  task(@Parent() request: ApprovalRequest, @Ctx() ctx: RequestContext) {
    return request.taskId ? this.tasks.taskLoader(ctx).load(request.taskId) : null;
  }

  @ResolveField(() => Plan, { nullable: true, description: '所属规划（分解审定申请的对象）' })
  plan(@Parent() request: ApprovalRequest, @Ctx() ctx: RequestContext) {
    return request.planId ? this.plans.planLoader(ctx).load(request.planId) : null;
  }

  @ResolveField(() => Assignment, { nullable: true })
  assignment(@Parent() request: ApprovalRequest, @Ctx() ctx: RequestContext) {
    return request.assignmentId
      ? this.assignments.assignmentLoader(ctx, ctx.actor as Actor).load(request.assignmentId)
      : null;
  }

  @ResolveField(() => User)
  requestedBy(@Parent() request: ApprovalRequest, @Ctx() ctx: RequestContext) {
    return this.org.userLoader(ctx).load(request.requestedById);
  }
}

@Resolver(() => Assignment)
export class AssignmentExtensionsResolver {
  constructor(private readonly approvals: ApprovalService) {}

  @ResolveField(() => [ExtensionRecord], { description: '已批准的延期（原时限、新时限与理由），由早到晚' })
  extensions(@Parent() assignment: Assignment, @Ctx() ctx: RequestContext) {
    return this.approvals.extensionsLoader(ctx).load(assignment.id);
  }

  @ResolveField(() => [ApprovalRequest], {
    description: '该分工的审批申请（销号、延期、调整，含已结束的），新的在前；只含有权查看的',
  })
  approvalRequests(@Parent() assignment: Assignment, @Ctx() ctx: RequestContext) {
    return this.approvals.byAssignmentLoader(ctx).load(assignment.id);
  }
}

@Resolver(() => ApprovalStep)
export class ApprovalStepResolver {
  constructor(
    private readonly approvals: ApprovalService,
    private readonly org: OrgService,
  ) {}

  @ResolveField(() => [ApprovalDecision])
  decisions(@Parent() step: ApprovalStep, @Ctx() ctx: RequestContext) {
    return this.approvals.decisionsLoader(ctx).load(step.id);
  }

  @ResolveField(() => [User], { description: '审批人' })
  async approvers(@Parent() step: ApprovalStep, @Ctx() ctx: RequestContext) {
    return this.org.userLoader(ctx).loadMany(step.approverIds);
  }
}

@Resolver(() => ApprovalFlow)
export class ApprovalFlowResolver {
  constructor(private readonly approvals: ApprovalService) {}

  @Query(() => [ApprovalFlow], { description: '审批流程定义' })
  approvalFlows() {
    return this.approvals.listFlows();
  }

  @Roles(Role.ADMIN)
  @Mutation(() => ApprovalFlow, { description: '修改审批流程（已提交的申请沿用提交时的流程）' })
  updateApprovalFlow(@CurrentActor() actor: Actor, @Args('input') input: UpdateApprovalFlowInput) {
    return this.approvals.updateFlow(actor, input);
  }
}
