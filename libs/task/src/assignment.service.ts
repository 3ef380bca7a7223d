import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository, type EntityManager } from 'typeorm';
import { AccessPolicy } from '@zhezi/access';
import { AuditService } from '@zhezi/audit';
import { DomainEventType, OutboxService } from '@zhezi/outbox';
import {
  badInput,
  byKey,
  Clock,
  conflict,
  DEPARTMENT_ROLES,
  forbidden,
  groupByKey,
  isAssigner,
  notFound,
  paginate,
  requestLoader,
  transactional,
  type Actor,
  type Connection,
  type PageArgs,
  type RequestContext,
  tableRef,
} from '@zhezi/core';
import {
  ASSIGNABLE_KINDS,
  LOCAL_KINDS,
  OrgService,
  OrgUnitKind,
  PortfolioService,
  type OrgUnit,
} from '@zhezi/org';
import { Assignment, AssignmentRole, AssignmentStatus } from './assignment.entity';
import { checkWithinDeadline } from './deadline-rule';
import { AssignmentChangeKind, AssignmentObservers } from './assignment.observers';
import { Task } from './task.entity';
import {
  allClosed,
  ASSIGNMENT_TRANSITIONS,
  AssignmentAction,
  checkTransition,
  takersFor,
  Taker,
} from './assignment.lifecycle';
import { deriveTaskState, meanProgress, progressOf } from './task-state';
import type { AssignmentFilter, AssignTaskInput, SplitAssignmentInput, UnitDueInput } from './task.types';

/** A share to create: the unit, its role, an optional due date, and the input path for errors. */
export type NewShare = UnitDueInput & { role: AssignmentRole; field: string };

@Injectable()
export class AssignmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly access: AccessPolicy,
    private readonly org: OrgService,
    private readonly portfolios: PortfolioService,
    private readonly outbox: OutboxService,
    private readonly observers: AssignmentObservers,
    private readonly clock: Clock,
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

  assignTask(actor: Actor, input: AssignTaskInput): Promise<Assignment[]> {
    return transactional(this.dataSource, async (manager) => {
      const task = await this.lockTask(manager, input.taskId, 'taskId');
      const wanted = [
        ...input.leadUnits.map((u, i) => ({ ...u, role: AssignmentRole.LEAD, field: `leadUnits.${i}` })),
        ...input.supportUnits.map((u, i) => ({
          ...u,
          role: AssignmentRole.SUPPORT,
          field: `supportUnits.${i}`,
        })),
      ];
      if (wanted.length === 0) throw badInput('leadUnits', '请至少指定一个承办单位');
      const units = await this.checkNewShares(manager, task, wanted);
      const hasLead =
        input.leadUnits.length > 0 ||
        (await manager.existsBy(Assignment, { taskId: task.id, role: AssignmentRole.LEAD }));
      if (!hasLead) throw badInput('leadUnits', '任务须有牵头单位');
      const created = await this.createShares(manager, actor, task, wanted, units);
      await this.settleTask(manager, actor, task);
      return created;
    });
  }

  /** Units exist, may carry shares, appear once and hold none of this task yet. */
  async checkNewShares(
    manager: EntityManager,
    task: Task,
    wanted: NewShare[],
  ): Promise<Map<string, OrgUnit>> {
    const units = await this.requireUnits(manager, wanted, ASSIGNABLE_KINDS);
    await this.assertNotYetAssigned(manager, task.id, wanted, units);
    return units;
  }

  /** Creates top-level shares checked by checkNewShares; the caller settles the task. */
  async createShares(
    manager: EntityManager,
    actor: Actor,
    task: Task,
    wanted: NewShare[],
    units: Map<string, OrgUnit>,
  ): Promise<Assignment[]> {
    const created: Assignment[] = [];
    for (const unit of wanted) {
      const dueAt = this.dueWithin(unit, task.dueAt, '任务完成时限');
      const assignment = await manager.save(
        manager.create(Assignment, {
          taskId: task.id,
          orgUnitId: unit.orgUnitId,
          role: unit.role,
          dueAt,
          dueKind: task.dueKind,
          assignedById: actor.userId,
        }),
      );
      await this.audit.record(manager, actor, {
        action: 'assignment.assign',
        entityType: 'Assignment',
        entityId: assignment.id,
        taskId: task.id,
        unitIds: [unit.orgUnitId],
        after: { ...assignment, orgUnitName: units.get(unit.orgUnitId)?.name },
      });
      created.push(assignment);
    }
    await this.defaultResponsibleLeader(manager, actor, task, wanted);
    await this.announceCreated(manager, created);
    return created;
  }

  /** A task that names no responsible leader gets the leader overseeing its (first) lead unit, if any. */
  private async defaultResponsibleLeader(
    manager: EntityManager,
    actor: Actor,
    task: Task,
    wanted: NewShare[],
  ) {
    if (task.responsibleLeaderId) return;
    const leads = wanted.filter((w) => w.role === AssignmentRole.LEAD).map((w) => w.orgUnitId);
    const leaderId = await this.portfolios.leaderOverseeing(manager, leads);
    if (!leaderId) return;
    task.responsibleLeaderId = leaderId;
    await manager.save(task);
    await this.audit.record(manager, actor, {
      action: 'task.responsibleLeader',
      entityType: 'Task',
      entityId: task.id,
      taskId: task.id,
      before: { responsibleLeaderId: null },
      after: { responsibleLeaderId: leaderId, source: 'PORTFOLIO' },
    });
  }

  private announceCreated(manager: EntityManager, created: Assignment[]): Promise<void> {
    const changes = created.map((assignment) => ({ assignment, kind: AssignmentChangeKind.CREATED }));
    return this.observers.changed(manager, changes);
  }

  /** A department hands parts of its share to subdistricts and towns; they inherit its role. */
  splitAssignment(actor: Actor, input: SplitAssignmentInput): Promise<Assignment[]> {
    return transactional(this.dataSource, async (manager) => {
      const parent = await manager.findOneBy(Assignment, { id: input.assignmentId });
      if (!parent) throw notFound('分工', input.assignmentId);
      this.assertActsForUnit(actor, parent.orgUnitId);
      const task = await this.lockTask(manager, parent.taskId, 'assignmentId');
      const parentUnit = await this.org.getUnit(parent.orgUnitId);
      if (parentUnit.kind !== OrgUnitKind.DEPARTMENT || parent.parentId) {
        throw badInput('assignmentId', '只有部门承办的分工可以分解给街镇');
      }
      const parts = input.parts.map((p, i) => ({ ...p, field: `parts.${i}` }));
      const units = await this.requireUnits(manager, parts, LOCAL_KINDS);
      await this.assertNotYetAssigned(manager, task.id, parts, units);

      const created: Assignment[] = [];
      for (const part of parts) {
        const dueAt = this.dueWithin(part, parent.dueAt, '本部门的完成时限');
        const child = await manager.save(
          manager.create(Assignment, {
            taskId: task.id,
            orgUnitId: part.orgUnitId,
            role: parent.role,
            parentId: parent.id,
            dueAt,
            dueKind: parent.dueKind,
            assignedById: actor.userId,
          }),
        );
        await this.audit.record(manager, actor, {
          action: 'assignment.split',
          entityType: 'Assignment',
          entityId: child.id,
          taskId: task.id,
          unitIds: [part.orgUnitId, parent.orgUnitId],
          after: { ...child, orgUnitName: units.get(part.orgUnitId)?.name, parentUnitName: parentUnit.name },
        });
        created.push(child);
      }
      await this.announceCreated(manager, created);
      // From now on the share's progress is its parts'.
      await this.settleTask(manager, actor, task);
      return created;
    });
  }

  /** Removes an assignment and what was split off it. Leaders remove any; a department its own splits. */
  unassign(actor: Actor, assignmentId: string): Promise<Task> {
    return transactional(this.dataSource, async (manager) => {
      const assignment = await manager.findOneBy(Assignment, { id: assignmentId });
      if (!assignment) throw notFound('分工', assignmentId);
      const parent = assignment.parentId
        ? await manager.findOneBy(Assignment, { id: assignment.parentId })
        : null;
      if (!isAssigner(actor)) {
        if (!parent) throw forbidden('只有交办人可以撤销该分工');
        this.assertActsForUnit(actor, parent.orgUnitId);
      }
      const task = await this.lockTask(manager, assignment.taskId, 'assignmentId');
      await this.removeShare(manager, actor, assignment, parent);
      return this.settleTask(manager, actor, task);
    });
  }

  /** Deletes a share and what was split off it, auditing each; the caller settles the task. */
  async removeShare(
    manager: EntityManager,
    actor: Actor,
    assignment: Assignment,
    parent: Assignment | null,
  ): Promise<void> {
    const children = await manager.findBy(Assignment, { parentId: assignment.id });
    // Each removal names the unit that loses the share and the one that split it off, if any.
    const removals = [
      ...children.map((child) => ({ removed: child, splitBy: assignment.orgUnitId })),
      { removed: assignment, splitBy: parent?.orgUnitId },
    ];
    for (const { removed, splitBy } of removals) {
      await manager.delete(Assignment, { id: removed.id });
      await this.audit.record(manager, actor, {
        action: 'assignment.remove',
        entityType: 'Assignment',
        entityId: removed.id,
        taskId: assignment.taskId,
        unitIds: splitBy ? [removed.orgUnitId, splitBy] : [removed.orgUnitId],
        before: removed,
      });
    }
  }

  private assertActsForUnit(actor: Actor, orgUnitId: string): void {
    if (isAssigner(actor)) return;
    if (!DEPARTMENT_ROLES.includes(actor.role) || actor.orgUnitId !== orgUnitId) {
      throw forbidden('只能分解本单位承办的任务');
    }
  }

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

  private async requireUnits(
    manager: EntityManager,
    wanted: (UnitDueInput & { field: string })[],
    kinds: readonly OrgUnitKind[],
  ): Promise<Map<string, OrgUnit>> {
    const seen = new Set<string>();
    for (const unit of wanted) {
      if (seen.has(unit.orgUnitId)) throw badInput(`${unit.field}.orgUnitId`, '同一单位不能重复指定');
      seen.add(unit.orgUnitId);
    }
    return this.org.requireUnits(manager, wanted, kinds);
  }

  private async assertNotYetAssigned(
    manager: EntityManager,
    taskId: string,
    wanted: UnitDueInput[],
    units: Map<string, OrgUnit>,
  ): Promise<void> {
    const existing = await manager.findBy(Assignment, {
      taskId,
      orgUnitId: In(wanted.map((u) => u.orgUnitId)),
    });
    if (existing.length > 0) {
      const names = existing.map((a) => units.get(a.orgUnitId)?.name).join('、');
      throw conflict(`${names}已承办该任务`, { assignmentIds: existing.map((a) => a.id) });
    }
  }

  private dueWithin(unit: UnitDueInput & { field: string }, limit: Date, limitName: string): Date {
    const dueAt = unit.dueAt ?? limit;
    checkWithinDeadline([{ dueAt, field: unit.field }], limit, limitName);
    return dueAt;
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
    await this.audit.record(manager, actor, {
      action: 'task.status',
      entityType: 'Task',
      entityId: task.id,
      taskId: task.id,
      before,
      after: next,
    });
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
