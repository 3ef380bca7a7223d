import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  column,
  DEPARTMENT_ROLES,
  forbidden,
  readsEverything,
  tableRef,
  type Actor,
  type SqlColumn,
  type TableRef,
} from '@zhezi/core';

export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

/** The share inside the conditions' own subqueries. */
const VISIBLE_SHARE = tableRef('assignment', 'va');

/**
 * Who may see what, in one place. District-wide readers see all; a department sees its own unit's
 * assignments and the sub-assignments it split off them; a subdistrict or town sees only its own. A task is
 * visible when one of its assignments is; an approval request to its requester's unit, its approvers and who
 * sees its share; an audit event as its task and units allow. Expressed as SQL on the caller's table
 * reference, so lists filter in the database whatever the query calls its tables.
 */
@Injectable()
export class AccessPolicy {
  constructor(private readonly dataSource: DataSource) {}

  /** Condition that the referenced assignment is visible, or null when the actor sees everything. */
  assignmentCondition(actor: Actor, assignment: TableRef<'assignment'>): SqlCondition | null {
    if (readsEverything(actor)) return null;
    const params = { accessUnitId: actor.orgUnitId };
    const unit = column(assignment, 'org_unit_id');
    if (DEPARTMENT_ROLES.includes(actor.role)) {
      const parent = column(assignment, 'parent_id');
      return {
        sql: `(${unit} = :accessUnitId OR ${parent} IN (SELECT own.id FROM assignment own WHERE own.org_unit_id = :accessUnitId))`,
        params,
      };
    }
    return { sql: `${unit} = :accessUnitId`, params };
  }

  /** Condition that the task whose id is in `taskId` (e.g. `column(task, 'id')`) is visible. */
  taskCondition(actor: Actor, taskId: SqlColumn): SqlCondition | null {
    const inner = this.assignmentCondition(actor, VISIBLE_SHARE);
    if (!inner) return null;
    return {
      sql: `EXISTS (SELECT 1 FROM assignment va WHERE va.task_id = ${taskId} AND ${inner.sql})`,
      params: inner.params,
    };
  }

  /** Condition that the plan whose id is in `planId` holds a share the actor may see. */
  planCondition(actor: Actor, planId: SqlColumn): SqlCondition | null {
    const inner = this.assignmentCondition(actor, VISIBLE_SHARE);
    if (!inner) return null;
    return {
      sql: `EXISTS (SELECT 1 FROM assignment va JOIN task vt ON vt.id = va.task_id
                    WHERE vt.plan_id = ${planId} AND ${inner.sql})`,
      params: inner.params,
    };
  }

  /**
   * An approval request is visible to its requester's unit, to everyone named on one of its steps, and to
   * whoever sees the share it is about.
   */
  approvalRequestCondition(actor: Actor, request: TableRef<'approval_request'>): SqlCondition | null {
    if (readsEverything(actor)) return null;
    const share = this.assignmentCondition(actor, VISIBLE_SHARE);
    return {
      sql: `(${column(request, 'requester_unit_id')} = :ownUnit
        OR EXISTS (SELECT 1 FROM approval_step vs WHERE vs.request_id = ${column(request, 'id')} AND :me = ANY(vs.approver_ids))
        OR EXISTS (SELECT 1 FROM assignment va WHERE va.id = ${column(request, 'assignment_id')} AND ${share?.sql ?? 'true'}))`,
      params: { ownUnit: actor.orgUnitId, me: actor.userId, ...share?.params },
    };
  }

  /**
   * An audit event is visible to a unit user when it concerns no unit or the user's own (events about a
   * split-off share name the splitting department too), and its task, if any, is visible.
   */
  auditEventCondition(actor: Actor, event: TableRef<'audit_event'>): SqlCondition | null {
    if (readsEverything(actor)) return null;
    const units = column(event, 'unit_ids');
    const taskId = column(event, 'task_id');
    const task = this.taskCondition(actor, taskId);
    return {
      sql: `(${units} = '{}' OR :auditUnitId = ANY(${units}))${task ? ` AND (${taskId} IS NULL OR ${task.sql})` : ''}`,
      params: { auditUnitId: actor.orgUnitId, ...task?.params },
    };
  }

  /**
   * The units whose lists, figures and history the actor may see (what of them: `assignmentCondition`); null
   * for everything.
   */
  async visibleUnitIds(
    actor: Actor,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[] | null> {
    if (readsEverything(actor)) return null;
    if (!DEPARTMENT_ROLES.includes(actor.role)) return [actor.orgUnitId];
    const rows: { org_unit_id: string }[] = await manager.query(
      `SELECT DISTINCT child.org_unit_id FROM assignment child
         JOIN assignment own ON own.id = child.parent_id WHERE own.org_unit_id = $1`,
      [actor.orgUnitId],
    );
    return [actor.orgUnitId, ...rows.map((r) => r.org_unit_id)];
  }

  async canSeeTask(
    actor: Actor,
    taskId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const task = tableRef('task', 't');
    return this.exists(manager, task, taskId, this.taskCondition(actor, column(task, 'id')));
  }

  async canSeeAssignment(
    actor: Actor,
    assignmentId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const assignment = tableRef('assignment', 'a');
    return this.exists(manager, assignment, assignmentId, this.assignmentCondition(actor, assignment));
  }

  async canSeePlan(
    actor: Actor,
    planId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const plan = tableRef('plan', 'p');
    return this.exists(manager, plan, planId, this.planCondition(actor, column(plan, 'id')));
  }

  /** A unit's list (board, export) is open to readers, to the unit itself and to a department that split to it. */
  async assertCanSeeUnit(actor: Actor, orgUnitId: string, manager?: EntityManager): Promise<void> {
    const units = await this.visibleUnitIds(actor, manager);
    if (units && !units.includes(orgUnitId)) throw forbidden('无权查看该单位的任务清单');
  }

  async assertCanSeeTask(actor: Actor, taskId: string, manager?: EntityManager): Promise<void> {
    if (!(await this.canSeeTask(actor, taskId, manager))) throw forbidden('无权查看该任务');
  }

  private async exists(
    manager: EntityManager,
    ref: TableRef<string>,
    id: string,
    condition: SqlCondition | null,
  ): Promise<boolean> {
    if (!condition) return true;
    const count = await manager
      .createQueryBuilder()
      .from(ref.table, ref.alias)
      .where(`${column(ref, 'id')} = :id`, { id })
      .andWhere(condition.sql, condition.params)
      .getCount();
    return count > 0;
  }
}
