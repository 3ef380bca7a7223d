import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AccessPolicy } from '@zhezi/access';
import {
  byKey,
  forbidden,
  groupByKey,
  notFound,
  paginate,
  requestLoader,
  tableRef,
  type Actor,
  type Connection,
  type PageArgs,
  type RequestContext,
} from '@zhezi/core';
import { Assignment } from './assignment.entity';
import type { AssignmentFilter } from './task.types';

/** Reading shares: a unit's own list, one share, and the request-scoped loaders behind the graph's fields. */
@Injectable()
export class AssignmentReadService {
  constructor(
    private readonly access: AccessPolicy,
    @InjectRepository(Assignment) private readonly assignments: Repository<Assignment>,
  ) {}

  /** The signed-in unit's own list. */
  myAssignments(
    actor: Actor,
    filter: AssignmentFilter = {},
    page: PageArgs,
  ): Promise<Connection<Assignment>> {
    const qb = this.assignments
      .createQueryBuilder('a')
      .where('a.org_unit_id = :unitId', { unitId: actor.orgUnitId });
    if (filter.planId) {
      qb.andWhere('EXISTS (SELECT 1 FROM task ft WHERE ft.id = a.task_id AND ft.plan_id = :planId)', {
        planId: filter.planId,
      });
    }
    if (filter.status) qb.andWhere('a.status = :status', { status: filter.status });
    if (filter.role) qb.andWhere('a.role = :role', { role: filter.role });
    if (filter.dueFrom) qb.andWhere('a.due_at >= :dueFrom', { dueFrom: filter.dueFrom });
    if (filter.dueTo) qb.andWhere('a.due_at <= :dueTo', { dueTo: filter.dueTo });
    return paginate(qb, page, 'a.due_at', (a) => a.dueAt);
  }

  async getAssignment(actor: Actor, id: string): Promise<Assignment> {
    const assignment = await this.assignments.findOneBy({ id });
    if (!assignment) throw notFound('分工', id);
    if (!(await this.access.canSeeAssignment(actor, id))) throw forbidden('无权查看其他单位的分工');
    return assignment;
  }

  /** Assignments of the tasks, as far as the request's actor may see them. */
  assignmentsOfTaskLoader(ctx: RequestContext, actor: Actor) {
    return requestLoader<string, Assignment[]>(ctx, 'task.assignments', async (taskIds) => {
      const qb = this.assignments
        .createQueryBuilder('a')
        .where('a.task_id IN (:...taskIds)', { taskIds })
        .orderBy('a.role', 'ASC')
        .addOrderBy('a.created_at', 'ASC');
      const visible = this.access.assignmentCondition(actor, tableRef('assignment', 'a'));
      if (visible) qb.andWhere(visible.sql, visible.params);
      return groupByKey(taskIds, await qb.getMany(), (a) => a.taskId);
    });
  }

  /** Single assignments by id, null where the actor may not see them. */
  assignmentLoader(ctx: RequestContext, actor: Actor) {
    return requestLoader<string, Assignment | null>(ctx, 'assignment.byId', async (ids) => {
      const qb = this.assignments.createQueryBuilder('a').where('a.id IN (:...ids)', { ids });
      const visible = this.access.assignmentCondition(actor, tableRef('assignment', 'a'));
      if (visible) qb.andWhere(visible.sql, visible.params);
      return byKey(ids, await qb.getMany(), (a) => a.id);
    });
  }

  childAssignmentsLoader(ctx: RequestContext, actor: Actor) {
    return requestLoader<string, Assignment[]>(ctx, 'assignment.children', async (ids) => {
      const qb = this.assignments
        .createQueryBuilder('a')
        .where('a.parent_id IN (:...ids)', { ids })
        .orderBy('a.created_at', 'ASC');
      const visible = this.access.assignmentCondition(actor, tableRef('assignment', 'a'));
      if (visible) qb.andWhere(visible.sql, visible.params);
      return groupByKey(ids, await qb.getMany(), (a) => a.parentId as string);
    });
  }
}
