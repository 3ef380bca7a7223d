import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Assignment } from './assignment.entity';
import type { Milestone } from './milestone.entity';
import type { Task } from './task.entity';

/**
 * The SQL of creating tasks in sets: each table written in one statement per batch from JSON records, so a
 * batch of a thousand tasks costs a fixed number of statements.
 */
@Injectable()
export class TaskBatchRepository {
  /** The transaction's start, which every `now()` default of the transaction writes. */
  async transactionTime(manager: EntityManager): Promise<Date> {
    const [row] = await manager.query<{ now: Date }[]>(`SELECT now() AS now`);
    return row.now;
  }

  /** Which of these (plan, code) pairs a task already holds, as `plan:code`. */
  async takenCodes(manager: EntityManager, pairs: readonly { planId: string; code: string }[]) {
    const rows = await manager.query<{ key: string }[]>(
      `SELECT t.plan_id || ':' || t.code AS key FROM task t
       JOIN unnest($1::uuid[], $2::varchar[]) AS w(plan_id, code) ON w.plan_id = t.plan_id AND w.code = t.code`,
      [pairs.map((p) => p.planId), pairs.map((p) => p.code)],
    );
    return new Set(rows.map((r) => r.key));
  }

  async insertTasks(manager: EntityManager, tasks: readonly Task[]): Promise<void> {
    await manager.query(
      `INSERT INTO task (id, plan_id, target_id, code, title, description, responsible_leader_id, due_at, due_kind,
         recurrence, priority, status, progress_percent, created_by_id, version)
       SELECT d.id, d.plan_id, d.target_id, d.code, d.title, d.description, d.responsible_leader_id, d.due_at,
         d.due_kind, d.recurrence, d.priority, d.status, d.progress_percent, d.created_by_id, d.version
       FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, plan_id uuid, target_id uuid, code varchar, title varchar,
         description text, responsible_leader_id uuid, due_at timestamptz, due_kind varchar, recurrence varchar,
         priority varchar, status varchar, progress_percent smallint, created_by_id uuid, version int)`,
      [
        JSON.stringify(
          tasks.map((t) => ({
            id: t.id,
            plan_id: t.planId,
            target_id: t.targetId,
            code: t.code,
            title: t.title,
            description: t.description,
            responsible_leader_id: t.responsibleLeaderId,
            due_at: t.dueAt,
            due_kind: t.dueKind,
            recurrence: t.recurrence,
            priority: t.priority,
            status: t.status,
            progress_percent: t.progressPercent,
            created_by_id: t.createdById,
            version: t.version,
          })),
        ),
      ],
    );
  }

  async insertMilestones(manager: EntityManager, milestones: readonly Milestone[]): Promise<void> {
    if (!milestones.length) return;
    await manager.query(
      `INSERT INTO milestone (id, task_id, title, due_at, position)
       SELECT d.id, d.task_id, d.title, d.due_at, d.position
       FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, task_id uuid, title varchar, due_at timestamptz, position int)`,
      [
        JSON.stringify(
          milestones.map((m) => ({
            id: m.id,
            task_id: m.taskId,
            title: m.title,
            due_at: m.dueAt,
            position: m.position,
          })),
        ),
      ],
    );
  }

  /** Top-level shares; the board's statement trigger then touches each (plan, unit) once. */
  async insertShares(manager: EntityManager, shares: readonly Assignment[]): Promise<void> {
    if (!shares.length) return;
    await manager.query(
      `INSERT INTO assignment (id, task_id, org_unit_id, role, due_at, due_kind, status, progress_percent,
         extension_count, assigned_by_id, version)
       SELECT d.id, d.task_id, d.org_unit_id, d.role, d.due_at, d.due_kind, d.status, d.progress_percent,
         d.extension_count, d.assigned_by_id, d.version
       FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, task_id uuid, org_unit_id uuid, role varchar,
         due_at timestamptz, due_kind varchar, status varchar, progress_percent smallint, extension_count int,
         assigned_by_id uuid, version int)`,
      [
        JSON.stringify(
          shares.map((a) => ({
            id: a.id,
            task_id: a.taskId,
            org_unit_id: a.orgUnitId,
            role: a.role,
            due_at: a.dueAt,
            due_kind: a.dueKind,
            status: a.status,
            progress_percent: a.progressPercent,
            extension_count: a.extensionCount,
            assigned_by_id: a.assignedById,
            version: a.version,
          })),
        ),
      ],
    );
  }
}
