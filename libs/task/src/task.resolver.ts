import { Args, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  ASSIGNERS,
  CurrentActor,
  DEPARTMENT_ROLES,
  SUBDISTRICT_ROLES,
  IdArg,
  PageArgs,
  Roles,
  type Actor,
  type RequestContext,
} from '@zhezi/core';
import { OrgService, OrgUnit, User } from '@zhezi/org';
import { Plan, PlanService, Target } from '@zhezi/plan';
import { Assignment, AssignmentRole } from './assignment.entity';
import { AssignmentReadService } from './assignment-read.service';
import { AssignmentService } from './assignment.service';
import { AssignmentStateService } from './assignment-state.service';
import { Milestone } from './milestone.entity';
import { Task } from './task.entity';
import { TaskService } from './task.service';
import { AssignmentAction } from './assignment.lifecycle';
import {
  AssignmentConnection,
  AssignmentReasonInput,
  AssignmentTransitionInput,
  AssignmentFilter,
  AssignTaskInput,
  CreateTaskInput,
  SplitAssignmentInput,
  TaskConnection,
  TaskFilter,
  TaskOrder,
  UpdateTaskInput,
} from './task.types';

const actorOf = (ctx: RequestContext): Actor => ctx.actor as Actor;

@Resolver(() => Task)
export class TaskResolver {
  constructor(
    private readonly taskService: TaskService,
    private readonly shareReads: AssignmentReadService,
    private readonly planService: PlanService,
    private readonly org: OrgService,
  ) {}

  @Query(() => TaskConnection, { description: '任务列表（只含有权查看的任务），默认按完成时限排序' })
  tasks(
    @CurrentActor() actor: Actor,
    @Args() page: PageArgs,
    @Args('filter', { type: () => TaskFilter, nullable: true }) filter?: TaskFilter,
    @Args('orderBy', { type: () => TaskOrder, nullable: true, defaultValue: TaskOrder.DUE_AT_ASC })
    orderBy?: TaskOrder,
  ) {
    // GraphQL passes an explicit null instead of the default: taken as left out, so the service's defaults apply.
    // (The types stay plain: a union would hide TaskFilter from the validation pipe.)
    return this.taskService.listTasks(actor, filter ?? undefined, page, orderBy ?? undefined);
  }

  @Query(() => Task)
  task(@CurrentActor() actor: Actor, @IdArg('id') id: string) {
    return this.taskService.getTask(actor, id);
  }

  @Roles(...ASSIGNERS)
  @Mutation(() => Task)
  createTask(@CurrentActor() actor: Actor, @Args('input') input: CreateTaskInput) {
    return this.taskService.createTask(actor, input);
  }

  @Roles(...ASSIGNERS)
  @Mutation(() => Task)
  updateTask(@CurrentActor() actor: Actor, @Args('input') input: UpdateTaskInput) {
    return this.taskService.updateTask(actor, input);
  }

  @ResolveField(() => Plan)
  plan(task: Task, _args: unknown, ctx: RequestContext) {
    return this.planService.planLoader(ctx).load(task.planId);
  }

  @ResolveField(() => Target, { nullable: true })
  target(task: Task, _args: unknown, ctx: RequestContext) {
    return task.targetId ? this.planService.targetLoader(ctx).load(task.targetId) : null;
  }

  @ResolveField(() => User, { nullable: true, description: '责任领导' })
  responsibleLeader(task: Task, _args: unknown, ctx: RequestContext) {
    return task.responsibleLeaderId ? this.org.userLoader(ctx).load(task.responsibleLeaderId) : null;
  }

  @ResolveField(() => [Milestone])
  milestones(task: Task, _args: unknown, ctx: RequestContext) {
    return this.taskService.milestonesLoader(ctx).load(task.id);
  }

  @ResolveField(() => [OrgUnit], {
    description: '牵头单位（任务本身的分工，不含分解给街镇的；能看到任务即可看到）',
  })
  leadUnits(task: Task, _args: unknown, ctx: RequestContext) {
    return this.responsibleUnits(ctx, task, AssignmentRole.LEAD);
  }

  @ResolveField(() => [OrgUnit], {
    description: '配合单位（任务本身的分工，不含分解给街镇的；能看到任务即可看到）',
  })
  supportUnits(task: Task, _args: unknown, ctx: RequestContext) {
    return this.responsibleUnits(ctx, task, AssignmentRole.SUPPORT);
  }

  private async responsibleUnits(ctx: RequestContext, task: Task, role: AssignmentRole): Promise<OrgUnit[]> {
    const shares = await this.taskService.responsibleUnitsLoader(ctx).load(task.id);
    const units = await this.org
      .unitLoader(ctx)
      .loadMany(shares.filter((s) => s.role === role).map((s) => s.orgUnitId));
    return units.filter((u): u is OrgUnit => u !== null && !(u instanceof Error));
  }

  @ResolveField(() => [Assignment], { description: '分工（只含有权查看的单位）' })
  assignments(task: Task, _args: unknown, ctx: RequestContext) {
    return this.shareReads.assignmentsOfTaskLoader(ctx, actorOf(ctx)).load(task.id);
  }
}

@Resolver(() => Assignment)
export class AssignmentResolver {
  constructor(
    private readonly taskService: TaskService,
    private readonly assignmentService: AssignmentService,
    private readonly shareReads: AssignmentReadService,
    private readonly shareState: AssignmentStateService,
    private readonly org: OrgService,
  ) {}

  @Query(() => AssignmentConnection, { description: '本单位的任务清单' })
  myAssignments(
    @CurrentActor() actor: Actor,
    @Args() page: PageArgs,
    @Args('filter', { type: () => AssignmentFilter, nullable: true }) filter?: AssignmentFilter,
  ) {
    return this.shareReads.myAssignments(actor, filter, page);
  }

  @Query(() => Assignment)
  assignment(@CurrentActor() actor: Actor, @IdArg('id') id: string) {
    return this.shareReads.getAssignment(actor, id);
  }

  @Roles(...ASSIGNERS)
  @Mutation(() => [Assignment], { description: '交办：指定牵头单位与配合单位' })
  assignTask(@CurrentActor() actor: Actor, @Args('input') input: AssignTaskInput) {
    return this.assignmentService.assignTask(actor, input);
  }

  @Roles(...ASSIGNERS, ...DEPARTMENT_ROLES)
  @Mutation(() => [Assignment], { description: '部门将本单位的分工分解给街道 / 镇' })
  splitAssignment(@CurrentActor() actor: Actor, @Args('input') input: SplitAssignmentInput) {
    return this.assignmentService.splitAssignment(actor, input);
  }

  @Roles(...ASSIGNERS, ...DEPARTMENT_ROLES)
  @Mutation(() => Task, { description: '撤销分工（连同其下分解）；返回所属任务' })
  unassign(@CurrentActor() actor: Actor, @IdArg('assignmentId') assignmentId: string) {
    return this.assignmentService.unassign(actor, assignmentId);
  }

  @Roles(...DEPARTMENT_ROLES, ...SUBDISTRICT_ROLES)
  @Mutation(() => Assignment, { description: '签收本单位的分工' })
  acceptAssignment(@CurrentActor() actor: Actor, @Args('input') input: AssignmentTransitionInput) {
    return this.shareState.transition(actor, { ...input, action: AssignmentAction.ACCEPT });
  }

  @Roles(...ASSIGNERS)
  @Mutation(() => Assignment, { description: '暂停分工（须说明原因）' })
  suspendAssignment(@CurrentActor() actor: Actor, @Args('input') input: AssignmentReasonInput) {
    return this.shareState.transition(actor, { ...input, action: AssignmentAction.SUSPEND });
  }

  @Roles(...ASSIGNERS)
  @Mutation(() => Assignment, { description: '恢复已暂停的分工，回到暂停前的状态' })
  resumeAssignment(@CurrentActor() actor: Actor, @Args('input') input: AssignmentReasonInput) {
    return this.shareState.transition(actor, { ...input, action: AssignmentAction.RESUME });
  }

  @ResolveField(() => Task)
  task(assignment: Assignment, _args: unknown, ctx: RequestContext) {
    return this.taskService.taskLoader(ctx).load(assignment.taskId);
  }

  @ResolveField(() => OrgUnit)
  orgUnit(assignment: Assignment, _args: unknown, ctx: RequestContext) {
    return this.org.unitLoader(ctx).load(assignment.orgUnitId);
  }

  @ResolveField(() => Assignment, { nullable: true, description: '上级分工（无权查看时为空）' })
  parent(assignment: Assignment, _args: unknown, ctx: RequestContext) {
    return assignment.parentId
      ? this.shareReads.assignmentLoader(ctx, actorOf(ctx)).load(assignment.parentId)
      : null;
  }

  @ResolveField(() => [Assignment], { description: '分解给街镇的下级分工' })
  children(assignment: Assignment, _args: unknown, ctx: RequestContext) {
    return this.shareReads.childAssignmentsLoader(ctx, actorOf(ctx)).load(assignment.id);
  }
}
