import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import { badInput, Clock, conflict, forbidden, notFound, Role, transactional, type Actor } from '@zhezi/core';
import { NotificationKind, NotificationService } from '@zhezi/notify';
import { OrgUnit, PortfolioService, User } from '@zhezi/org';
import { DomainEventType, OutboxService } from '@zhezi/outbox';
import { ApprovalFlow, ApprovalKind, ApproverSource, StepMode, type FlowStep } from './approval-flow.entity';
import {
  ApprovalDecision,
  ApprovalRequest,
  ApprovalStatus,
  ApprovalStep,
  Decision,
  StepStatus,
} from './approval-request.entity';
import { ApprovalKinds } from './approval.kinds';
import { decidedMessage, KIND_LABELS, stepReachedMessage, type RequestFacts } from './approval.messages';
import { nextStepPosition, stepOutcome } from './approval-routing';
import type { DecideApprovalInput } from './approval.types';

const HEAD_ROLES = [Role.DEPARTMENT_HEAD, Role.SUBDISTRICT_HEAD];
/** The 职务 of the leader who signs off a task that names no responsible leader. */
const PRINCIPAL_LEADER_TITLE = '区长';
/** Steps still open when a request ends otherwise than approved. */
const UNDECIDED = [StepStatus.WAITING, StepStatus.PENDING];
interface Rejection {
  stepName: string;
  by: string;
  comment: string;
}

/** A request about to open, as the module owning its subject describes it. */
export interface ApprovalOpening {
  kind: ApprovalKind;
  /** A task's request (close-out, extension, adjustment) or a plan's (decomposition). */
  taskId: string | null;
  planId: string | null;
  assignmentId: string | null;
  /** The unit asking: the share's unit, or the requester's own. */
  requesterUnitId: string;
  payload: Record<string, unknown>;
  comment: string;
  /** Whom the flow's steps name. */
  routing: ApprovalRouting;
}

/** The people a flow's approver sources stand for, for one request. */
export interface ApprovalRouting {
  /** UNIT_HEAD: the heads of this unit. */
  unitId: string | null;
  /** LEAD_DEPARTMENT_HEAD: the heads of these departments (the splitting department, or the task's leads). */
  leadDepartmentIds: string[];
  /** RESPONSIBLE_LEADER: this leader; when none, the leader overseeing the first of `leadUnitIds`. */
  responsibleLeaderId: string | null;
  leadUnitIds: string[];
}

/**
 * 审批: a request copies its kind's flow when it opens, finds each step's approvers then, and moves step by
 * step. The module owning the request's subject settles it (ApprovalKinds) in the transaction of the decision
 * that ends it; the request's row lock and the one-decision-per-approver-per-step key make settling twice
 * impossible.
 */
@Injectable()
export class ApprovalService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly kinds: ApprovalKinds,
    private readonly notifications: NotificationService,
    private readonly portfolios: PortfolioService,
  ) {}

  decide(actor: Actor, input: DecideApprovalInput): Promise<ApprovalRequest> {
    if (input.decision === Decision.REJECT && !input.comment.trim()) {
      throw badInput('comment', '退回时请填写意见，申请人将看到它');
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
        unitIds: await this.historyUnits(manager, request),
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
      request.status = ApprovalStatus.WITHDRAWN;
      request.currentStep = null;
      request.closedAt = this.clock.now();
      await this.markNotReached(manager, request);
      await this.kinds.of(request.kind).settle(manager, actor, request, ApprovalStatus.WITHDRAWN);
      await this.audit.record(manager, actor, {
        action: 'approval.withdraw',
        entityType: 'ApprovalRequest',
        entityId: request.id,
        taskId: request.taskId,
        unitIds: await this.historyUnits(manager, request),
        after: { status: request.status },
      });
      return manager.save(request);
    });
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

  /**
   * Opens a request inside the caller's transaction: the caller has checked and locked its subject and made
   * sure no other request of the kind is open for it (`assertNoneOpen`).
   */
  async open(manager: EntityManager, actor: Actor, opening: ApprovalOpening): Promise<ApprovalRequest> {
    const flow = await manager.findOneByOrFail(ApprovalFlow, { kind: opening.kind });
    const request = await manager.save(
      manager.create(ApprovalRequest, {
        kind: opening.kind,
        taskId: opening.taskId,
        planId: opening.planId,
        assignmentId: opening.assignmentId,
        requestedById: actor.userId,
        requesterUnitId: opening.requesterUnitId,
        status: ApprovalStatus.PENDING,
        currentStep: null,
        payload: opening.payload,
        comment: opening.comment,
        createdAt: this.clock.now(),
      }),
    );
    let previous: string[] = [];
    for (const [index, flowStep] of flow.steps.entries()) {
      const found = (await this.approversOf(manager, flowStep, opening.routing)).filter(
        (id) => id !== actor.userId,
      );
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
      taskId: opening.taskId,
      unitIds: await this.historyUnits(manager, request),
      after: request,
    });
    await this.advance(manager, actor, request, 0);
    return manager.save(request);
  }

  /** One open request of a kind per assignment (a database key too): a second one names the first. */
  async assertNoneOpen(manager: EntityManager, kind: ApprovalKind, assignmentId: string): Promise<void> {
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
    await this.kinds.of(request.kind).settle(manager, actor, request, status);
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

  /** The units whose audit trail shows this request's events: the requester's and those its subject names. */
  private async historyUnits(manager: EntityManager, request: ApprovalRequest): Promise<string[]> {
    const subject = await this.kinds.of(request.kind).describe(manager, request);
    return [...new Set([request.requesterUnitId, ...subject.unitIds])];
  }

  private async factsOf(manager: EntityManager, request: ApprovalRequest): Promise<RequestFacts> {
    const subject = await this.kinds.of(request.kind).describe(manager, request);
    const unit = await manager.findOneByOrFail(OrgUnit, { id: request.requesterUnitId });
    return {
      kind: request.kind,
      subject: subject.title,
      requesterUnit: unit.name,
      comment: request.comment,
      newDueAt: subject.newDueAt ?? null,
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

  /** Active users a flow step names, for this request. */
  private async approversOf(
    manager: EntityManager,
    step: FlowStep,
    routing: ApprovalRouting,
  ): Promise<string[]> {
    const users = (where: Record<string, unknown>) =>
      manager
        .find(User, { where: { active: true, ...where }, order: { username: 'ASC' } })
        .then((list) => list.map((u) => u.id));
    switch (step.source) {
      case ApproverSource.UNIT_HEAD:
        return routing.unitId ? users({ orgUnitId: routing.unitId, role: In(HEAD_ROLES) }) : [];
      case ApproverSource.LEAD_DEPARTMENT_HEAD:
        return routing.leadDepartmentIds.length
          ? users({ orgUnitId: In(routing.leadDepartmentIds), role: Role.DEPARTMENT_HEAD })
          : [];
      case ApproverSource.INSPECTORATE:
        return users({ role: Role.INSPECTOR });
      case ApproverSource.RESPONSIBLE_LEADER: {
        // No leader named: the leader overseeing the lead unit (分管), else the 区长, as for any task the
        // government has not given to a deputy; failing a single 区长, any one leader may (the step is 或签).
        if (routing.responsibleLeaderId) return [routing.responsibleLeaderId];
        const overseer = await this.portfolios.leaderOverseeing(manager, routing.leadUnitIds);
        if (overseer) return [overseer];
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
