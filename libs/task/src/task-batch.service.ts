import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { AuditService, type AuditInput } from '@zhezi/audit';
import { badInput, type Actor } from '@zhezi/core';
import { ASSIGNABLE_KINDS, OrgService, PortfolioService, User, type OrgUnit } from '@zhezi/org';
import { Plan, Target } from '@zhezi/plan';
import { Assignment, AssignmentRole, AssignmentStatus } from './assignment.entity';
import { AssignmentChangeKind, AssignmentObservers } from './assignment.observers';
import { assertDistinctUnits, type NewShare } from './assignment.service';
import { checkWithinDeadline, datedMilestones, dueWithin } from './deadline-rule';
import { Milestone } from './milestone.entity';
import { checkLeader, checkTarget, codeTaken, newTaskFields } from './new-task';
import { TaskBatchRepository } from './task-batch.repository';
import { Task, TaskPriority, TaskStatus } from './task.entity';
import { TaskEvents } from './task.events';
import { deriveTaskState } from './task-state';
import type { CreateTaskInput } from './task.types';

/** A task to create with its numbered code and its top-level shares (lead units first). */
export interface NewTaskWithShares {
  input: CreateTaskInput & { code: string };
  shares: NewShare[];
}

/** Tasks per batch: each table is written in one statement per batch. */
const BATCH_SIZE = 1000;

/** What a batch's rules read from the database, once per batch. */
interface BatchFacts {
  now: Date;
  plans: Map<string, Plan>;
  targets: Map<string, Target>;
  leaders: Map<string, User>;
  units: Map<string, OrgUnit>;
  taken: Set<string>;
}

/** One task as built in memory, with the events of its creation in the order the row-by-row path writes them. */
interface BuiltTask {
  task: Task;
  milestones: Milestone[];
  shares: Assignment[];
  events: AuditInput[];
}

/**
 * Creates many tasks with their milestones and top-level shares in a fixed number of statements per batch —
 * what publishing a decomposition of thousands of rows needs — leaving what creating each by hand
 * (TaskService.createWithin, AssignmentService.createShares, AssignmentStateService.settleTask) leaves: the same
 * rows, the same audit events in the same order, the observers told of every new share, the rules checked
 * alike (they are the same functions). Each task is written once, in its final state: its responsible leader
 * from the portfolios when it names none, its status derived from its shares, and a version for each change
 * recorded.
 */
@Injectable()
export class TaskBatchService {
  constructor(
    private readonly repository: TaskBatchRepository,
    private readonly audit: AuditService,
    private readonly org: OrgService,
    private readonly portfolios: PortfolioService,
    private readonly observers: AssignmentObservers,
  ) {}

  /** Inside the caller's transaction; returns the tasks in the order given. */
  async createMany(
    manager: EntityManager,
    actor: Actor,
    items: readonly NewTaskWithShares[],
  ): Promise<Task[]> {
    const tasks: Task[] = [];
    for (let i = 0; i < items.length; i += BATCH_SIZE) {
      tasks.push(...(await this.createBatch(manager, actor, items.slice(i, i + BATCH_SIZE))));
    }
    return tasks;
  }

  private async createBatch(
    manager: EntityManager,
    actor: Actor,
    items: readonly NewTaskWithShares[],
  ): Promise<Task[]> {
    const facts = await this.facts(manager, items);
    const built = items.map((item) => this.build(manager, actor, item, facts));
    // A task that names no responsible leader gets the one overseeing its first lead unit that has one.
    const overseers = await this.portfolios.leadersOverseeing(
      manager,
      built.map(({ task, shares }) =>
        task.responsibleLeaderId
          ? []
          : shares.filter((s) => s.role === AssignmentRole.LEAD).map((s) => s.orgUnitId),
      ),
    );
    built.forEach((b, i) => this.settle(b, overseers[i]));
    await this.repository.insertTasks(
      manager,
      built.map((b) => b.task),
    );
    await this.repository.insertMilestones(
      manager,
      built.flatMap((b) => b.milestones),
    );
    const shares = built.flatMap((b) => b.shares);
    await this.repository.insertShares(manager, shares);
    await this.observers.changed(
      manager,
      shares.map((assignment) => ({ assignment, kind: AssignmentChangeKind.CREATED })),
    );
    await this.audit.recordMany(
      manager,
      actor,
      built.flatMap((b) => b.events),
    );
    return built.map((b) => b.task);
  }

  /** Plans (locked, as creating a task by hand locks its plan), targets, leaders, units and codes in use. */
  private async facts(manager: EntityManager, items: readonly NewTaskWithShares[]): Promise<BatchFacts> {
    const inputs = items.map((i) => i.input);
    const distinct = (ids: (string | undefined)[]) => [...new Set(ids.filter((id): id is string => !!id))];
    const planIds = distinct(inputs.map((i) => i.planId));
    const plans = await manager.find(Plan, {
      where: { id: In(planIds) },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    const missing = planIds.find((id) => !plans.some((p) => p.id === id));
    if (missing) throw badInput('planId', `规划不存在：${missing}`);
    const targetIds = distinct(inputs.map((i) => i.targetId));
    const leaderIds = distinct(inputs.map((i) => i.responsibleLeaderId));
    // Each unit once (the first share naming it answers for it), whatever the number of shares.
    const firstShares = new Map<string, NewShare>();
    for (const share of items.flatMap((i) => i.shares))
      if (!firstShares.has(share.orgUnitId)) firstShares.set(share.orgUnitId, share);
    const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
    return {
      now: await this.repository.transactionTime(manager),
      plans: byId(plans),
      targets: byId(targetIds.length ? await manager.findBy(Target, { id: In(targetIds) }) : []),
      leaders: byId(leaderIds.length ? await manager.findBy(User, { id: In(leaderIds), active: true }) : []),
      units: firstShares.size
        ? await this.org.requireUnits(manager, [...firstShares.values()], ASSIGNABLE_KINDS)
        : new Map<string, OrgUnit>(),
      taken: await this.repository.takenCodes(manager, inputs),
    };
  }

  /** A task as created, before its shares settle it: the rows and the events of the row-by-row path. */
  private build(manager: EntityManager, actor: Actor, item: NewTaskWithShares, facts: BatchFacts): BuiltTask {
    const { input, shares } = item;
    const plan = facts.plans.get(input.planId)!;
    const target = input.targetId ? checkTarget(facts.targets.get(input.targetId), plan.id) : null;
    if (input.responsibleLeaderId) checkLeader(facts.leaders.get(input.responsibleLeaderId));
    const codeKey = `${plan.id}:${input.code}`;
    if (facts.taken.has(codeKey)) throw codeTaken(input.code);
    facts.taken.add(codeKey);
    const fields = newTaskFields(actor, input, plan, target, input.code);
    const { now } = facts;
    const task = manager.create(Task, {
      ...fields,
      id: randomUUID(),
      priority: fields.priority ?? TaskPriority.NORMAL,
      status: TaskStatus.UNASSIGNED,
      progressPercent: 0,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    const milestoneInputs = input.milestones ?? [];
    checkWithinDeadline(datedMilestones(milestoneInputs), task.dueAt);
    const milestones = milestoneInputs.map((m, position) =>
      manager.create(Milestone, {
        taskId: task.id,
        title: m.title,
        dueAt: m.dueAt,
        position,
        id: randomUUID(),
      }),
    );
    assertDistinctUnits(shares);
    const assignments = shares.map((share) =>
      manager.create(Assignment, {
        taskId: task.id,
        orgUnitId: share.orgUnitId,
        role: share.role,
        dueAt: dueWithin(share, task.dueAt, '任务完成时限'),
        dueKind: task.dueKind,
        assignedById: actor.userId,
        id: randomUUID(),
        parentId: null,
        originalDueAt: null,
        statusBeforeSuspend: null,
        closedAt: null,
        status: AssignmentStatus.ASSIGNED,
        progressPercent: 0,
        extensionCount: 0,
        createdAt: now,
        updatedAt: now,
        version: 1,
      }),
    );
    return {
      task,
      milestones,
      shares: assignments,
      events: [
        TaskEvents.created(task, milestones),
        ...assignments.map((a) => TaskEvents.assigned(a, facts.units.get(a.orgUnitId)?.name)),
      ],
    };
  }

  /** The default leader and the derived status, each a version and an event as when saved one by one. */
  private settle(built: BuiltTask, overseer: string | null): void {
    const { task, shares, events } = built;
    if (!task.responsibleLeaderId && overseer) {
      task.responsibleLeaderId = overseer;
      task.version++;
      events.push(TaskEvents.leaderFromPortfolio(task.id, overseer));
    }
    const next = deriveTaskState(shares);
    if (task.status === next.status && task.progressPercent === next.progressPercent) return;
    events.push(
      TaskEvents.status(task.id, { status: task.status, progressPercent: task.progressPercent }, next),
    );
    Object.assign(task, next);
    task.version++;
  }
}
