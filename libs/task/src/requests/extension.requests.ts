import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ApprovalKind,
  ApprovalReadService,
  ApprovalService,
  ApprovalStatus,
  type ApprovalKindHandler,
  type ApprovalOutcome,
  type ApprovalRequest,
  type RequestSubject,
} from '@zhezi/approval';
import { AuditService } from '@zhezi/audit';
import {
  badInput,
  Clock,
  conflict,
  forbidden,
  Role,
  transactional,
  type Actor,
  type RequestContext,
} from '@zhezi/core';
import { DomainEventType, OutboxService } from '@zhezi/outbox';
import { Assignment, AssignmentStatus } from '../assignment.entity';
import { Taker, takersFor } from '../assignment.lifecycle';
import { AssignmentChangeKind, AssignmentObservers } from '../assignment.observers';
import { AssignmentStateService } from '../assignment-state.service';
import { Task } from '../task.entity';
import { readExtension } from './request.payloads';
import type { ExtensionRecord, RequestExtensionInput } from './request.types';
import { lockShareOf, openTaskRequest, taskSubject } from './task-request';

const CLOSED_OR_SUSPENDED = [AssignmentStatus.CLOSED, AssignmentStatus.SUSPENDED];

/** 申请延期: approved, the share's deadline moves (and the task's, when a lead share passes it). */
@Injectable()
export class ExtensionRequests implements ApprovalKindHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly approvals: ApprovalService,
    private readonly reads: ApprovalReadService,
    private readonly assignments: AssignmentStateService,
    private readonly observers: AssignmentObservers,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /** A unit asks before its deadline; once it has passed, only an inspector can open one for it. */
  request(actor: Actor, input: RequestExtensionInput): Promise<ApprovalRequest> {
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
      await this.approvals.assertNoneOpen(manager, ApprovalKind.EXTENSION, assignment.id);
      if (input.newDueAt <= assignment.dueAt) throw badInput('newDueAt', '申请的时限须晚于现有完成时限');
      if (assignment.parentId) {
        const parent = await manager.findOneByOrFail(Assignment, { id: assignment.parentId });
        if (input.newDueAt > parent.dueAt)
          throw badInput('newDueAt', '不能晚于上级部门的完成时限，请先由部门申请延期');
      }
      const task = await this.assignments.lockTask(manager, assignment.taskId, 'assignmentId');
      return openTaskRequest(this.approvals, manager, actor, {
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

  async describe(manager: EntityManager, request: ApprovalRequest): Promise<RequestSubject> {
    return {
      ...(await taskSubject(manager, request, this.assignments)),
      newDueAt: new Date(readExtension(request).newDueAt),
    };
  }

  async settle(
    manager: EntityManager,
    actor: Actor,
    request: ApprovalRequest,
    outcome: ApprovalOutcome,
  ): Promise<void> {
    if (outcome !== ApprovalStatus.APPROVED) return;
    const payload = readExtension(request);
    const assignment = (await lockShareOf(manager, request)) as Assignment;
    const task = await this.assignments.lockTask(manager, assignment.taskId, 'taskId');
    await this.extend(manager, actor, request, assignment, task, payload.reason, new Date(payload.newDueAt));
  }

  /** Approved extensions per assignment, oldest first: the due-date history with its reasons. */
  async extensionsOf(ctx: RequestContext, assignmentId: string): Promise<ExtensionRecord[]> {
    const loader = this.reads.byAssignmentOfKindLoader(ctx, ApprovalKind.EXTENSION, ApprovalStatus.APPROVED);
    return (await loader.load(assignmentId)).map((request) => {
      const payload = readExtension(request);
      return {
        requestId: request.id,
        previousDueAt: new Date(payload.previousDueAt),
        newDueAt: new Date(payload.newDueAt),
        reason: payload.reason,
        approvedAt: request.closedAt as Date,
      };
    });
  }

  private async extend(
    manager: EntityManager,
    actor: Actor,
    request: ApprovalRequest,
    assignment: Assignment,
    task: Task,
    reason: string,
    newDueAt: Date,
  ): Promise<void> {
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
      after: { dueAt: newDueAt, extensionCount: assignment.extensionCount, reason },
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
}
