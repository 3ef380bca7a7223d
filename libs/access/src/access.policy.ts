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

  /** The units whose figures and history the actor may see; null for everything. */
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
