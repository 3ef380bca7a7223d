import { readFile } from 'fs/promises';
import { In, type EntityManager } from 'typeorm';
import { writeAuditEvent, type AuditInput } from '@zhezi/audit';
import { hashPassword } from '@zhezi/auth';
import { endOfDayInBeijing } from '@zhezi/core';
import { seedPackagedCalendar } from '@zhezi/deadline';
import { OrgUnit, OrgUnitKind, User } from '@zhezi/org';
import {
  Indicator,
  IndicatorKind,
  parsePlanDocument,
  Plan,
  PlanKind,
  readPlan,
  Target,
  TargetLevel,
  targetPath,
  type DocNode,
} from '@zhezi/plan';
import { Assignment, AssignmentRole, Milestone, Task, TaskStatus } from '@zhezi/task';
import {
  DEMO_INDICATOR_REPORTER,
  DEMO_INDICATOR_VALUES,
  DEMO_LOGINS,
  DEMO_PASSWORD,
  DEMO_PORTFOLIOS,
  DEMO_PLAN,
  DEMO_TASKS,
  type DemoTask,
} from './demo';
import { DISTRICT_UNITS } from './district';
import { UNIT_KEYWORDS } from './unit-keywords';
import { SeedError } from './plan-file';
import { retireMergedUnits } from './retired-units';

/** `updated` counts rows that existed and were brought in line with the seed data; they are also `existing`. */
export interface SeedCount {
  created: number;
  existing: number;
  updated: number;
}

export interface SeedSummary {
  orgUnits: SeedCount;
  users: SeedCount;
  plans: SeedCount;
  targets: SeedCount;
  indicators: SeedCount;
  /** Yearly indicator figures added (0 once they are there; a figure someone corrected is kept). */
  indicatorValues: number;
  tasks: SeedCount;
  assignments: SeedCount;
  milestones: number;
  auditEvents: number;
  /** Days of the working-day calendar stored from the data package (0 once they are there). */
  calendarDays: number;
  /** Keyword → unit dictionary entries added (0 once they are there; an admin's edits are kept). */
  unitKeywords: number;
}

export const SEED_ACTOR_NAME = '系统（初始化数据）';

export interface SeedOptions {
  /** Time of the audit records. */
  now?: Date;
}

/**
 * Loads the Haidian demo district into an empty or already seeded database; run it inside one transaction.
 * Reference data (units, the plan outline) follows the seed; demo data (users, tasks, assignments) is only
 * added where missing, so a second run neither duplicates nor undoes what people did in the demo.
 */
export async function seedDistrict(
  manager: EntityManager,
  planFile: string,
  options: SeedOptions = {},
): Promise<SeedSummary> {
  const text = await readPlanText(planFile);
  const document = parsePlanDocument(text);
  // Two seeds at once (npm run up while someone runs npm run seed) would race on the same unique keys.
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('zhezi:seed'))`);

  const seeder = new Seeder(manager, options.now ?? new Date());
  const units = await seeder.orgUnits();
  await retireMergedUnits(manager);
  const users = await seeder.users(units);
  const plan = await seeder.plan();
  const sections = await seeder.targets(plan, document.nodes);
  await seeder.indicators(plan, text);
  await seeder.indicatorValues(plan, users);
  for (const task of DEMO_TASKS) await seeder.task(plan, task, sections, units, users);
  seeder.summary.calendarDays = await seedPackagedCalendar(manager, options.now ?? new Date());
  seeder.summary.unitKeywords = await seedUnitKeywords(manager);
  await seedLeaderPortfolios(manager);
  return seeder.summary;
}

/** The demo leaders' portfolios where a unit has none yet; an administrator's changes stay. */
export async function seedLeaderPortfolios(manager: EntityManager): Promise<void> {
  await manager.query(
    `INSERT INTO leader_portfolio (org_unit_id, leader_id)
     SELECT u.id, l.id FROM unnest($1::text[], $2::text[]) AS p (username, code)
     JOIN app_user l ON l.username = p.username JOIN org_unit u ON u.code = p.code
     ON CONFLICT (org_unit_id) DO NOTHING`,
    [
      DEMO_PORTFOLIOS.flatMap((p) => p.unitCodes.map(() => p.username)),
      DEMO_PORTFOLIOS.flatMap((p) => p.unitCodes),
    ],
  );
}

/** Adds the dictionary's missing entries; weights an administrator changed and entries removed by hand stay so. */
export async function seedUnitKeywords(manager: EntityManager): Promise<number> {
  const rows = await manager.query<unknown[]>(
    `INSERT INTO unit_keyword (org_unit_id, keyword, weight)
     SELECT u.id, k.keyword, k.weight
     FROM unnest($1::text[], $2::text[], $3::numeric[]) AS k (code, keyword, weight)
     JOIN org_unit u ON u.code = k.code
     ON CONFLICT (keyword, org_unit_id) DO NOTHING
     RETURNING id`,
    [
      UNIT_KEYWORDS.map((k) => k.unitCode),
      UNIT_KEYWORDS.map((k) => k.keyword),
      UNIT_KEYWORDS.map((k) => k.weight),
    ],
  );
  return rows.length;
}

async function readPlanText(planFile: string): Promise<string> {
  try {
    return await readFile(planFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new SeedError(`plan text not found: ${planFile}`);
    throw error;
  }
}

const count = (): SeedCount => ({ created: 0, existing: 0, updated: 0 });

class Seeder {
  readonly summary: SeedSummary = {
    orgUnits: count(),
    users: count(),
    plans: count(),
    targets: count(),
    indicators: count(),
    indicatorValues: 0,
    tasks: count(),
    assignments: count(),
    milestones: 0,
    auditEvents: 0,
    calendarDays: 0,
    unitKeywords: 0,
  };

  /** Every target of the plan by path, as the tree was last upserted. */
  private readonly targetsByPath = new Map<string, Target>();

  constructor(
    private readonly manager: EntityManager,
    private readonly now: Date,
  ) {}

  /** Upserts by code (or by name, for a unit created by hand before the seed); returns the units by name. */
  async orgUnits(): Promise<Map<string, OrgUnit>> {
    const existing = await this.manager.find(OrgUnit);
    const byCode = new Map(existing.map((u) => [u.code, u]));
    const byName = new Map(existing.map((u) => [u.name, u]));
    const result = new Map<string, OrgUnit>();
    let governmentId: string | null = null;
    for (const [sortOrder, seed] of DISTRICT_UNITS.entries()) {
      const found = byCode.get(seed.code) ?? byName.get(seed.name);
      const wanted = {
        code: seed.code,
        name: seed.name,
        kind: seed.kind,
        parentId: seed.kind === OrgUnitKind.GOVERNMENT ? null : governmentId,
        sortOrder,
        // Aliases an administrator added are kept.
        aliases: [...seed.aliases, ...(found?.aliases ?? []).filter((a) => !seed.aliases.includes(a))],
      };
      const unit: OrgUnit = await this.upsert(OrgUnit, found, wanted, this.summary.orgUnits);
      if (seed.kind === OrgUnitKind.GOVERNMENT) governmentId = unit.id;
      result.set(unit.name, unit);
    }
    return result;
  }

  /** Creates missing demo logins; an existing one keeps its password, role and unit. */
  async users(units: Map<string, OrgUnit>): Promise<Map<string, User>> {
    const existing = await this.manager.findBy(User, { username: In(DEMO_LOGINS.map((l) => l.username)) });
    const result = new Map(existing.map((u) => [u.username, u]));
    this.summary.users.existing += existing.length;
    for (const login of DEMO_LOGINS) {
      if (result.has(login.username)) continue;
      const user = await this.manager.save(
        this.manager.create(User, {
          username: login.username,
          displayName: login.displayName,
          title: login.title,
          role: login.role,
          orgUnitId: unitOf(units, login.unit).id,
          passwordHash: await hashPassword(DEMO_PASSWORD),
        }),
      );
      this.summary.users.created++;
      result.set(user.username, user);
    }
    return result;
  }

  async plan(): Promise<Plan> {
    const found = await this.manager.findOne(Plan, {
      where: { title: DEMO_PLAN.title },
      order: { createdAt: 'ASC' },
    });
    if (found) {
      this.summary.plans.existing++;
      return found;
    }
    this.summary.plans.created++;
    return this.manager.save(
      this.manager.create(Plan, {
        title: DEMO_PLAN.title,
        kind: PlanKind.OUTLINE,
        periodStart: DEMO_PLAN.periodStart,
        periodEnd: DEMO_PLAN.periodEnd,
        description: DEMO_PLAN.description,
        createdById: null,
      }),
    );
  }

  /** Upserts the plan's target tree (章 → 节 → 条 → 措施) by path; returns the sections by path. */
  async targets(plan: Plan, nodes: DocNode[]): Promise<Map<string, Target>> {
    const byPath = new Map((await this.manager.findBy(Target, { planId: plan.id })).map((t) => [t.path, t]));
    const sections = new Map<string, Target>();
    const upsert = (node: DocNode, positions: number[], parentId: string | null) => {
      const path = targetPath(positions);
      const wanted = {
        planId: plan.id,
        parentId,
        level: node.level,
        number: node.number,
        title: node.title,
        body: node.body,
        position: positions.at(-1) as number,
        path,
      };
      return this.upsert(Target, byPath.get(path), wanted, this.summary.targets);
    };
    const visit = async (children: DocNode[], parents: number[], parentId: string | null) => {
      for (const [index, node] of children.entries()) {
        const positions = [...parents, index + 1];
        const target = await upsert(node, positions, parentId);
        this.targetsByPath.set(target.path, target);
        if (node.level === TargetLevel.SECTION) sections.set(target.path, target);
        await visit(node.children, positions, target.id);
      }
    };
    await visit(nodes, [], null);
    return sections;
  }

  /** The measures' indicators as plan ingestion reads them from the text, upserted by target and name. */
  async indicators(plan: Plan, text: string): Promise<void> {
    const read = readPlan({ text, title: plan.title });
    const targetIds = [...this.targetsByPath.values()].map((t) => t.id);
    const existing = await this.manager.findBy(Indicator, { targetId: In(targetIds) });
    const byKey = new Map(existing.map((i) => [`${i.targetId}|${i.name}`, i]));
    for (const measure of read.measures) {
      const target = this.targetsByPath.get(targetPath(measure.positions));
      if (!target) throw new SeedError(`the plan has no target at ${targetPath(measure.positions)}`);
      for (const [position, found] of measure.indicators.entries()) {
        const wanted = {
          targetId: target.id,
          name: found.name,
          // As in ingestion: only the plan's own indicator table says which are binding.
          kind: IndicatorKind.EXPECTED,
          unit: found.unit,
          comparator: found.comparator,
          baselineValue: found.baselineValue,
          baselineYear: found.baselineYear,
          targetValue: found.value,
          targetYear: found.year,
          phrase: found.phrase,
          position,
        };
        await this.upsert(
          Indicator,
          byKey.get(`${target.id}|${found.name}`),
          wanted,
          this.summary.indicators,
        );
      }
    }
  }

  /** Demo figures for indicators of these names; a year already reported (or corrected) is left alone. */
  async indicatorValues(plan: Plan, users: Map<string, User>): Promise<void> {
    const reporter = users.get(DEMO_INDICATOR_REPORTER);
    if (!reporter) throw new SeedError(`no user ${DEMO_INDICATOR_REPORTER} to report the indicator figures`);
    const added = await this.manager.query<{ indicator_id: string; year: number; value: string }[]>(
      `INSERT INTO indicator_value (indicator_id, year, value, note, reported_by_id, reported_at)
       SELECT i.id, v.year, v.value, '演示数据', $4, $5
       FROM unnest($1::text[], $2::int[], $3::numeric[]) AS v (name, year, value)
       JOIN indicator i ON i.name = v.name
       JOIN target t ON t.id = i.target_id AND t.plan_id = $6
       ORDER BY i.id, v.year
       ON CONFLICT (indicator_id, year) DO NOTHING
       RETURNING indicator_id, year, value`,
      [
        DEMO_INDICATOR_VALUES.map((v) => v.name),
        DEMO_INDICATOR_VALUES.map((v) => v.year),
        DEMO_INDICATOR_VALUES.map((v) => v.value),
        reporter.id,
        this.now,
        plan.id,
      ],
    );
    for (const row of added) {
      await this.audit({
        action: 'indicator.report',
        entityType: 'Indicator',
        entityId: row.indicator_id,
        after: { year: row.year, value: Number(row.value), note: '演示数据' },
      });
    }
    this.summary.indicatorValues += added.length;
  }

  /** Creates the task if its code is free, then whatever of its assignments is missing. */
  async task(
    plan: Plan,
    seed: DemoTask,
    sections: Map<string, Target>,
    units: Map<string, OrgUnit>,
    users: Map<string, User>,
  ): Promise<void> {
    let task = await this.manager.findOneBy(Task, { planId: plan.id, code: seed.code });
    if (task) {
      this.summary.tasks.existing++;
    } else {
      task = await this.createTask(plan, seed, sections, users);
    }

    const assignments = new Map(
      (await this.manager.findBy(Assignment, { taskId: task.id })).map((a) => [a.orgUnitId, a]),
    );
    const shares = [
      ...seed.lead.map((name) => ({ name, role: AssignmentRole.LEAD })),
      ...seed.support.map((name) => ({ name, role: AssignmentRole.SUPPORT })),
    ];
    for (const { name, role } of shares) {
      const unit = unitOf(units, name);
      const found = assignments.get(unit.id);
      if (found) {
        this.summary.assignments.existing++;
        continue;
      }
      const assignment = await this.createAssignment(task, unit, role, null, task.dueAt);
      await this.audit({
        action: 'assignment.assign',
        entityType: 'Assignment',
        entityId: assignment.id,
        taskId: task.id,
        unitIds: [unit.id],
        after: { ...assignment, orgUnitName: unit.name },
      });
      assignments.set(unit.id, assignment);
    }
    for (const split of seed.splits) {
      const parentUnit = unitOf(units, split.from);
      const parent = assignments.get(parentUnit.id);
      if (!parent) throw new SeedError(`task ${seed.code}: ${split.from} has no share of it to split`);
      for (const name of split.to) {
        const unit = unitOf(units, name);
        if (assignments.has(unit.id)) {
          this.summary.assignments.existing++;
          continue;
        }
        const child = await this.createAssignment(
          task,
          unit,
          parent.role,
          parent,
          endOfDayInBeijing(split.dueOn),
        );
        await this.audit({
          action: 'assignment.split',
          entityType: 'Assignment',
          entityId: child.id,
          taskId: task.id,
          unitIds: [unit.id, parentUnit.id],
          after: { ...child, orgUnitName: unit.name, parentUnitName: parentUnit.name },
        });
        assignments.set(unit.id, child);
      }
    }

    if (task.status === TaskStatus.UNASSIGNED && assignments.size > 0) {
      task.status = TaskStatus.ASSIGNED;
      task = await this.manager.save(task);
      await this.audit({
        action: 'task.status',
        entityType: 'Task',
        entityId: task.id,
        taskId: task.id,
        before: { status: TaskStatus.UNASSIGNED },
        after: { status: TaskStatus.ASSIGNED },
      });
    }
  }

  private async createTask(
    plan: Plan,
    seed: DemoTask,
    sections: Map<string, Target>,
    users: Map<string, User>,
  ): Promise<Task> {
    const target = sections.get(seed.section);
    if (!target) throw new SeedError(`task ${seed.code}: the plan has no section at path ${seed.section}`);
    const leader = users.get(seed.leader);
    if (!leader)
      throw new SeedError(`task ${seed.code}: no user ${seed.leader} to be its responsible leader`);
    const task = await this.manager.save(
      this.manager.create(Task, {
        planId: plan.id,
        targetId: target.id,
        code: seed.code,
        title: seed.title,
        description: seed.description,
        responsibleLeaderId: leader.id,
        dueAt: endOfDayInBeijing(seed.dueOn),
        priority: seed.priority,
        status: TaskStatus.UNASSIGNED,
        createdById: null,
      }),
    );
    const milestones = await this.manager.save(
      seed.milestones.map((m, position) =>
        this.manager.create(Milestone, {
          taskId: task.id,
          title: m.title,
          dueAt: endOfDayInBeijing(m.dueOn),
          position,
        }),
      ),
    );
    this.summary.tasks.created++;
    this.summary.milestones += milestones.length;
    await this.audit({
      action: 'task.create',
      entityType: 'Task',
      entityId: task.id,
      taskId: task.id,
      after: { ...task, milestones },
    });
    return task;
  }

  private async createAssignment(
    task: Task,
    unit: OrgUnit,
    role: AssignmentRole,
    parent: Assignment | null,
    dueAt: Date,
  ): Promise<Assignment> {
    // A share never ends after what it is part of, even if someone moved the task's deadline earlier.
    const limit = parent?.dueAt ?? task.dueAt;
    this.summary.assignments.created++;
    return this.manager.save(
      this.manager.create(Assignment, {
        taskId: task.id,
        orgUnitId: unit.id,
        role,
        parentId: parent?.id ?? null,
        dueAt: dueAt > limit ? limit : dueAt,
        assignedById: null,
      }),
    );
  }

  private async audit(input: AuditInput): Promise<void> {
    await writeAuditEvent(this.manager, this.now, { userId: null, displayName: SEED_ACTOR_NAME }, input);
    this.summary.auditEvents++;
  }

  /** Creates the row, or updates the fields that differ from `wanted`. */
  private async upsert<T extends OrgUnit | Target | Indicator>(
    entity: new () => T,
    found: T | undefined,
    wanted: Partial<T>,
    tally: SeedCount,
  ): Promise<T> {
    if (!found) {
      tally.created++;
      return this.manager.save(this.manager.create(entity, wanted as T));
    }
    tally.existing++;
    const changed = (Object.keys(wanted) as (keyof T)[]).some(
      (key) => JSON.stringify(found[key]) !== JSON.stringify(wanted[key]),
    );
    if (!changed) return found;
    tally.updated++;
    return this.manager.save(Object.assign(found, wanted));
  }
}

function unitOf(units: Map<string, OrgUnit>, name: string): OrgUnit {
  const unit = units.get(name);
  if (!unit) throw new SeedError(`seed data names an unknown unit: ${name}`);
  return unit;
}
