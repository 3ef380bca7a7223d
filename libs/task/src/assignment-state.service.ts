import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessPolicy } from '@zhezi/access';
import { AuditService } from '@zhezi/audit';
import { DomainEventType, OutboxService } from '@zhezi/outbox';
import { Clock, conflict, forbidden, notFound, transactional, type Actor } from '@zhezi/core';
import { Assignment, AssignmentStatus } from './assignment.entity';
import { AssignmentChangeKind, AssignmentObservers } from './assignment.observers';
import {
  allClosed,
  ASSIGNMENT_TRANSITIONS,
  AssignmentAction,
  checkTransition,
  takersFor,
  Taker,
} from './assignment.lifecycle';
import { Task } from './task.entity';
import { TaskEvents } from './task.events';
import { deriveTaskState, meanProgress, progressOf } from './task-state';

/**
 * A share's status and what follows from it: the locks a change takes, one row of the transition table at a time,
 * and the derived state (split shares closing with their parts, progress rolled up, the task's status) settled in
 * the same transaction.
 */
@Injectable()
export class AssignmentStateService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly access: AccessPolicy,
    private readonly outbox: OutboxService,
    private readonly observers: AssignmentObservers,
    private readonly clock: Clock,
  ) {}

  /**
   * Locks an assignment a person is about to change: NOT_FOUND, then FORBIDDEN unless they may see it, then
   * CONFLICT unless it is still at the version they read.
   */
  async lockForChange(
    manager: EntityManager,
    actor: Actor,
    id: string,
    version: number,
  ): Promise<Assignment> {
    const assignment = await manager.findOne(Assignment, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!assignment) throw notFound('分工', id);
    if (!(await this.access.canSeeAssignment(actor, assignment.id, manager))) {
      throw forbidden('无权操作其他单位的分工');
    }
    if (assignment.version !== version) {
      throw conflict('分工已被他人修改，请刷新后重试', {
        currentVersion: assignment.version,
        currentStatus: assignment.status,
      });
    }
    return assignment;
  }

  /** The units an event about this assignment concerns: its own, and the department that split it off. */
  async unitIdsOf(manager: EntityManager, assignment: Assignment): Promise<string[]> {
    if (!assignment.parentId) return [assignment.orgUnitId];
    const parent = await manager.findOneBy(Assignment, { id: assignment.parentId });
    return parent ? [assignment.orgUnitId, parent.orgUnitId] : [assignment.orgUnitId];
  }

  /** Locks the task row: changes to one task's assignments run one at a time. */
  async lockTask(manager: EntityManager, taskId: string, field: string): Promise<Task> {
    const task = await manager.findOne(Task, { where: { id: taskId }, lock: { mode: 'pessimistic_write' } });
    if (!task) throw field === 'taskId' ? notFound('任务', taskId) : notFound('分工所属任务', taskId);
    return task;
  }

  /**
   * Brings derived state in line after a change to a task's shares: a split share whose parts are all closed
   * closes, a split share's progress follows its parts, then the task's status and progress follow its lead
   * shares. Same transaction as the change, recomputed from the locked rows rather than by deltas, so two
   * parts changing at once cannot lose an update.
   */
  async settleTask(manager: EntityManager, actor: Actor, task: Task): Promise<Task> {
    const shares = await manager.find(Assignment, {
      where: { taskId: task.id },
      lock: { mode: 'pessimistic_write' },
    });
    const closable = ASSIGNMENT_TRANSITIONS[AssignmentAction.CLOSE_WITH_PARTS].from;
    for (const parent of shares) {
      const parts = shares.filter((s) => s.parentId === parent.id);
      if (parts.length === 0) continue;
      if (closable.includes(parent.status) && allClosed(parts.map((p) => p.status))) {
        await this.applyTransition(manager, null, parent, AssignmentAction.CLOSE_WITH_PARTS, undefined, [
          Taker.SYSTEM,
        ]);
      }
      await this.rollUpProgress(manager, actor, parent, parts);
    }
    const next = deriveTaskState(shares);
    if (task.status === next.status && task.progressPercent === next.progressPercent) return task;
    const before = { status: task.status, progressPercent: task.progressPercent };
    Object.assign(task, next);
    const saved = await manager.save(task);
    await this.audit.record(manager, actor, TaskEvents.status(task.id, before, next));
    return saved;
  }

  /** A split share's progress is that of its parts (a closed share's is 100); audited when it moves. */
  private async rollUpProgress(
    manager: EntityManager,
    actor: Actor,
    parent: Assignment,
    parts: Assignment[],
  ): Promise<void> {
    const progressPercent = parent.status === AssignmentStatus.CLOSED ? 100 : meanProgress(parts);
    if (parent.progressPercent === progressPercent) return;
    const before = { progressPercent: parent.progressPercent };
    parent.progressPercent = progressPercent;
    await manager.save(parent);
    await this.audit.record(manager, actor, {
      action: 'assignment.progress_rollup',
      entityType: 'Assignment',
      entityId: parent.id,
      taskId: parent.taskId,
      unitIds: [parent.orgUnitId],
      before,
      after: { progressPercent, parts: parts.map((p) => ({ id: p.id, progressPercent: progressOf(p) })) },
    });
  }

  /** Runs one row of the transition table for a person: checks version, taker and status, then settles. */
  transition(
    actor: Actor,
    input: { assignmentId: string; version: number; action: AssignmentAction; reason?: string },
  ): Promise<Assignment> {
    return transactional(this.dataSource, async (manager) => {
      const assignment = await this.lockForChange(manager, actor, input.assignmentId, input.version);
      const takers = takersFor(actor, assignment.orgUnitId);
      const saved = await this.applyTransition(
        manager,
        actor,
        assignment,
        input.action,
        input.reason,
        takers,
      );
      const task = await this.lockTask(manager, assignment.taskId, 'assignmentId');
      await this.settleTask(manager, actor, task);
      return saved;
    });
  }

  /** The one place a status changes: table check, history (audit), domain event. */
  async applyTransition(
    manager: EntityManager,
    actor: Actor | null,
    assignment: Assignment,
    action: AssignmentAction,
    reason: string | undefined,
    takers: readonly Taker[],
  ): Promise<Assignment> {
    const check = checkTransition(action, assignment.status, takers, assignment.statusBeforeSuspend);
    if (!check.ok) {
      if (check.reason === 'TAKER') throw forbidden(check.message);
      throw conflict(check.message, { currentStatus: assignment.status });
    }
    // A split share closes through its parts (CLOSE_WITH_PARTS), never while one is open.
    if (action === AssignmentAction.CLOSE) {
      const open = await manager
        .createQueryBuilder(Assignment, 'a')
        .where('a.parent_id = :id AND a.status <> :closed', {
          id: assignment.id,
          closed: AssignmentStatus.CLOSED,
        })
        .getExists();
      if (open) throw conflict('该分工已分解，须待下级分工全部销号', { currentStatus: assignment.status });
    }
    const before = { status: assignment.status };
    assignment.statusBeforeSuspend = check.to === AssignmentStatus.SUSPENDED ? assignment.status : null;
    assignment.status = check.to;
    // Boards compare it with the due date (the on-time rate).
    assignment.closedAt = check.to === AssignmentStatus.CLOSED ? this.clock.now() : null;
    // A closed share is done: every figure (boards, exports, the roll-up) reads it as 100.
    if (check.to === AssignmentStatus.CLOSED) assignment.progressPercent = 100;
    const saved = await manager.save(assignment);
    const unitIds = await this.unitIdsOf(manager, assignment);
    await this.audit.record(manager, actor, {
      action: `assignment.${action.toLowerCase()}`,
      entityType: 'Assignment',
      entityId: assignment.id,
      taskId: assignment.taskId,
      unitIds,
      before,
      after: { status: check.to, ...(reason && { reason }) },
    });
    await this.outbox.add(manager, {
      type: DomainEventType.ASSIGNMENT_STATUS_CHANGED,
      aggregateType: 'Assignment',
      aggregateId: assignment.id,
      payload: {
        taskId: assignment.taskId,
        action,
        from: before.status,
        to: check.to,
        version: saved.version,
      },
    });
    await this.observers.changed(manager, [{ assignment: saved, kind: AssignmentChangeKind.STATUS }]);
    return saved;
  }
}
