import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DEPARTMENT_ROLES, forbidden, readsEverything, type Actor } from '@zhezi/core';

export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * Who may see which assignment, in one place. District-wide readers see all; a department sees its own
 * unit's assignments and the sub-assignments it split off them; a subdistrict or town sees only its own.
 * A task is visible when one of its assignments is. Expressed as SQL so lists filter in the database.
 */
@Injectable()
export class AccessPolicy {
  constructor(private readonly dataSource: DataSource) {}

  /** Condition on an `assignment` alias, or null when the actor sees everything. */
  assignmentCondition(actor: Actor, alias: string): SqlCondition | null {
    if (readsEverything(actor)) return null;
    const params = { accessUnitId: actor.orgUnitId };
    if (DEPARTMENT_ROLES.includes(actor.role)) {
      return {
        sql: `(${alias}.org_unit_id = :accessUnitId OR ${alias}.parent_id IN (SELECT own.id FROM assignment own WHERE own.org_unit_id = :accessUnitId))`,
        params,
      };
    }
    return { sql: `${alias}.org_unit_id = :accessUnitId`, params };
  }

  /** Condition that the task whose id is `taskIdColumn` (e.g. `t.id`) is visible. */
  taskCondition(actor: Actor, taskIdColumn: string): SqlCondition | null {
    const inner = this.assignmentCondition(actor, 'va');
    if (!inner) return null;
    return {
      sql: `EXISTS (SELECT 1 FROM assignment va WHERE va.task_id = ${taskIdColumn} AND ${inner.sql})`,
      params: inner.params,
    };
  }

  /** Condition that the plan whose id is `planIdColumn` (e.g. `p.id`) holds a share the actor may see. */
  planCondition(actor: Actor, planIdColumn: string): SqlCondition | null {
    const inner = this.assignmentCondition(actor, 'va');
    if (!inner) return null;
    return {
      sql: `EXISTS (SELECT 1 FROM assignment va JOIN task vt ON vt.id = va.task_id
                    WHERE vt.plan_id = ${planIdColumn} AND ${inner.sql})`,
      params: inner.params,
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
    return this.exists(manager, 'task', taskId, this.taskCondition(actor, 't.id'), 't');
  }

  async canSeeAssignment(
    actor: Actor,
    assignmentId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    return this.exists(manager, 'assignment', assignmentId, this.assignmentCondition(actor, 'a'), 'a');
  }

  async canSeePlan(
    actor: Actor,
    planId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    return this.exists(manager, 'plan', planId, this.planCondition(actor, 'p.id'), 'p');
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
    table: string,
    id: string,
    condition: SqlCondition | null,
    alias: string,
  ): Promise<boolean> {
    if (!condition) return true;
    const count = await manager
      .createQueryBuilder()
      .from(table, alias)
      .where(`${alias}.id = :id`, { id })
      .andWhere(condition.sql, condition.params)
      .getCount();
    return count > 0;
  }
}
