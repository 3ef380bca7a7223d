import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository, type EntityManager } from 'typeorm';
import { AccessPolicy } from '@zhezi/access';
import { AuditService } from '@zhezi/audit';
import {
  badInput,
  conflict,
  forbidden,
  notFound,
  groupByKey,
  paginate,
  rowByIdLoader,
  rowsByLoader,
  requestLoader,
  transactional,
  type Actor,
  type Connection,
  type PageArgs,
  type RequestContext,
  tableRef,
  column,
} from '@zhezi/core';
import { User } from '@zhezi/org';
import { Plan, Target } from '@zhezi/plan';
import { Assignment, AssignmentRole } from './assignment.entity';
import { AssignmentService } from './assignment.service';
import { Milestone } from './milestone.entity';
import { checkWithinDeadline, datedMilestones } from './deadline-rule';
import { checkLeader, checkTarget, codeTaken, newTaskFields } from './new-task';
import { Task } from './task.entity';
import { TaskEvents } from './task.events';
import {
  TaskOrder,
  type CreateTaskInput,
  type MilestoneInput,
  type TaskFilter,
  type UpdateTaskInput,
} from './task.types';

/** Each order as the keyset the pager follows: column, the row's value, direction, key type. */
const TASK_ORDERS: Record<
  TaskOrder,
  { column: string; value: (t: Task) => Date | number; direction: 'ASC' | 'DESC'; key: 'timestamp' | 'int' }
> = {
  DUE_AT_ASC: { column: 't.due_at', value: (t) => t.dueAt, direction: 'ASC', key: 'timestamp' },
  DUE_AT_DESC: { column: 't.due_at', value: (t) => t.dueAt, direction: 'DESC', key: 'timestamp' },
  PROGRESS_ASC: {
    column: 't.progress_percent',
    value: (t) => t.progressPercent,
    direction: 'ASC',
    key: 'int',
  },
  PROGRESS_DESC: {
    column: 't.progress_percent',
    value: (t) => t.progressPercent,
    direction: 'DESC',
    key: 'int',
  },
  UPDATED_AT_DESC: { column: 't.updated_at', value: (t) => t.updatedAt, direction: 'DESC', key: 'timestamp' },
};

@Injectable()
export class TaskService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly access: AccessPolicy,
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    @InjectRepository(Milestone) private readonly milestones: Repository<Milestone>,
    private readonly assignments: AssignmentService,
  ) {}

  async listTasks(
    actor: Actor,
    filter: TaskFilter = {},
    page: PageArgs,
    order: TaskOrder = TaskOrder.DUE_AT_ASC,
  ): Promise<Connection<Task>> {
    const qb = this.tasks.createQueryBuilder('t');
    const visible = this.access.taskCondition(actor, column(tableRef('task', 't'), 'id'));
    if (visible) qb.andWhere(visible.sql, visible.params);
    if (filter.planId) qb.andWhere('t.plan_id = :planId', { planId: filter.planId });
    if (filter.status) qb.andWhere('t.status = :status', { status: filter.status });
    if (filter.dueFrom) qb.andWhere('t.due_at >= :dueFrom', { dueFrom: filter.dueFrom });
    if (filter.dueTo) qb.andWhere('t.due_at <= :dueTo', { dueTo: filter.dueTo });
    const search = filter.search?.trim().toLowerCase();
    if (search) {
      // Character bigrams narrow through the GIN index (as the boards search), the substring test makes it exact.
      qb.andWhere(
        `(lower(t.code) = :search OR (t.search_terms @> zh_query_terms(:search)
          AND strpos(lower(t.title || ' ' || t.description), :search) > 0))`,
        { search },
      );
    }
    if (filter.orgUnitId) {
      const units = await this.access.visibleUnitIds(actor);
      if (units && !units.includes(filter.orgUnitId)) throw forbidden('无权查看其他单位的任务');
      // The unit's share must itself be visible: a department may not learn of another's splits this way.
      const shareVisible = this.access.assignmentCondition(actor, tableRef('assignment', 'fa'));
      const condition = shareVisible ? ` AND ${shareVisible.sql}` : '';
      qb.andWhere(
        `EXISTS (SELECT 1 FROM assignment fa WHERE fa.task_id = t.id AND fa.org_unit_id = :unitId${condition})`,
        { unitId: filter.orgUnitId, ...shareVisible?.params },
      );
    }
    const sort = TASK_ORDERS[order];
    return paginate(qb, page, sort.column, sort.value, sort.direction, () => qb.clone().getCount(), sort.key);
  }

  async getTask(actor: Actor, id: string): Promise<Task> {
    const task = await this.tasks.findOneBy({ id });
    if (!task) throw notFound('任务', id);
    await this.access.assertCanSeeTask(actor, id);
    return task;
  }

  /** A task, and with units named its shares (新建即交办): one transaction, so a refused unit leaves no task. */
  createTask(actor: Actor, input: CreateTaskInput): Promise<Task> {
    return transactional(this.dataSource, async (manager) => {
      const task = await this.createWithin(manager, actor, input);
      const { leadUnits = [], supportUnits = [] } = input;
      if (leadUnits.length || supportUnits.length) {
        await this.assignments.assignWithin(manager, actor, task, { leadUnits, supportUnits });
      }
      return task;
    });
  }

  /** Creates a task inside the caller's transaction; TaskBatchService creates many in sets. */
  async createWithin(manager: EntityManager, actor: Actor, input: CreateTaskInput): Promise<Task> {
    // The plan lock serialises automatic numbering within the plan.
    const plan = await manager.findOne(Plan, {
      where: { id: input.planId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!plan) throw badInput('planId', `规划不存在：${input.planId}`);
    const target = input.targetId ? await this.requireTarget(manager, plan.id, input.targetId) : null;
    if (input.responsibleLeaderId) await this.requireLeader(manager, input.responsibleLeaderId);
    if (input.escalationPolicyId) await this.requirePolicy(manager, input.escalationPolicyId);
    const code = input.code ?? (await this.nextCode(manager, plan.id));
    if (await manager.existsBy(Task, { planId: plan.id, code })) throw codeTaken(code);
    const task = await manager.save(manager.create(Task, newTaskFields(actor, input, plan, target, code)));
    const milestones = await this.replaceMilestones(manager, task, input.milestones ?? []);
    await this.audit.record(manager, actor, TaskEvents.created(task, milestones));
    return task;
  }

  updateTask(actor: Actor, input: UpdateTaskInput): Promise<Task> {
    return transactional(this.dataSource, async (manager) => {
      const task = await manager.findOne(Task, {
        where: { id: input.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!task) throw notFound('任务', input.id);
      if (task.version !== input.version) {
        throw conflict('任务已被他人修改，请刷新后重试', { currentVersion: task.version });
      }
      const before = { ...task, milestones: await manager.findBy(Milestone, { taskId: task.id }) };
      if (input.responsibleLeaderId) await this.requireLeader(manager, input.responsibleLeaderId);
      const newDue = input.dueAt;
      if (newDue) {
        const later = await manager
          .createQueryBuilder(Assignment, 'a')
          .where('a.task_id = :id AND a.due_at > :dueAt', { id: task.id, dueAt: newDue })
          .getExists();
        if (later) throw badInput('dueAt', '已有承办单位的完成时限晚于新的任务时限，请先调整分工时限');
        const milestoneAfter = !input.milestones && before.milestones.some((m) => m.dueAt > newDue);
        if (milestoneAfter) throw badInput('dueAt', '已有时间节点晚于新的任务时限，请一并调整时间节点');
      }
      const { id: _id, version: _version, milestones: milestoneInput, ...changes } = input;
      Object.assign(
        task,
        Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
      );
      const saved = await manager.save(task);
      const milestones = milestoneInput
        ? await this.replaceMilestones(manager, saved, milestoneInput)
        : before.milestones;
      await this.audit.record(manager, actor, {
        action: 'task.update',
        entityType: 'Task',
        entityId: task.id,
        taskId: task.id,
        before,
        after: { ...saved, milestones },
      });
      return saved;
    });
  }

  private async requireTarget(manager: EntityManager, planId: string, targetId: string): Promise<Target> {
    return checkTarget(await manager.findOneBy(Target, { id: targetId }), planId);
  }

  private async requireLeader(manager: EntityManager, userId: string): Promise<void> {
    checkLeader(await manager.findOneBy(User, { id: userId, active: true }));
  }

  /** Policies are the deadline module's; the foreign key alone would answer CONFLICT, not name the field. */
  private async requirePolicy(manager: EntityManager, policyId: string): Promise<void> {
    const [found] = await manager.query<unknown[]>(`SELECT 1 FROM escalation_policy WHERE id = $1`, [
      policyId,
    ]);
    if (!found) throw badInput('escalationPolicyId', `督办流程不存在：${policyId}`);
  }

  /** The next free number after the plan's task count (hand-set codes may already take some). */
  private async nextCode(manager: EntityManager, planId: string): Promise<string> {
    let next = (await manager.countBy(Task, { planId })) + 1;
    while (await manager.existsBy(Task, { planId, code: String(next) })) next++;
    return String(next);
  }

  /** Replaces the task's milestones, each within its deadline; part of the caller's transaction. */
  async replaceMilestones(manager: EntityManager, task: Task, input: MilestoneInput[]): Promise<Milestone[]> {
    checkWithinDeadline(datedMilestones(input), task.dueAt);
    await manager.delete(Milestone, { taskId: task.id });
    return manager.save(
      input.map((m, position) =>
        manager.create(Milestone, { taskId: task.id, title: m.title, dueAt: m.dueAt, position }),
      ),
    );
  }

  taskLoader(ctx: RequestContext) {
    return rowByIdLoader(ctx, 'task.byId', this.tasks);
  }

  milestonesLoader(ctx: RequestContext) {
    return rowsByLoader(ctx, 'task.milestones', this.milestones, 'taskId', { position: 'ASC' });
  }

  /**
   * The units of each task's own shares, by role (not the parts split off them). Not filtered by the actor:
   * the published task list names its lead and support units, so whoever may see the task (its resolver
   * checked) sees who leads it, even where their shares themselves stay hidden (a subdistrict's view).
   */
  responsibleUnitsLoader(ctx: RequestContext) {
    return requestLoader<string, { role: AssignmentRole; orgUnitId: string }[]>(
      ctx,
      'task.responsibleUnits',
      async (taskIds) => {
        const rows = await this.dataSource
          .getRepository(Assignment)
          .createQueryBuilder('a')
          .select(['a.taskId', 'a.role', 'a.orgUnitId'])
          // As assigned; units assigned together in the org chart's order.
          .innerJoin('org_unit', 'u', 'u.id = a.org_unit_id')
          .where('a.task_id IN (:...taskIds)', { taskIds })
          .andWhere('a.parent_id IS NULL')
          .orderBy('a.created_at', 'ASC')
          .addOrderBy('u.sort_order', 'ASC')
          .addOrderBy('u.code', 'ASC')
          .getMany();
        return groupByKey(taskIds, rows, (a) => a.taskId);
      },
    );
  }
}
