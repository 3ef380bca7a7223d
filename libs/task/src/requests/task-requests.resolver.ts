import { Args, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import { ApprovalReadService, ApprovalRequest } from '@zhezi/approval';
import {
  CurrentActor,
  DEPARTMENT_ROLES,
  Role,
  Roles,
  SUBDISTRICT_ROLES,
  type Actor,
  type RequestContext,
} from '@zhezi/core';
import { Assignment } from '../assignment.entity';
import { AssignmentReadService } from '../assignment-read.service';
import { Task } from '../task.entity';
import { TaskService } from '../task.service';
import { AdjustmentRequests } from './adjustment.requests';
import { CloseOutRequests } from './close-out.requests';
import { ExtensionRequests } from './extension.requests';
import {
  ExtensionRecord,
  RequestAdjustmentInput,
  RequestCloseOutInput,
  RequestExtensionInput,
} from './request.types';

const UNIT_ROLES = [...DEPARTMENT_ROLES, ...SUBDISTRICT_ROLES];

/** The task's requests: 销号, 延期 and 调整 (approval runs them; this module says what they do). */
@Resolver(() => ApprovalRequest)
export class TaskRequestResolver {
  constructor(
    private readonly closeOuts: CloseOutRequests,
    private readonly extensions: ExtensionRequests,
    private readonly adjustments: AdjustmentRequests,
    private readonly tasks: TaskService,
    private readonly assignments: AssignmentReadService,
  ) {}

  @Roles(...UNIT_ROLES)
  @Mutation(() => ApprovalRequest, { description: '申请销号' })
  requestCloseOut(@CurrentActor() actor: Actor, @Args('input') input: RequestCloseOutInput) {
    return this.closeOuts.request(actor, input);
  }

  @Roles(...UNIT_ROLES, Role.INSPECTOR)
  @Mutation(() => ApprovalRequest, { description: '申请延期（逾期后由督查室发起）' })
  requestExtension(@CurrentActor() actor: Actor, @Args('input') input: RequestExtensionInput) {
    return this.extensions.request(actor, input);
  }

  @Roles(...UNIT_ROLES, Role.LEADER, Role.ADMIN)
  @Mutation(() => ApprovalRequest, { description: '申请调整任务内容或时限' })
  requestAdjustment(@CurrentActor() actor: Actor, @Args('input') input: RequestAdjustmentInput) {
    return this.adjustments.request(actor, input);
  }

  @ResolveField(() => Task, { nullable: true })
  task(request: ApprovalRequest, _args: unknown, ctx: RequestContext) {
    return request.taskId ? this.tasks.taskLoader(ctx).load(request.taskId) : null;
  }

  @ResolveField(() => Assignment, { nullable: true })
  assignment(request: ApprovalRequest, _args: unknown, ctx: RequestContext) {
    return request.assignmentId
      ? this.assignments.assignmentLoader(ctx, ctx.actor as Actor).load(request.assignmentId)
      : null;
  }
}

@Resolver(() => Assignment)
export class AssignmentRequestsResolver {
  constructor(
    private readonly approvals: ApprovalReadService,
    private readonly extensionRequests: ExtensionRequests,
  ) {}

  @ResolveField(() => [ExtensionRecord], { description: '已批准的延期（原时限、新时限与理由），由早到晚' })
  extensions(assignment: Assignment, _args: unknown, ctx: RequestContext) {
    return this.extensionRequests.extensionsOf(ctx, assignment.id);
  }

  @ResolveField(() => [ApprovalRequest], {
    description: '该分工的审批申请（销号、延期、调整，含已结束的），新的在前；只含有权查看的',
  })
  approvalRequests(assignment: Assignment, _args: unknown, ctx: RequestContext) {
    return this.approvals.byAssignmentLoader(ctx).load(assignment.id);
  }
}
