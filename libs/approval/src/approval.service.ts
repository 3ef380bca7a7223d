import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, IsNull, Repository, type EntityManager } from 'typeorm';
import { AccessPolicy } from '@zhezi/access';
import { AuditService } from '@zhezi/audit';
import {
  badInput,
  Clock,
  conflict,
  DEPARTMENT_ROLES,
  forbidden,
  groupByKey,
  notFound,
  paginate,
  readsEverything,
  requestLoader,
  Role,
  rowsByLoader,
  SUBDISTRICT_ROLES,
  transactional,
  type Actor,
  type Connection,
  type PageArgs,
  type RequestContext,
} from '@zhezi/core';
import { NotificationKind, NotificationService } from '@zhezi/notify';
import { OrgUnit, PortfolioService, User } from '@zhezi/org';
import { DomainEventType, OutboxService } from '@zhezi/outbox';
import { Plan } from '@zhezi/plan';
import {
  Assignment,
  AssignmentAction,
  AssignmentChangeKind,
  AssignmentObservers,
  AssignmentRole,
  AssignmentService,
  AssignmentStatus,
  Task,
  TaskService,
  takersFor,
  type NewShare,
  Taker,
} from '@zhezi/task';
import { ApprovalFlow, ApprovalKind, ApproverSource, StepMode, type FlowStep } from './approval-flow.entity';
import {
  ApprovalDecision,
  ApprovalRequest,
  ApprovalStatus,
  ApprovalStep,
  Decision,
  StepStatus,
} from './approval-request.entity';
import { ApprovalEffects } from './approval.effects';
import { decidedMessage, KIND_LABELS, stepReachedMessage, type RequestFacts } from './approval.messages';
import { nextStepPosition, stepOutcome } from './approval-routing';
import type {
  ApprovalFilterArgs,
  DecideApprovalInput,
  RequestAdjustmentInput,
  RequestCloseOutInput,
  RequestExtensionInput,
  ExtensionRecord,
  UpdateApprovalFlowInput,
} from './approval.types';

const HEAD_ROLES = [Role.DEPARTMENT_HEAD, Role.SUBDISTRICT_HEAD];
/** The 职务 of the leader who signs off a task that names no responsible leader. */
const PRINCIPAL_LEADER_TITLE = '区长';
/** Steps still open when a request ends otherwise than approved. */
const UNDECIDED = [StepStatus.WAITING, StepStatus.PENDING];
const CLOSED_OR_SUSPENDED = [AssignmentStatus.CLOSED, AssignmentStatus.SUSPENDED];

/** An adjustment as stored in the request: dates as ISO text, so it survives the JSON column. */
interface AdjustmentChanges {
  title?: string;
  description?: string;
  dueAt?: string;
  milestones?: { title: string; dueAt: string }[];
  addSupportUnits?: { orgUnitId: string; dueAt?: string }[];
  removeAssignmentIds?: string[];
}

interface Rejection {
  stepName: string;
  by: string;
  comment: string;
}

interface Opening {
  kind: ApprovalKind;
  /** A task's request (close-out, extension, adjustment) or a plan's (decomposition). */
  task: Task | null;
  planId?: string;
  assignment: Assignment | null;
  payload: Record<string, unknown>;
  comment: string;
}

/**
 * 审批: a request copies its kind's flow when it opens, finds each step's approvers then, and moves step by
 * step. Only the final approval applies the effect, in the same transaction as that decision; the request's
 * row lock and the one-decision-per-approver-per-step key make applying twice impossible.
 */
@Injectable()
export class ApprovalService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly assignments: AssignmentService,
    private readonly tasks: TaskService,
    private readonly observers: AssignmentObservers,
    private readonly effects: ApprovalEffects,
    private readonly notifications: NotificationService,
    private readonly portfolios: PortfolioService,
    @InjectRepository(ApprovalRequest) private readonly requests: Repository<ApprovalRequest>,
    @InjectRepository(ApprovalStep) private readonly steps: Repository<ApprovalStep>,
    @InjectRepository(ApprovalDecision) private readonly decisions: Repository<ApprovalDecision>,
    @InjectRepository(ApprovalFlow) private readonly flows: Repository<ApprovalFlow>,
  ) {}

  requestCloseOut(actor: Actor, input: RequestCloseOutInput): Promise<ApprovalRequest> {
    return transactional(this.dataSource, async (manager) => {
      const assignment = await this.assignments.lockForChange(
        manager,
        actor,
        input.assignmentId,
        input.version,
      );
      if (await manager.existsBy(Assignment, { parentId: assignment.id })) {
        throw conflict('该分工已分解给街镇，下级分工全部销号后自动销号', {
          currentStatus: assignment.status,
        });
      }
      await this.assertNoneOpen(manager, ApprovalKind.CLOSE_OUT, assignment.id);
      const takers = takersFor(actor, assignment.orgUnitId);
      await this.assignments.applyTransition(
        manager,
        actor,
        assignment,
        AssignmentAction.REQUEST_CLOSE_OUT,
        input.comment || undefined,
        takers,
      );
      const task = await this.assignments.lockTask(manager, assignment.taskId, 'assignmentId');
      return this.open(manager, actor, {
        kind: ApprovalKind.CLOSE_OUT,
        task,
        assignment,
        payload: {},
        comment: input.comment,
      });
    });
  }

  /** A unit asks before its deadline; once it has passed, only an inspector can open one for it. */
  requestExtension(actor: Actor, input: RequestExtensionInput): Promise<ApprovalRequest> {
    return transactional(this.dataSource, async (manager) => {
      const assignment = await this.assignments.lockForChange(
        manager,
        actor,
        input.assignmentId,
        input.version,
      );
      const ownUnit = takersFor(actor, assignment.orgUnitId).includes(Taker.UNIT);
      if (!ownUnit && actor.role !== Role.INSPECTOR) throw forbidden('只有承办单位或督查室可以申请延期');
      if (ownUnit && this.clock.now() >= assignment.dueAt) {
        throw forbidden('已超过完成时限，延期须由督查室发起');
      }
      if (CLOSED_OR_SUSPENDED.includes(assignment.status)) {
        throw conflict('该分工已销号或暂停，不能申请延期', { currentStatus: assignment.status });
      }
      await this.assertNoneOpen(manager, ApprovalKind.EXTENSION, assignment.id);
      if (input.newDueAt <= assignment.dueAt) throw badInput('newDueAt', '申请的时限须晚于现有完成时限');
      if (assignment.parentId) {
        const parent = await manager.findOneByOrFail(Assignment, { id: assignment.parentId });
        if (input.newDueAt > parent.dueAt)
          throw badInput('newDueAt', '不能晚于上级部门的完成时限，请先由部门申请延期');
      }
      const task = await this.assignments.lockTask(manager, assignment.taskId, 'assignmentId');
      return this.open(manager, actor, {
        kind: ApprovalKind.EXTENSION,
        task,
        assignment,
        payload: {
          newDueAt: input.newDueAt.toISOString(),
          previousDueAt: assignment.dueAt.toISOString(),
          reason: input.reason,
        },
        comment: input.comment || input.reason,
      });
    });
  }

  /** The lead unit (or a leader) proposes a change of the task's content or deadline. */
  requestAdjustment(actor: Actor, input: RequestAdjustmentInput): Promise<ApprovalRequest> {
    return transactional(this.dataSource, async (manager) => {
      const task = await this.assignments.lockTask(manager, input.taskId, 'taskId');
      const leads = await manager.findBy(Assignment, { taskId: task.id, role: AssignmentRole.LEAD });
      const leadShare = leads.find((a) => a.parentId === null && a.orgUnitId === actor.orgUnitId);
      const unitUser = [...DEPARTMENT_ROLES, ...SUBDISTRICT_ROLES].includes(actor.role);
      if (!(unitUser && leadShare) && actor.role !== Role.LEADER && actor.role !== Role.ADMIN) {
        throw forbidden('只有牵头单位或区领导可以申请调整任务');
      }
      const changes: AdjustmentChanges = JSON.parse(
        JSON.stringify({
          title: input.title,
          description: input.description,
          dueAt: input.dueAt,
          milestones: input.milestones,
          addSupportUnits: input.addSupportUnits,
          removeAssignmentIds: input.removeAssignmentIds,
        }),
      ) as AdjustmentChanges;
      if (Object.keys(changes).length === 0) throw badInput('title', '请至少提出一项调整');
      if (leadShare) await this.assertNoneOpen(manager, ApprovalKind.ADJUSTMENT, leadShare.id);
      await this.checkAdjustment(manager, task, changes);
      return this.open(manager, actor, {
        kind: ApprovalKind.ADJUSTMENT,
        task,
        assignment: leadShare ?? null,
        payload: { changes, reason: input.reason },
        comment: input.reason,
      });
    });
  }

  decide(actor: Actor, input: DecideApprovalInput): Promise<ApprovalRequest> {
    if (input.decision === Decision.REJECT && !input.comment.trim()) {
      throw badInput('comment', '驳回时请填写意见，申请人将看到它');
    }
    return transactional(this.dataSource, async (manager) => {
      const request = await this.lockRequest(manager, input.requestId);
      const step = await manager.findOneByOrFail(ApprovalStep, {
        requestId: request.id,
        position: request.currentStep as number,
      });
      if (!step.approverIds.includes(actor.userId)) {
        // Someone who decided an earlier step is late, not unauthorised: the request moved on.
        if (await manager.existsBy(ApprovalDecision, { requestId: request.id, approverId: actor.userId })) {
          throw conflict('该申请已进入下一审批步骤', {
            currentStatus: request.status,
            currentStep: request.currentStep,
          });
        }
        throw forbidden('您不是当前步骤的审批人');
      }
      if (await manager.existsBy(ApprovalDecision, { stepId: step.id, approverId: actor.userId })) {
        throw conflict('您已审批过此步骤', { currentStatus: request.status });
      }
      const now = this.clock.now();
      await manager.save(
        manager.create(ApprovalDecision, {
          requestId: request.id,
          stepId: step.id,
          approverId: actor.userId,
          decision: input.decision,
          comment: input.comment,
          decidedAt: now,
        }),
      );
      const decided = await manager.findBy(ApprovalDecision, { stepId: step.id });
      step.status = stepOutcome(step.mode, step.approverIds, decided);
      await manager.save(step);
      const before = { status: request.status, currentStep: request.currentStep };
      if (step.status === StepStatus.REJECTED) {
        await this.finish(manager, actor, request, ApprovalStatus.REJECTED, {
          stepName: step.name,
          by: actor.displayName,
          comment: input.comment,
        });
      } else if (step.status === StepStatus.APPROVED) {
        await this.advance(manager, actor, request, step.position);
      }
      await this.audit.record(manager, actor, {
        action: `approval.${input.decision.toLowerCase()}`,
        entityType: 'ApprovalRequest',
        entityId: request.id,
        taskId: request.taskId,
        unitIds: [request.requesterUnitId],
        before,
        after: {
          status: request.status,
          currentStep: request.currentStep,
          step: step.name,
          comment: input.comment,
        },
      });
      await this.outbox.add(manager, {
        type: DomainEventType.APPROVAL_DECIDED,
        aggregateType: 'ApprovalRequest',
        aggregateId: request.id,
        payload: {
          kind: request.kind,
          decision: input.decision,
          step: step.position,
          status: request.status,
        },
      });
      return manager.save(request);
    });
  }

  /**
   * The requester's side takes a pending request back: the person who opened it or a colleague of the same
   * unit. That is the unit for its own requests, and the 督查室 for an extension it opened for an overdue
   * share (the share's unit sees that request but cannot withdraw it).
   */
  withdraw(actor: Actor, requestId: string): Promise<ApprovalRequest> {
    return transactional(this.dataSource, async (manager) => {
      const request = await this.lockRequest(manager, requestId);
      const requester = await manager.findOneByOrFail(User, { id: request.requestedById });
      if (request.requestedById !== actor.userId && requester.orgUnitId !== actor.orgUnitId) {
        throw forbidden('只有申请人或申请人所在单位可以撤回申请');
      }
      if (request.kind === ApprovalKind.CLOSE_OUT && request.assignmentId) {
        const assignment = await manager.findOneByOrFail(Assignment, { id: request.assignmentId });
        await this.assignments.applyTransition(
          manager,
          actor,
          assignment,
          AssignmentAction.WITHDRAW_CLOSE_OUT,
          undefined,
          takersFor(actor, assignment.orgUnitId),
        );
      }
      request.status = ApprovalStatus.WITHDRAWN;
      request.currentStep = null;
      request.closedAt = this.clock.now();
      await this.markNotReached(manager, request);
      await this.audit.record(manager, actor, {
        action: 'approval.withdraw',
        entityType: 'ApprovalRequest',
        entityId: request.id,
        taskId: request.taskId,
        unitIds: [request.requesterUnitId],
        after: { status: request.status },
      });
      return manager.save(request);
    });
  }

  inbox(actor: Actor, page: PageArgs): Promise<Connection<ApprovalRequest>> {
    const qb = this.requests
      .createQueryBuilder('r')
      .innerJoin(ApprovalStep, 's', 's.request_id = r.id AND s.position = r.current_step')
      .where('r.status = :pending', { pending: ApprovalStatus.PENDING })
      .andWhere(':me = ANY(s.approver_ids)', { me: actor.userId })
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM approval_decision d WHERE d.step_id = s.id AND d.approver_id = :me)',
      );
    return paginate(qb, page, 'r.created_at', (r) => r.createdAt);
  }

  async getRequest(actor: Actor, id: string): Promise<ApprovalRequest> {
    const request = await this.requests.findOneBy({ id });
    if (!request) throw notFound('审批申请', id);
    const visible = this.visibleCondition(actor);
    if (visible) {
      const qb = this.requests
        .createQueryBuilder('r')
        .where('r.id = :id', { id })
        .andWhere(visible.sql, visible.params);
      if (!(await qb.getExists())) throw forbidden('无权查看该审批申请');
    }
    return request;
  }

  list(actor: Actor, filter: ApprovalFilterArgs, page: PageArgs): Promise<Connection<ApprovalRequest>> {
    const qb = this.requests.createQueryBuilder('r');
    if (filter.kind) qb.andWhere('r.kind = :kind', { kind: filter.kind });
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    if (filter.taskId) qb.andWhere('r.task_id = :taskId', { taskId: filter.taskId });
    const visible = this.visibleCondition(actor);
    if (visible) qb.andWhere(visible.sql, visible.params);
    return paginate(qb, page, 'r.created_at', (r) => r.createdAt);
  }

  listFlows(): Promise<ApprovalFlow[]> {
    return this.flows.find({ order: { kind: 'ASC' } });
  }

  updateFlow(actor: Actor, input: UpdateApprovalFlowInput): Promise<ApprovalFlow> {
    return transactional(this.dataSource, async (manager) => {
      const flow = await manager.findOne(ApprovalFlow, {
        where: { kind: input.kind },
        lock: { mode: 'pessimistic_write' },
      });
      if (!flow) throw notFound('审批流程', input.kind);
      if (flow.version !== input.version)
        throw conflict('流程已被他人修改，请刷新后重试', { currentVersion: flow.version });
      input.steps.forEach((step, i) => {
        if (step.source === ApproverSource.ROLE && !step.role)
          throw badInput(`steps.${i}.role`, '按角色审批须指定角色');
      });
      const before = { steps: flow.steps };
      flow.steps = input.steps.map((s) => ({ ...s }));
      const saved = await manager.save(flow);
      await this.audit.record(manager, actor, {
        action: 'approvalFlow.update',
        entityType: 'ApprovalFlow',
        entityId: flow.id,
        before,
        after: { steps: saved.steps },
      });
      return saved;
    });
  }

  /** Approved extensions per assignment, oldest first: the due-date history with its reasons. */
  extensionsLoader(ctx: RequestContext) {
    return requestLoader<string, ExtensionRecord[]>(ctx, 'assignment.extensions', async (ids) => {
      const approved = await this.requests.find({
        where: { assignmentId: In([...ids]), kind: ApprovalKind.EXTENSION, status: ApprovalStatus.APPROVED },
        order: { closedAt: 'ASC' },
      });
      const records = approved.map((r) => ({
        assignmentId: r.assignmentId as string,
        requestId: r.id,
        previousDueAt: new Date(r.payload.previousDueAt as string),
        newDueAt: new Date(r.payload.newDueAt as string),
        reason: r.payload.reason as string,
        approvedAt: r.closedAt as Date,
      }));
      return groupByKey(ids, records, (r) => r.assignmentId);
    });
  }

  /** Requests about each assignment, newest first, as far as the caller may see them. */
  byAssignmentLoader(ctx: RequestContext) {
    const visible = this.visibleCondition(ctx.actor as Actor);
    return requestLoader<string, ApprovalRequest[]>(ctx, 'assignment.approvalRequests', async (ids) => {
      const qb = this.requests
        .createQueryBuilder('r')
        .where('r.assignment_id IN (:...ids)', { ids: [...ids] })
        .orderBy('r.created_at', 'DESC')
        .addOrderBy('r.id', 'DESC');
      if (visible) qb.andWhere(visible.sql, visible.params);
      return groupByKey(ids, await qb.getMany(), (r) => r.assignmentId as string);
    });
  }

  stepsLoader(ctx: RequestContext) {
    return rowsByLoader(ctx, 'approval.steps', this.steps, 'requestId', { position: 'ASC' });
  }

  decisionsLoader(ctx: RequestContext) {
    return rowsByLoader(ctx, 'approval.decisions', this.decisions, 'stepId', { decidedAt: 'ASC' });
  }

  private visibleCondition(actor: Actor): { sql: string; params: Record<string, unknown> } | null {
    if (readsEverything(actor)) return null;
    const share = this.access.assignmentCondition(actor, 'va');
    return {
      sql: `(r.requester_unit_id = :ownUnit
        OR EXISTS (SELECT 1 FROM approval_step vs WHERE vs.request_id = r.id AND :me = ANY(vs.approver_ids))
        OR EXISTS (SELECT 1 FROM assignment va WHERE va.id = r.assignment_id AND ${share?.sql ?? 'true'}))`,
      params: { ownUnit: actor.orgUnitId, me: actor.userId, ...share?.params },
    };
  }

  private async lockRequest(manager: EntityManager, id: string): Promise<ApprovalRequest> {
    const request = await manager.findOne(ApprovalRequest, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!request) throw notFound('审批申请', id);
    if (request.status !== ApprovalStatus.PENDING) {
      throw conflict('该申请已结束', { currentStatus: request.status });
    }
    return request;
  }

  /** Opens a plan's request inside the caller's transaction (the caller has checked and locked the plan). */
  openForPlan(
    manager: EntityManager,
    actor: Actor,
    opening: { kind: ApprovalKind; planId: string; payload: Record<string, unknown>; comment: string },
  ): Promise<ApprovalRequest> {
    return this.open(manager, actor, { ...opening, task: null, assignment: null });
  }

  private async open(manager: EntityManager, actor: Actor, opening: Opening): Promise<ApprovalRequest> {
    const flow = await manager.findOneByOrFail(ApprovalFlow, { kind: opening.kind });
    const request = await manager.save(
      manager.create(ApprovalRequest, {
        kind: opening.kind,
        taskId: opening.task?.id ?? null,
        planId: opening.planId ?? opening.task?.planId ?? null,
        assignmentId: opening.assignment?.id ?? null,
        requestedById: actor.userId,
        requesterUnitId: opening.assignment?.orgUnitId ?? actor.orgUnitId,
        status: ApprovalStatus.PENDING,
        currentStep: null,
        payload: opening.payload,
        comment: opening.comment,
        createdAt: this.clock.now(),
      }),
    );
    let previous: string[] = [];
    for (const [index, flowStep] of flow.steps.entries()) {
      const found = (await this.approversOf(manager, flowStep, opening)).filter((id) => id !== actor.userId);
      // The same people twice in a row (a department's head is also its lead head) decide once.
      const approverIds = sameSet(found, previous) ? [] : found;
      if (approverIds.length) previous = approverIds;
      await manager.save(
        manager.create(ApprovalStep, {
          requestId: request.id,
          position: index + 1,
          name: flowStep.name,
          // A responsible-leader step names one leader; when the fallback names several, one of them suffices.
          mode: flowStep.source === ApproverSource.RESPONSIBLE_LEADER ? StepMode.ANY : flowStep.mode,
          approverIds,
          status: approverIds.length ? StepStatus.WAITING : StepStatus.SKIPPED,
        }),
      );
    }
    await this.audit.record(manager, actor, {
      action: `approval.open.${opening.kind.toLowerCase()}`,
      entityType: 'ApprovalRequest',
      entityId: request.id,
      taskId: opening.task?.id,
      unitIds: [request.requesterUnitId],
      after: request,
    });
    await this.advance(manager, actor, request, 0);
    return manager.save(request);
  }

  /** Moves to the next step with approvers, or, past the last, approves and applies the effect. */
  private async advance(
    manager: EntityManager,
    actor: Actor,
    request: ApprovalRequest,
    after: number,
  ): Promise<void> {
    const steps = await manager.findBy(ApprovalStep, { requestId: request.id });
    const next = nextStepPosition(steps, after);
    if (next === null) return this.finish(manager, actor, request, ApprovalStatus.APPROVED);
    request.currentStep = next;
    const step = steps.find((s) => s.position === next) as ApprovalStep;
    step.status = StepStatus.PENDING;
    await manager.save(step);
    await this.tellApprovers(manager, request, step);
  }

  private async finish(
    manager: EntityManager,
    actor: Actor,
    request: ApprovalRequest,
    status: ApprovalStatus.APPROVED | ApprovalStatus.REJECTED,
    rejection: Rejection | null = null,
  ): Promise<void> {
    request.status = status;
    request.currentStep = null;
    request.closedAt = this.clock.now();
    await this.markNotReached(manager, request);
    const assignment = request.assignmentId
      ? await manager.findOne(Assignment, {
          where: { id: request.assignmentId },
          lock: { mode: 'pessimistic_write' },
        })
      : null;
    const task = request.taskId ? await this.assignments.lockTask(manager, request.taskId, 'taskId') : null;
    if (request.kind === ApprovalKind.CLOSE_OUT && assignment && task) {
      const action = status === ApprovalStatus.APPROVED ? AssignmentAction.CLOSE : AssignmentAction.RETURN;
      await this.assignments.applyTransition(manager, actor, assignment, action, undefined, [Taker.SYSTEM]);
      await this.assignments.settleTask(manager, actor, task);
    }
    if (status === ApprovalStatus.APPROVED) {
      if (request.kind === ApprovalKind.EXTENSION && assignment && task)
        await this.extend(manager, actor, request, assignment, task);
      if (request.kind === ApprovalKind.ADJUSTMENT && task) await this.adjust(manager, actor, request, task);
      if (request.kind === ApprovalKind.DECOMPOSITION) await this.effects.apply(manager, actor, request);
    }
    const message = decidedMessage(await this.factsOf(manager, request), status, rejection);
    await this.notifications.notify(manager, {
      userIds: [request.requestedById],
      unitIds: [request.requesterUnitId],
      kind: NotificationKind.APPROVAL,
      ...message,
      subjectType: 'ApprovalRequest',
      subjectId: request.id,
      path: `/approvals/${request.id}`,
      dedupeKey: `approval:${request.id}:${status.toLowerCase()}`,
    });
  }

  /** The approvers of the step the request has reached hear of it, with their units' robots. */
  private async tellApprovers(manager: EntityManager, request: ApprovalRequest, step: ApprovalStep) {
    const approvers = await manager.findBy(User, { id: In(step.approverIds) });
    await this.notifications.notify(manager, {
      userIds: step.approverIds,
      unitIds: [...new Set(approvers.map((u) => u.orgUnitId))],
      kind: NotificationKind.APPROVAL,
      ...stepReachedMessage(await this.factsOf(manager, request), step.name),
      subjectType: 'ApprovalRequest',
      subjectId: request.id,
      path: `/approvals/${request.id}`,
      dedupeKey: `approval:${request.id}:step-${step.position}`,
    });
  }

  private async factsOf(manager: EntityManager, request: ApprovalRequest): Promise<RequestFacts> {
    const subject = request.taskId
      ? (await manager.findOneByOrFail(Task, { id: request.taskId })).title
      : (await manager.findOneByOrFail(Plan, { id: request.planId as string })).title;
    const unit = await manager.findOneByOrFail(OrgUnit, { id: request.requesterUnitId });
    const newDueAt = request.payload.newDueAt;
    return {
      kind: request.kind,
      subject,
      requesterUnit: unit.name,
      comment: request.comment,
      newDueAt: typeof newDueAt === 'string' ? new Date(newDueAt) : null,
    };
  }

  /** A request that ended otherwise than approved leaves its undecided steps not reached, not waiting. */
  private async markNotReached(manager: EntityManager, request: ApprovalRequest): Promise<void> {
    if (request.status === ApprovalStatus.APPROVED) return;
    await manager.update(
      ApprovalStep,
      { requestId: request.id, status: In(UNDECIDED) },
      { status: StepStatus.NOT_REACHED },
    );
  }

  /** One open request of a kind per assignment (a database key too): a second one names the first. */
  private async assertNoneOpen(manager: EntityManager, kind: ApprovalKind, assignmentId: string) {
    const open = await manager.findOneBy(ApprovalRequest, {
      assignmentId,
      kind,
      status: ApprovalStatus.PENDING,
    });
    if (!open) return;
    const step = open.currentStep
      ? await manager.findOneBy(ApprovalStep, { requestId: open.id, position: open.currentStep })
      : null;
    throw conflict(
      `该分工已有一项${KIND_LABELS[kind]}申请在审批中${step ? `（当前在“${step.name}”）` : ''}，请等待审批结果或先撤回该申请`,
      { pendingRequestId: open.id },
    );
  }

  private async extend(
    manager: EntityManager,
    actor: Actor,
    request: ApprovalRequest,
    assignment: Assignment,
    task: Task,
  ): Promise<void> {
    const newDueAt = new Date(request.payload.newDueAt as string);
    const before = { dueAt: assignment.dueAt, extensionCount: assignment.extensionCount };
    assignment.originalDueAt ??= assignment.dueAt;
    assignment.dueAt = newDueAt;
    assignment.extensionCount += 1;
    await manager.save(assignment);
    // A lead share may carry the task past its deadline; the task's deadline follows.
    if (!assignment.parentId && newDueAt > task.dueAt) {
      task.dueAt = newDueAt;
      await manager.save(task);
    }
    await this.audit.record(manager, actor, {
      action: 'assignment.extend',
      entityType: 'Assignment',
      entityId: assignment.id,
      taskId: task.id,
      unitIds: await this.assignments.unitIdsOf(manager, assignment),
      before,
      after: { dueAt: newDueAt, extensionCount: assignment.extensionCount, reason: request.payload.reason },
    });
    await this.outbox.add(manager, {
      type: DomainEventType.DUE_DATE_CHANGED,
      aggregateType: 'Assignment',
      aggregateId: assignment.id,
      payload: {
        taskId: task.id,
        from: before.dueAt.toISOString(),
        to: newDueAt.toISOString(),
        requestId: request.id,
        version: assignment.version,
      },
    });
    await this.observers.changed(manager, [{ assignment, kind: AssignmentChangeKind.DUE }]);
  }

  /**
   * Checks an adjustment against the task as it is: when it is proposed, and again when the last approval
   * applies it (the task may have moved on meanwhile, and then the approval fails with the reason).
   */
  private async checkAdjustment(
    manager: EntityManager,
    task: Task,
    changes: AdjustmentChanges,
  ): Promise<{ added: NewShare[]; units: Map<string, OrgUnit> }> {
    const dueAt = changes.dueAt ? new Date(changes.dueAt) : task.dueAt;
    const remove = changes.removeAssignmentIds ?? [];
    const shares = await manager.findBy(Assignment, { taskId: task.id });
    remove.forEach((id, i) => {
      const share = shares.find((s) => s.id === id);
      if (!share || share.parentId)
        throw badInput(`removeAssignmentIds.${i}`, '只能撤销本任务直接交办的分工');
    });
    const leadsLeft = shares.filter(
      (s) => !s.parentId && s.role === AssignmentRole.LEAD && !remove.includes(s.id),
    );
    if (remove.length && leadsLeft.length === 0) throw badInput('removeAssignmentIds', '任务须保留牵头单位');
    const staying = shares.filter((s) => !remove.includes(s.id) && !remove.includes(s.parentId ?? ''));
    if (changes.dueAt && staying.some((s) => s.dueAt > dueAt)) {
      throw badInput('dueAt', '已有承办单位的完成时限晚于新的任务时限');
    }
    (changes.milestones ?? []).forEach((m, i) => {
      if (new Date(m.dueAt) > dueAt)
        throw badInput(`milestones.${i}.dueAt`, `时间节点“${m.title}”晚于任务完成时限`);
    });
    const added = this.newSupportShares(changes);
    added.forEach((s) => {
      if (s.dueAt && s.dueAt > dueAt) throw badInput(`${s.field}.dueAt`, '完成时限不能晚于任务完成时限');
    });
    const units = added.length
      ? await this.assignments.checkNewShares(manager, task, added)
      : new Map<string, OrgUnit>();
    return { added, units };
  }

  private newSupportShares(changes: AdjustmentChanges): NewShare[] {
    return (changes.addSupportUnits ?? []).map((u, i) => ({
      orgUnitId: u.orgUnitId,
      dueAt: u.dueAt ? new Date(u.dueAt) : undefined,
      role: AssignmentRole.SUPPORT,
      field: `addSupportUnits.${i}`,
    }));
  }

  private async adjust(
    manager: EntityManager,
    actor: Actor,
    request: ApprovalRequest,
    task: Task,
  ): Promise<void> {
    const changes = request.payload.changes as AdjustmentChanges;
    const { added, units } = await this.checkAdjustment(manager, task, changes);
    const before = { title: task.title, description: task.description, dueAt: task.dueAt };
    if (changes.title !== undefined) task.title = changes.title;
    if (changes.description !== undefined) task.description = changes.description;
    if (changes.dueAt !== undefined) task.dueAt = new Date(changes.dueAt);
    await manager.save(task);
    if (changes.milestones) {
      const milestones = changes.milestones.map((m) => ({ title: m.title, dueAt: new Date(m.dueAt) }));
      await this.tasks.replaceMilestones(manager, task, milestones);
    }
    for (const id of changes.removeAssignmentIds ?? []) {
      await this.assignments.removeShare(
        manager,
        actor,
        await manager.findOneByOrFail(Assignment, { id }),
        null,
      );
    }
    if (added.length) await this.assignments.createShares(manager, actor, task, added, units);
    await this.assignments.settleTask(manager, actor, task);
    await this.audit.record(manager, actor, {
      action: 'task.adjust',
      entityType: 'Task',
      entityId: task.id,
      taskId: task.id,
      before,
      after: { ...changes, requestId: request.id },
    });
  }

  /** Active users a flow step names, for this request. */
  private async approversOf(manager: EntityManager, step: FlowStep, opening: Opening): Promise<string[]> {
    const users = (where: Record<string, unknown>) =>
      manager
        .find(User, { where: { active: true, ...where }, order: { username: 'ASC' } })
        .then((list) => list.map((u) => u.id));
    const unitId = opening.assignment?.orgUnitId;
    switch (step.source) {
      case ApproverSource.UNIT_HEAD:
        return unitId ? users({ orgUnitId: unitId, role: In(HEAD_ROLES) }) : [];
      case ApproverSource.LEAD_DEPARTMENT_HEAD: {
        const parent = opening.assignment?.parentId
          ? await manager.findOneBy(Assignment, { id: opening.assignment.parentId })
          : null;
        const leadUnits = parent
          ? [parent.orgUnitId]
          : opening.task
            ? (await manager.findBy(Assignment, { taskId: opening.task.id, role: AssignmentRole.LEAD }))
                .filter((a) => !a.parentId)
                .map((a) => a.orgUnitId)
            : [];
        return leadUnits.length ? users({ orgUnitId: In(leadUnits), role: Role.DEPARTMENT_HEAD }) : [];
      }
      case ApproverSource.INSPECTORATE:
        return users({ role: Role.INSPECTOR });
      case ApproverSource.RESPONSIBLE_LEADER: {
        // No leader named: the leader overseeing the lead unit (分管), else the 区长, as for any task the
        // government has not given to a deputy; failing a single 区长, any one leader may (the step is 或签).
        if (opening.task?.responsibleLeaderId) return [opening.task.responsibleLeaderId];
        if (opening.task) {
          const leads = await manager.find(Assignment, {
            where: { taskId: opening.task.id, role: AssignmentRole.LEAD, parentId: IsNull() },
            order: { createdAt: 'ASC', id: 'ASC' },
          });
          const overseer = await this.portfolios.leaderOverseeing(
            manager,
            leads.map((a) => a.orgUnitId),
          );
          if (overseer) return [overseer];
        }
        const principal = await users({ role: Role.LEADER, title: PRINCIPAL_LEADER_TITLE });
        return principal.length === 1 ? principal : users({ role: Role.LEADER });
      }
      case ApproverSource.ROLE:
        return users({ role: step.role, ...(step.orgUnitId && { orgUnitId: step.orgUnitId }) });
    }
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length > 0 && a.length === b.length && a.every((id) => b.includes(id));
}
