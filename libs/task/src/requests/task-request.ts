import { IsNull, type EntityManager } from 'typeorm';
import { ApprovalRequest, ApprovalService, type ApprovalKind, type RequestSubject } from '@zhezi/approval';
import type { Actor } from '@zhezi/core';
import { Assignment, AssignmentRole } from '../assignment.entity';
import type { AssignmentStateService } from '../assignment-state.service';
import { Task } from '../task.entity';

/** A task's request about to open: the task, and the share it is about (none for a leader's adjustment). */
export interface TaskRequestOpening {
  kind: ApprovalKind;
  task: Task;
  assignment: Assignment | null;
  payload: Record<string, unknown>;
  comment: string;
}

/**
 * Opens a close-out, extension or adjustment request: the share's unit asks, and the flow's steps name the
 * unit's heads, the department that split the share (else the task's lead departments) and the task's leader.
 */
export async function openTaskRequest(
  approvals: ApprovalService,
  manager: EntityManager,
  actor: Actor,
  opening: TaskRequestOpening,
): Promise<ApprovalRequest> {
  const { task, assignment } = opening;
  const leads = await manager.find(Assignment, {
    where: { taskId: task.id, role: AssignmentRole.LEAD, parentId: IsNull() },
    order: { createdAt: 'ASC', id: 'ASC' },
  });
  const parent = assignment?.parentId
    ? await manager.findOneBy(Assignment, { id: assignment.parentId })
    : null;
  const leadUnitIds = leads.map((a) => a.orgUnitId);
  return approvals.open(manager, actor, {
    kind: opening.kind,
    taskId: task.id,
    planId: task.planId,
    assignmentId: assignment?.id ?? null,
    requesterUnitId: assignment?.orgUnitId ?? actor.orgUnitId,
    payload: opening.payload,
    comment: opening.comment,
    routing: {
      unitId: assignment?.orgUnitId ?? null,
      leadDepartmentIds: parent ? [parent.orgUnitId] : leadUnitIds,
      responsibleLeaderId: task.responsibleLeaderId,
      leadUnitIds,
    },
  });
}

/** A task request's subject: the task's title, and the units the share's own events name. */
export async function taskSubject(
  manager: EntityManager,
  request: ApprovalRequest,
  shares: AssignmentStateService,
): Promise<RequestSubject> {
  const task = await manager.findOneByOrFail(Task, { id: request.taskId as string });
  const share = request.assignmentId
    ? await manager.findOneBy(Assignment, { id: request.assignmentId })
    : null;
  return { title: task.title, unitIds: share ? await shares.unitIdsOf(manager, share) : [] };
}

/** The share a request is about, locked for the change its end makes (a leader's adjustment may have none). */
export function lockShareOf(manager: EntityManager, request: ApprovalRequest): Promise<Assignment | null> {
  return request.assignmentId
    ? manager.findOne(Assignment, {
        where: { id: request.assignmentId },
        lock: { mode: 'pessimistic_write' },
      })
    : Promise.resolve(null);
}
