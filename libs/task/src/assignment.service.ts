import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import {
  badInput,
  conflict,
  DEPARTMENT_ROLES,
  forbidden,
  isAssigner,
  notFound,
  transactional,
  type Actor,
} from '@zhezi/core';
import {
  ASSIGNABLE_KINDS,
  LOCAL_KINDS,
  OrgService,
  OrgUnitKind,
  PortfolioService,
  type OrgUnit,
} from '@zhezi/org';
import { Assignment, AssignmentRole } from './assignment.entity';
import { AssignmentStateService } from './assignment-state.service';
import { dueWithin } from './deadline-rule';
import { AssignmentChangeKind, AssignmentObservers } from './assignment.observers';
import { Task } from './task.entity';
import { TaskEvents } from './task.events';
import type { AssignTaskInput, SplitAssignmentInput, UnitDueInput } from './task.types';

/** A share to create: the unit, its role, an optional due date, and the input path for errors. */
export type NewShare = UnitDueInput & { role: AssignmentRole; field: string };

/** One task's new shares name each unit once. */
export function assertDistinctUnits(wanted: readonly (UnitDueInput & { field: string })[]): void {
  const seen = new Set<string>();
  for (const unit of wanted) {
    if (seen.has(unit.orgUnitId)) throw badInput(`${unit.field}.orgUnitId`, '同一单位不能重复指定');
    seen.add(unit.orgUnitId);
  }
}

/** Who holds a task: shares given to units, split to subdistricts and towns, and taken back. */
@Injectable()
export class AssignmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly org: OrgService,
    private readonly portfolios: PortfolioService,
    private readonly observers: AssignmentObservers,
    private readonly state: AssignmentStateService,
  ) {}

  assignTask(actor: Actor, input: AssignTaskInput): Promise<Assignment[]> {
    return transactional(this.dataSource, async (manager) => {
      const task = await this.state.lockTask(manager, input.taskId, 'taskId');
      return this.assignWithin(manager, actor, task, input);
    });
  }

  /** 交办 inside the caller's transaction, to a task it has locked (or just created). */
  async assignWithin(
    manager: EntityManager,
    actor: Actor,
    task: Task,
    input: Pick<AssignTaskInput, 'leadUnits' | 'supportUnits'>,
  ): Promise<Assignment[]> {
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
    await this.state.settleTask(manager, actor, task);
    return created;
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
      const dueAt = dueWithin(unit, task.dueAt, '任务完成时限');
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
      await this.audit.record(
        manager,
        actor,
        TaskEvents.assigned(assignment, units.get(unit.orgUnitId)?.name),
      );
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
    await this.audit.record(manager, actor, TaskEvents.leaderFromPortfolio(task.id, leaderId));
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
      const task = await this.state.lockTask(manager, parent.taskId, 'assignmentId');
      const parentUnit = await this.org.getUnit(parent.orgUnitId);
      if (parentUnit.kind !== OrgUnitKind.DEPARTMENT || parent.parentId) {
        throw badInput('assignmentId', '只有部门承办的分工可以分解给街镇');
      }
      const parts = input.parts.map((p, i) => ({ ...p, field: `parts.${i}` }));
      const units = await this.requireUnits(manager, parts, LOCAL_KINDS);
      await this.assertNotYetAssigned(manager, task.id, parts, units);

      const created: Assignment[] = [];
      for (const part of parts) {
        const dueAt = dueWithin(part, parent.dueAt, '本部门的完成时限');
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
      await this.state.settleTask(manager, actor, task);
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
      const task = await this.state.lockTask(manager, assignment.taskId, 'assignmentId');
      await this.removeShare(manager, actor, assignment, parent);
      return this.state.settleTask(manager, actor, task);
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

  private async requireUnits(
    manager: EntityManager,
    wanted: (UnitDueInput & { field: string })[],
    kinds: readonly OrgUnitKind[],
  ): Promise<Map<string, OrgUnit>> {
    assertDistinctUnits(wanted);
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
}
