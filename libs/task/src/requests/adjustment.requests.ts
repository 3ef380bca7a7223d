import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ApprovalKind,
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
  DEPARTMENT_ROLES,
  forbidden,
  Role,
  SUBDISTRICT_ROLES,
  transactional,
  type Actor,
} from '@zhezi/core';
import type { OrgUnit } from '@zhezi/org';
import { Assignment, AssignmentRole } from '../assignment.entity';
import { AssignmentService, type NewShare } from '../assignment.service';
import { AssignmentStateService } from '../assignment-state.service';
import { checkWithinDeadline } from '../deadline-rule';
import { Task } from '../task.entity';
import { TaskService } from '../task.service';
import { readAdjustment, type AdjustmentChanges } from './request.payloads';
import type { RequestAdjustmentInput } from './request.types';
import { lockShareOf, openTaskRequest, taskSubject } from './task-request';

/** 申请调整: a change of the task's content, deadline, milestones or units, applied when approved. */
@Injectable()
export class AdjustmentRequests implements ApprovalKindHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly approvals: ApprovalService,
    private readonly assignments: AssignmentService,
    private readonly shareState: AssignmentStateService,
    private readonly tasks: TaskService,
    private readonly audit: AuditService,
  ) {}

  /** The lead unit (or a leader) proposes a change of the task's content or deadline. */
  request(actor: Actor, input: RequestAdjustmentInput): Promise<ApprovalRequest> {
    return transactional(this.dataSource, async (manager) => {
      const task = await this.shareState.lockTask(manager, input.taskId, 'taskId');
      const leads = await manager.findBy(Assignment, { taskId: task.id, role: AssignmentRole.LEAD });
      const leadShare = leads.find((a) => a.parentId === null && a.orgUnitId === actor.orgUnitId);
      const unitUser = [...DEPARTMENT_ROLES, ...SUBDISTRICT_ROLES].includes(actor.role);
      if (!(unitUser && leadShare) && actor.role !== Role.LEADER && actor.role !== Role.ADMIN) {
        throw forbidden('只有牵头单位或区领导可以申请调整任务');
      }
      // Dates become ISO text and absent changes disappear: the payload as it will be read back.
      const changes = JSON.parse(
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
      if (leadShare) await this.approvals.assertNoneOpen(manager, ApprovalKind.ADJUSTMENT, leadShare.id);
      await this.check(manager, task, changes);
      return openTaskRequest(this.approvals, manager, actor, {
        kind: ApprovalKind.ADJUSTMENT,
        task,
        assignment: leadShare ?? null,
        payload: { changes, reason: input.reason },
        comment: input.reason,
      });
    });
  }

  describe(manager: EntityManager, request: ApprovalRequest): Promise<RequestSubject> {
    return taskSubject(manager, request, this.shareState);
  }

  async settle(
    manager: EntityManager,
    actor: Actor,
    request: ApprovalRequest,
    outcome: ApprovalOutcome,
  ): Promise<void> {
    if (outcome !== ApprovalStatus.APPROVED) return;
    const { changes } = readAdjustment(request);
    await lockShareOf(manager, request);
    const task = await this.shareState.lockTask(manager, request.taskId as string, 'taskId');
    const { added, units } = await this.check(manager, task, changes);
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
      const share = await manager.findOneByOrFail(Assignment, { id });
      await this.assignments.removeShare(manager, actor, share, null);
    }
    if (added.length) await this.assignments.createShares(manager, actor, task, added, units);
    await this.shareState.settleTask(manager, actor, task);
    await this.audit.record(manager, actor, {
      action: 'task.adjust',
      entityType: 'Task',
      entityId: task.id,
      taskId: task.id,
      before,
      after: { ...changes, requestId: request.id },
    });
  }

  /**
   * Checks an adjustment against the task as it is: when it is proposed, and again when the last approval
   * applies it (the task may have moved on meanwhile, and then the approval fails with the reason).
   */
  private async check(
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
    const milestones = (changes.milestones ?? []).map((m, i) => ({
      dueAt: new Date(m.dueAt),
      field: `milestones.${i}.dueAt`,
      milestone: m.title,
    }));
    const added: NewShare[] = (changes.addSupportUnits ?? []).map((u, i) => ({
      orgUnitId: u.orgUnitId,
      dueAt: u.dueAt ? new Date(u.dueAt) : undefined,
      role: AssignmentRole.SUPPORT,
      field: `addSupportUnits.${i}`,
    }));
    checkWithinDeadline(
      [...milestones, ...added.flatMap((s) => (s.dueAt ? [{ dueAt: s.dueAt, field: s.field }] : []))],
      dueAt,
    );
    const units = added.length
      ? await this.assignments.checkNewShares(manager, task, added)
      : new Map<string, OrgUnit>();
    return { added, units };
  }
}
