import type { AuditInput } from '@zhezi/audit';
import type { Assignment } from './assignment.entity';
import type { Milestone } from './milestone.entity';
import type { Task } from './task.entity';

/**
 * The audit events of a new task and its shares, one shape whether they are written one at a time (a task made
 * by hand) or in sets (a published decomposition).
 */
export const TaskEvents = {
  created: (task: Task, milestones: readonly Milestone[]): AuditInput => ({
    action: 'task.create',
    entityType: 'Task',
    entityId: task.id,
    taskId: task.id,
    after: { ...task, milestones },
  }),

  assigned: (assignment: Assignment, orgUnitName: string | undefined): AuditInput => ({
    action: 'assignment.assign',
    entityType: 'Assignment',
    entityId: assignment.id,
    taskId: assignment.taskId,
    unitIds: [assignment.orgUnitId],
    after: { ...assignment, orgUnitName },
  }),

  /** A task that named no responsible leader got the one overseeing its lead unit. */
  leaderFromPortfolio: (taskId: string, leaderId: string): AuditInput => ({
    action: 'task.responsibleLeader',
    entityType: 'Task',
    entityId: taskId,
    taskId,
    before: { responsibleLeaderId: null },
    after: { responsibleLeaderId: leaderId, source: 'PORTFOLIO' },
  }),

  status: (
    taskId: string,
    before: Pick<Task, 'status' | 'progressPercent'>,
    after: Pick<Task, 'status' | 'progressPercent'>,
  ): AuditInput => ({
    action: 'task.status',
    entityType: 'Task',
    entityId: taskId,
    taskId,
    before,
    after,
  }),
};
