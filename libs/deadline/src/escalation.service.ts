import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AccessPolicy } from '@zhezi/access';
import { AuditService } from '@zhezi/audit';
import {
  APP_CONFIG,
  byKey,
  Clock,
  conflict,
  forbidden,
  notFound,
  requestLoader,
  rowsByLoader,
  transactional,
  type Actor,
  type AppConfig,
  type RequestContext,
  beijingDay,
} from '@zhezi/core';
import { NotificationKind, NotificationService, type PendingDelivery } from '@zhezi/notify';
import { DomainEventType, OutboxService } from '@zhezi/outbox';
import { DueKind } from '@zhezi/plan';
import {
  Assignment,
  AssignmentChangeKind,
  AssignmentObservers,
  AssignmentRole,
  AssignmentService,
  AssignmentStatus,
  takersFor,
  Taker,
  type AssignmentChange,
  type AssignmentObserver,
} from '@zhezi/task';
import { EscalationLadder, type LadderPlan } from './escalation-ladder';
import { EscalationAction, Recipient, type EscalationPolicyVersion } from './escalation-policy.entity';
import { EscalationPolicyService } from './escalation-policy.service';
import { Escalation, EscalationOutcome, EscalationState } from './escalation.entity';
import { chineseDate, escalationMessage } from './escalation.messages';
import { recipientsOf, resolveRecipients } from './recipients';
import type { SupervisionNotice } from './supervision-notice.entity';
import { SupervisionNoticeService } from './supervision-notice.service';
import { WorkCalendarService } from './work-calendar.service';

/** Only these stop the ladder: a closed share has nothing left to chase, a suspended one is on hold. */
const LADDER_STOPPED = new Set([AssignmentStatus.CLOSED, AssignmentStatus.SUSPENDED]);

export interface DueEscalation {
  assignmentId: string;
  version: number;
  nextAt: Date;
}

/** Planned escalations that come due in one firing slot (ending at `at`, epoch ms). */
export interface DueSlot {
  at: number;
  count: number;
}

export interface FiredEscalation {
  escalationId: string;
  assignmentId: string;
  plannedAt: Date;
  firedAt: Date;
}

/** What one firing transaction did: `next` holds the re-planned ladders, for the caller to queue. */
export interface FireBatch {
  scanned: number;
  fired: FiredEscalation[];
  deliveries: PendingDelivery[];
  next: DueEscalation[];
}

/** The assignment facts a step needs to be written and told. */
type StepTarget = Pick<Assignment, 'id' | 'taskId' | 'orgUnitId' | 'dueAt'>;

interface Step {
  target: StepTarget;
  version: EscalationPolicyVersion;
  cycle: number;
  level: number;
  occurrence: number;
  plannedAt: Date;
  outcome: EscalationOutcome;
  by: { actor: Actor; reason: string } | null;
}

/** A ladder due to fire, read under its row lock with the assignment's live facts. */
interface DueRow {
  assignment_id: string;
  policy_version_id: string;
  cycle: number;
  cycle_started_at: Date;
  next_level: number;
  next_occurrence: number;
  next_at: Date;
  task_id: string;
  org_unit_id: string;
  due_at: Date;
  due_kind: DueKind;
  status: AssignmentStatus;
}

export interface ReconcileReport {
  scanned: number;
  created: number;
  changed: number;
  ms: number;
}

/** One distinct set of ladder inputs and its stored plan, with how many ladders share it. */
interface LadderGroup {
  /** The group's inputs as PostgreSQL renders them: the update finds its members by the same text. */
  key: string;
  policy_version_id: string;
  cycle_ms: number;
  last_level: number | null;
  last_occurrence: number | null;
  last_acknowledged: boolean;
  next_level: number | null;
  next_occurrence: number | null;
  next_ms: number | null;
  due_ms: number;
  due_kind: DueKind;
  status: AssignmentStatus;
  n: number;
}

/** A ladder's inputs (with the assignment's), in one text: GROUP BY's key and the update's join key. */
const LADDER_KEY = `ROW(s.policy_version_id, s.cycle_started_at, s.last_level, s.last_occurrence, s.last_acknowledged,
  s.next_level, s.next_occurrence, s.next_at, a.due_at, a.due_kind, a.status)::text`;

const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/**
 * The deadline engine's rules: each assignment's ladder kept in step with its changes (in the same
 * transaction), firing exactly once per (assignment, cycle, level, occurrence), and a reconciliation that
 * re-derives every plan from the database.
 */
@Injectable()
export class EscalationService implements AssignmentObserver, OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly calendars: WorkCalendarService,
    private readonly policies: EscalationPolicyService,
    private readonly notices: SupervisionNoticeService,
    private readonly notifications: NotificationService,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly assignments: AssignmentService,
    private readonly observers: AssignmentObservers,
  ) {}

  onModuleInit(): void {
    this.observers.register(this);
  }

  async ladder(): Promise<EscalationLadder> {
    return new EscalationLadder(await this.calendars.current(), this.config.deadlines.fireTime);
  }

  async assignmentsChanged(manager: EntityManager, changes: readonly AssignmentChange[]): Promise<void> {
    const now = this.clock.now();
    const ladder = await this.ladder();
    for (const { assignment, kind } of changes) {
      const state =
        kind === AssignmentChangeKind.CREATED ? null : await this.lockState(manager, assignment.id);
      if (kind === AssignmentChangeKind.CREATED) await this.announce(manager, assignment);
      if (!state) {
        await this.start(manager, ladder, assignment, now);
        continue;
      }
      if (kind === AssignmentChangeKind.DUE) {
        // A new due date is a new ladder: its reminders count again, from now on.
        Object.assign(state, {
          cycle: state.cycle + 1,
          cycleStartedAt: now,
          lastLevel: null,
          lastOccurrence: null,
        });
        state.lastAcknowledged = false;
      }
      const accepted =
        kind === AssignmentChangeKind.STATUS && assignment.status === AssignmentStatus.ACCEPTED;
      if (kind === AssignmentChangeKind.ANSWERED || accepted) await this.acknowledge(manager, state, now);
      if (assignment.status === AssignmentStatus.CLOSED)
        await this.notices.closeForAssignment(manager, assignment.id);
      await this.replan(manager, ladder, state, assignment, now);
    }
  }

  /** A new share on a unit's list: its officers and head hear of it (新交办), and its robots. */
  private async announce(manager: EntityManager, assignment: Assignment): Promise<void> {
    const [facts] = await manager.query<{ title: string }[]>(`SELECT title FROM task WHERE id = $1`, [
      assignment.taskId,
    ]);
    await this.notifications.notify(manager, {
      userIds: await resolveRecipients(manager, assignment.id, [
        Recipient.UNIT_OFFICERS,
        Recipient.UNIT_HEAD,
      ]),
      unitIds: [assignment.orgUnitId],
      kind: NotificationKind.ASSIGNED,
      title: `【新交办】${facts.title}`,
      body: `“${facts.title}”已交办贵单位${assignment.role === AssignmentRole.LEAD ? '牵头' : '配合'}办理，完成时限${assignment.dueKind === DueKind.ONGOING ? '长期' : chineseDate(assignment.dueAt)}，请及时签收。`,
      subjectType: 'Assignment',
      subjectId: assignment.id,
      path: `/assignments/${assignment.id}`,
      dedupeKey: `assigned:${assignment.id}`,
    });
  }

  private async start(manager: EntityManager, ladder: EscalationLadder, assignment: Assignment, now: Date) {
    const version = await this.policies.currentVersionFor(manager, assignment.taskId);
    const state = manager.create(EscalationState, {
      assignmentId: assignment.id,
      policyVersionId: version.id,
      cycle: 0,
      cycleStartedAt: now,
      lastLevel: null,
      lastOccurrence: null,
      lastAcknowledged: false,
      nextLevel: null,
      nextOccurrence: null,
      nextAt: null,
      version: 1,
      updatedAt: now,
    });
    this.setPlan(state, this.planOf(ladder, version, state, assignment, now));
    await manager.createQueryBuilder().insert().into(EscalationState).values(state).orIgnore().execute();
  }

  private lockState(manager: EntityManager, assignmentId: string): Promise<EscalationState | null> {
    return manager.findOne(EscalationState, { where: { assignmentId }, lock: { mode: 'pessimistic_write' } });
  }

  private planOf(
    ladder: EscalationLadder,
    version: EscalationPolicyVersion,
    state: Pick<EscalationState, 'cycleStartedAt' | 'lastLevel' | 'lastOccurrence' | 'lastAcknowledged'>,
    assignment: Pick<Assignment, 'status' | 'dueAt' | 'dueKind'>,
    now: Date,
  ): LadderPlan | null {
    if (LADDER_STOPPED.has(assignment.status)) return null;
    // An ongoing duty (长期坚持) has no date to climb a ladder from: it is chased by its reports only.
    if (assignment.dueKind === DueKind.ONGOING) return null;
    return ladder.next({
      levels: version.levels,
      dueAt: assignment.dueAt,
      cycleStartedAt: state.cycleStartedAt,
      last:
        state.lastLevel === null
          ? null
          : {
              level: state.lastLevel,
              occurrence: state.lastOccurrence ?? 0,
              acknowledged: state.lastAcknowledged,
            },
      now,
    });
  }

  /** Applies a plan; bumps the version only when it differs, so unchanged plans keep their queued job. */
  private setPlan(state: EscalationState, plan: LadderPlan | null): boolean {
    const same =
      state.nextLevel === (plan?.level ?? null) &&
      state.nextOccurrence === (plan?.occurrence ?? null) &&
      (state.nextAt?.getTime() ?? null) === (plan?.at.getTime() ?? null);
    if (same) return false;
    state.nextLevel = plan?.level ?? null;
    state.nextOccurrence = plan?.occurrence ?? null;
    state.nextAt = plan?.at ?? null;
    state.version += 1;
    return true;
  }

  private async replan(
    manager: EntityManager,
    ladder: EscalationLadder,
    state: EscalationState,
    assignment: Assignment,
    now: Date,
  ): Promise<void> {
    const version = await this.policies.version(manager, state.policyVersionId);
    this.setPlan(state, this.planOf(ladder, version, state, assignment, now));
    state.updatedAt = now;
    await manager.save(state);
  }

  private async acknowledge(manager: EntityManager, state: EscalationState, now: Date): Promise<void> {
    await manager.query(
      `UPDATE escalation SET acknowledged_at = $3
       WHERE assignment_id = $1 AND cycle = $2 AND outcome = 'FIRED' AND acknowledged_at IS NULL`,
      [state.assignmentId, state.cycle, now],
    );
    state.lastAcknowledged = true;
  }

  /**
   * Fires, in one transaction, up to `limit` planned escalations due by `until` (never later than now), earliest
   * first, and re-plans their ladders. Ladders another transaction holds are skipped, so concurrent callers
   * share the work; the unique (assignment, cycle, level, occurrence) key makes a repeated step a no-op.
   */
  fireDue(until: Date, limit: number): Promise<FireBatch> {
    return transactional(
      this.dataSource,
      async (manager): Promise<FireBatch> => {
        const now = this.clock.now();
        const rows = await manager.query<DueRow[]>(
          `SELECT s.assignment_id, s.policy_version_id, s.cycle, s.cycle_started_at, s.next_level,
                  s.next_occurrence, s.next_at, a.task_id, a.org_unit_id, a.due_at, a.due_kind, a.status
           FROM escalation_state s JOIN assignment a ON a.id = s.assignment_id
           WHERE s.next_at <= LEAST($1::timestamptz, $2::timestamptz)
           ORDER BY s.next_at LIMIT $3
           FOR UPDATE OF s SKIP LOCKED`,
          [until, now, limit],
        );
        if (!rows.length) return { scanned: 0, fired: [], deliveries: [], next: [] };
        const versions = await this.versionsOf(manager, rows);
        const { written, deliveries } = await this.writeSteps(
          manager,
          rows.map((r) => ({
            target: { id: r.assignment_id, taskId: r.task_id, orgUnitId: r.org_unit_id, dueAt: r.due_at },
            version: versions.get(r.policy_version_id)!,
            cycle: r.cycle,
            level: r.next_level,
            occurrence: r.next_occurrence ?? 0,
            plannedAt: r.next_at,
            outcome: EscalationOutcome.FIRED,
            by: null,
          })),
          now,
        );
        const ladder = await this.ladder();
        const plans = rows.map((r) => {
          const plan = this.planOf(
            ladder,
            versions.get(r.policy_version_id)!,
            {
              cycleStartedAt: r.cycle_started_at,
              lastLevel: r.next_level,
              lastOccurrence: r.next_occurrence,
              lastAcknowledged: false,
            },
            { status: r.status, dueAt: r.due_at, dueKind: r.due_kind },
            now,
          );
          return {
            id: r.assignment_id,
            ll: r.next_level,
            lo: r.next_occurrence,
            l: plan?.level ?? null,
            o: plan?.occurrence ?? null,
            at: plan?.at.toISOString() ?? null,
          };
        });
        const next = await manager.query<
          [{ assignment_id: string; version: number; next_at: Date | null }[], number]
        >(
          `UPDATE escalation_state s SET last_level = d.ll, last_occurrence = d.lo, last_acknowledged = false,
             next_level = d.l, next_occurrence = d.o, next_at = d.at, version = s.version + 1, updated_at = $2
           FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, ll int, lo int, l int, o int, at timestamptz)
           WHERE s.assignment_id = d.id
           RETURNING s.assignment_id, s.version, s.next_at`,
          [JSON.stringify(plans), now],
        );
        return {
          scanned: rows.length,
          fired: rows.flatMap((r) => {
            const escalationId = written.get(r.assignment_id);
            return escalationId
              ? [{ escalationId, assignmentId: r.assignment_id, plannedAt: r.next_at, firedAt: now }]
              : [];
          }),
          deliveries,
          next: next[0].flatMap((r) =>
            r.next_at ? [{ assignmentId: r.assignment_id, version: r.version, nextAt: r.next_at }] : [],
          ),
        };
      },
      { audited: false },
    );
  }

  private async versionsOf(
    manager: EntityManager,
    rows: readonly { policy_version_id: string }[],
  ): Promise<Map<string, EscalationPolicyVersion>> {
    const versions = new Map<string, EscalationPolicyVersion>();
    for (const id of new Set(rows.map((r) => r.policy_version_id))) {
      versions.set(id, await this.policies.version(manager, id));
    }
    return versions;
  }

  /**
   * Writes the escalation rows (unique key: each step once) and, for those that fired, their effects: notices,
   * notifications and deliveries, domain events — a fixed number of statements however many steps.
   * Returns the new escalation ids by assignment (a step already written has none).
   */
  private async writeSteps(
    manager: EntityManager,
    steps: readonly Step[],
    now: Date,
  ): Promise<{ written: Map<string, string>; deliveries: PendingDelivery[] }> {
    const inserted = await manager.query<{ id: string; assignment_id: string }[]>(
      `INSERT INTO escalation (assignment_id, policy_version_id, cycle, level, occurrence, action, outcome,
         planned_at, fired_at, by_user_id, reason)
       SELECT d.a, d.pv, d.c, d.l, d.o, d.action, d.outcome, d.planned, $2, d.by, d.reason
       FROM jsonb_to_recordset($1::jsonb) AS d(a uuid, pv uuid, c int, l int, o int, action varchar,
         outcome varchar, planned timestamptz, by uuid, reason text)
       ON CONFLICT (assignment_id, cycle, level, occurrence) DO NOTHING RETURNING id, assignment_id`,
      [
        JSON.stringify(
          steps.map((step) => ({
            a: step.target.id,
            pv: step.version.id,
            c: step.cycle,
            l: step.level,
            o: step.occurrence,
            action: step.version.levels[step.level].action,
            outcome: step.outcome,
            planned: step.plannedAt.toISOString(),
            by: step.by?.actor.userId ?? null,
            reason: step.by?.reason ?? null,
          })),
        ),
        now,
      ],
    );
    const written = new Map(inserted.map((r) => [r.assignment_id, r.id]));
    const firing = steps.filter((s) => s.outcome === EscalationOutcome.FIRED && written.has(s.target.id));
    if (!firing.length) return { written, deliveries: [] };

    const ids = firing.map((s) => s.target.id);
    const facts = new Map(
      (
        await manager.query<{ id: string; title: string; name: string }[]>(
          `SELECT a.id, t.title, u.name FROM assignment a
           JOIN task t ON t.id = a.task_id JOIN org_unit u ON u.id = a.org_unit_id
           WHERE a.id = ANY($1)`,
          [ids],
        )
      ).map((r) => [r.id, r]),
    );
    const notices = await this.openNotices(manager, firing, written, facts);
    const recipients = await recipientsOf(
      manager,
      ids,
      firing.flatMap((s) => s.version.levels[s.level].recipients),
    );
    const calendar = await this.calendars.current();
    const today = beijingDay(now);
    const deliveries = await this.notifications.notifyMany(
      manager,
      firing.map((step) => {
        const level = step.version.levels[step.level];
        const { title, name } = facts.get(step.target.id)!;
        return {
          userIds: recipients(step.target.id, level.recipients),
          unitIds: [step.target.orgUnitId],
          kind: NotificationKind.ESCALATION,
          ...escalationMessage({
            action: level.action,
            occurrence: step.occurrence,
            taskTitle: title,
            unitName: name,
            dueAt: step.target.dueAt,
            workdaysLeft: calendar.workdaysBetween(today, beijingDay(step.target.dueAt)),
            notice: notices.get(step.target.id) ?? null,
          }),
          subjectType: 'Assignment',
          subjectId: step.target.id,
          path: `/assignments/${step.target.id}`,
          dedupeKey: `escalation:${written.get(step.target.id)}`,
        };
      }),
    );
    await this.outbox.addMany(
      manager,
      firing.map((step) => ({
        type: DomainEventType.ESCALATION_FIRED,
        aggregateType: 'Assignment',
        aggregateId: step.target.id,
        payload: {
          taskId: step.target.taskId,
          escalationId: written.get(step.target.id),
          action: step.version.levels[step.level].action,
          level: step.level,
          occurrence: step.occurrence,
          cycle: step.cycle,
          plannedAt: step.plannedAt.toISOString(),
          firedAt: now.toISOString(),
        },
      })),
    );
    return { written, deliveries };
  }

  /** SUPERVISE steps open a 督办单 (or find the one in force); rare enough to go one by one. */
  private async openNotices(
    manager: EntityManager,
    firing: readonly Step[],
    written: ReadonlyMap<string, string>,
    facts: ReadonlyMap<string, { title: string }>,
  ): Promise<Map<string, SupervisionNotice>> {
    const supervising = firing.filter((s) => s.version.levels[s.level].action === EscalationAction.SUPERVISE);
    const notices = new Map<string, SupervisionNotice>();
    if (!supervising.length) return notices;
    const assignments = await manager.findBy(Assignment, { id: In(supervising.map((s) => s.target.id)) });
    for (const step of supervising) {
      const notice = await this.notices.openForEscalation(
        manager,
        assignments.find((a) => a.id === step.target.id)!,
        written.get(step.target.id)!,
        step.version.noticeResponseWorkdays,
        `“${facts.get(step.target.id)!.title}”逾期未完成（督办流程第${step.level + 1}级）`,
      );
      notices.set(step.target.id, notice);
    }
    return notices;
  }

  /** An inspector climbs to the next level now, or passes over it; either way with a reason, audited. */
  intervene(
    actor: Actor,
    assignmentId: string,
    reason: string,
    outcome: EscalationOutcome,
  ): Promise<Escalation> {
    return transactional(this.dataSource, async (manager) => {
      const assignment = await manager.findOneBy(Assignment, { id: assignmentId });
      if (!assignment) throw notFound('分工', assignmentId);
      const state = await this.lockState(manager, assignmentId);
      if (!state || LADDER_STOPPED.has(assignment.status)) {
        throw conflict('该分工已销号或暂停，督办流程未在进行', { currentStatus: assignment.status });
      }
      const ladder = await this.ladder();
      const version = await this.policies.version(manager, state.policyVersionId);
      const now = this.clock.now();
      const level = ladder.nextLevel({
        levels: version.levels,
        dueAt: assignment.dueAt,
        cycleStartedAt: state.cycleStartedAt,
        last: state.lastLevel === null ? null : { level: state.lastLevel, occurrence: 0, acknowledged: true },
        now,
      });
      if (level === null) throw conflict('督办流程已到最后一级');
      const { written } = await this.writeSteps(
        manager,
        [
          {
            target: assignment,
            version,
            cycle: state.cycle,
            level,
            occurrence: 0,
            plannedAt: ladder.levelAt(version.levels[level], assignment.dueAt),
            outcome,
            by: { actor, reason },
          },
        ],
        now,
      );
      const escalationId = written.get(assignment.id);
      if (!escalationId) throw conflict('该级已发出，请刷新后重试');
      Object.assign(state, { lastLevel: level, lastOccurrence: 0, lastAcknowledged: false });
      await this.replan(manager, ladder, state, assignment, now);
      await this.audit.record(manager, actor, {
        action: outcome === EscalationOutcome.FIRED ? 'escalation.escalate_now' : 'escalation.skip',
        entityType: 'Assignment',
        entityId: assignment.id,
        taskId: assignment.taskId,
        unitIds: await this.assignments.unitIdsOf(manager, assignment),
        after: { level, action: version.levels[level].action, reason },
      });
      return manager.findOneByOrFail(Escalation, { id: escalationId });
    });
  }

  /** The unit signs for a reminder or urge (签收): its repeats stop. */
  acknowledgeEscalation(actor: Actor, escalationId: string): Promise<Escalation> {
    return transactional(this.dataSource, async (manager) => {
      const escalation = await manager.findOneBy(Escalation, { id: escalationId });
      if (!escalation) throw notFound('督办记录', escalationId);
      const assignment = await manager.findOneByOrFail(Assignment, { id: escalation.assignmentId });
      if (!takersFor(actor, assignment.orgUnitId).includes(Taker.UNIT))
        throw forbidden('只有承办单位可以签收');
      if (!escalation.acknowledgedAt) {
        await this.observers.changed(manager, [{ assignment, kind: AssignmentChangeKind.ANSWERED }]);
        await this.audit.record(manager, actor, {
          action: 'escalation.acknowledge',
          entityType: 'Escalation',
          entityId: escalation.id,
          taskId: assignment.taskId,
          unitIds: await this.assignments.unitIdsOf(manager, assignment),
          after: { action: escalation.action, level: escalation.level },
        });
      }
      return manager.findOneByOrFail(Escalation, { id: escalationId });
    });
  }

  /** Moves live assignments of a policy's older versions onto its current one: a new cycle from now. */
  migratePolicy(actor: Actor, policyId: string): Promise<number> {
    return transactional(this.dataSource, async (manager) => {
      const policy = await this.policies.get(policyId);
      const [current] = await manager.query<{ id: string }[]>(
        `SELECT id FROM escalation_policy_version WHERE policy_id = $1 AND number = $2`,
        [policyId, policy.currentVersion],
      );
      const now = this.clock.now();
      const moved = await manager.query<[{ assignment_id: string }[], number]>(
        `UPDATE escalation_state s SET policy_version_id = $2, cycle = cycle + 1, cycle_started_at = $3,
           last_level = NULL, last_occurrence = NULL, last_acknowledged = false, updated_at = $3
         FROM escalation_policy_version v, assignment a
         WHERE v.id = s.policy_version_id AND v.policy_id = $1 AND v.id <> $2
           AND a.id = s.assignment_id AND a.status <> 'CLOSED'
         RETURNING s.assignment_id`,
        [policyId, current.id, now],
      );
      const ids = moved[0].map((r) => r.assignment_id);
      await this.replanMany(manager, ids, now);
      await this.audit.record(manager, actor, {
        action: 'escalationPolicy.migrate',
        entityType: 'EscalationPolicy',
        entityId: policyId,
        after: { toVersion: policy.currentVersion, assignments: ids.length },
      });
      return ids.length;
    });
  }

  private async replanMany(manager: EntityManager, ids: string[], now: Date): Promise<void> {
    const ladder = await this.ladder();
    for (const id of ids) {
      const state = await this.lockState(manager, id);
      const assignment = await manager.findOneByOrFail(Assignment, { id });
      if (state) await this.replan(manager, ladder, state, assignment, now);
    }
  }

  /**
   * How many planned escalations come due before `until`, per slot of `slotMs` (each slot named by its end,
   * epoch ms). Anything already due falls in the current slot: a backlog is fired at once, not replayed.
   */
  async dueSlots(until: Date, slotMs: number): Promise<DueSlot[]> {
    const current = Math.ceil(this.clock.now().getTime() / slotMs) * slotMs;
    return this.dataSource.query<DueSlot[]>(
      `SELECT GREATEST(ceil(${epochMs('next_at')} / $2) * $2, $3)::float8 AS at, count(*)::int AS count
       FROM escalation_state WHERE next_at IS NOT NULL AND next_at <= $1 GROUP BY 1 ORDER BY 1`,
      [until, slotMs, current],
    );
  }

  async stateOf(assignmentId: string): Promise<DueEscalation | null> {
    const state = await this.dataSource.getRepository(EscalationState).findOneBy({ assignmentId });
    return state?.nextAt ? { assignmentId, version: state.version, nextAt: state.nextAt } : null;
  }

  /**
   * Re-derives every open assignment's plan from its due date, policy version and ladder history, and
   * starts the ladder of any assignment that has none. A plan is a pure function of its inputs, so the
   * database groups ladders by their inputs and each distinct set is planned once (many shares have the
   * same deadline and history); groups whose plan differs are updated by their key, so a ladder a
   * transaction re-planned meanwhile (its inputs moved) is left to that transaction.
   */
  async reconcile(): Promise<ReconcileReport> {
    const started = performance.now();
    const now = this.clock.now();
    const ladder = await this.ladder();
    // Two scans at once, each on its own connection: ladders to start, and the inputs of the others.
    const [created, { scanned, changed }] = await Promise.all([
      this.startMissing(ladder, now),
      this.replanAll(ladder, now),
    ]);
    return { scanned: scanned + created, created, changed, ms: Math.round(performance.now() - started) };
  }

  private async replanAll(
    ladder: EscalationLadder,
    now: Date,
  ): Promise<{ scanned: number; changed: number }> {
    const groups = await transactional(
      this.dataSource,
      async (manager) => {
        // The whole join fits in memory then: one hash aggregate, no spill to disk.
        await manager.query(`SET LOCAL work_mem = '128MB'`);
        return manager.query<LadderGroup[]>(
          `SELECT ${LADDER_KEY} AS key, s.policy_version_id, ${epochMs('s.cycle_started_at')} AS cycle_ms,
                  s.last_level, s.last_occurrence, s.last_acknowledged, s.next_level, s.next_occurrence,
                  ${epochMs('s.next_at')} AS next_ms, ${epochMs('a.due_at')} AS due_ms, a.due_kind, a.status,
                  count(*)::int AS n
           FROM assignment a JOIN escalation_state s ON s.assignment_id = a.id
           WHERE a.status <> 'CLOSED' OR s.next_at IS NOT NULL
           GROUP BY s.policy_version_id, s.cycle_started_at, s.last_level, s.last_occurrence, s.last_acknowledged,
                    s.next_level, s.next_occurrence, s.next_at, a.due_at, a.due_kind, a.status`,
        );
      },
      { audited: false },
    );
    const versions = await this.versionsOf(this.dataSource.manager, groups);
    const updates: { k: string; l: number | null; o: number | null; at: string | null }[] = [];
    for (const group of groups) {
      const plan = this.planOf(
        ladder,
        versions.get(group.policy_version_id)!,
        {
          cycleStartedAt: new Date(group.cycle_ms),
          lastLevel: group.last_level,
          lastOccurrence: group.last_occurrence,
          lastAcknowledged: group.last_acknowledged,
        },
        { status: group.status, dueAt: new Date(group.due_ms), dueKind: group.due_kind },
        now,
      );
      const same =
        group.next_level === (plan?.level ?? null) &&
        group.next_occurrence === (plan?.occurrence ?? null) &&
        group.next_ms === (plan?.at.getTime() ?? null);
      if (!same)
        updates.push({
          k: group.key,
          l: plan?.level ?? null,
          o: plan?.occurrence ?? null,
          at: plan?.at.toISOString() ?? null,
        });
    }
    const scanned = groups.reduce((sum, g) => sum + g.n, 0);
    if (!updates.length) return { scanned, changed: 0 };
    const [, changed] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE escalation_state s SET next_level = d.l, next_occurrence = d.o, next_at = d.at,
         version = s.version + 1, updated_at = $2
       FROM assignment a, jsonb_to_recordset($1::jsonb) AS d(k text, l int, o int, at timestamptz)
       WHERE a.id = s.assignment_id AND ${LADDER_KEY} = d.k`,
      [JSON.stringify(updates), now],
    );
    return { scanned, changed };
  }

  /** Starts the ladders of open assignments that have none (rows written outside the service), by key range. */
  private async startMissing(ladder: EscalationLadder, now: Date, batchSize = 10_000): Promise<number> {
    let created = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const ids = await this.dataSource.query<{ id: string }[]>(
        `SELECT a.id FROM assignment a
         WHERE a.id > $1 AND a.status <> 'CLOSED'
           AND NOT EXISTS (SELECT 1 FROM escalation_state s WHERE s.assignment_id = a.id)
         ORDER BY a.id LIMIT $2`,
        [after, batchSize],
      );
      if (!ids.length) return created;
      created += await this.startLadders(
        ladder,
        ids.map((r) => r.id),
        now,
      );
      after = ids[ids.length - 1].id;
    }
  }

  /** Starts the ladders of assignments that have none, resolving their policies in SQL. */
  private async startLadders(ladder: EscalationLadder, ids: string[], now: Date): Promise<number> {
    const rows = await this.dataSource.query<
      {
        id: string;
        version_id: string;
        due_at: Date;
        due_kind: DueKind;
        status: AssignmentStatus;
        created_at: Date;
      }[]
    >(
      `SELECT a.id, v.id AS version_id, a.due_at, a.due_kind, a.status, a.created_at
       FROM assignment a
       JOIN task t ON t.id = a.task_id
       JOIN escalation_policy p
         ON p.id = COALESCE(t.escalation_policy_id, (SELECT id FROM escalation_policy WHERE is_default))
       JOIN escalation_policy_version v ON v.policy_id = p.id AND v.number = p.current_version
       WHERE a.id = ANY($1)`,
      [ids],
    );
    const inserts: object[] = [];
    for (const row of rows) {
      const version = await this.policies.version(this.dataSource.manager, row.version_id);
      // Assignments written outside the service join their ladder where it stands at their creation.
      const state = {
        cycleStartedAt: row.created_at,
        lastLevel: null,
        lastOccurrence: null,
        lastAcknowledged: false,
      };
      const plan = this.planOf(
        ladder,
        version,
        state,
        { status: row.status, dueAt: row.due_at, dueKind: row.due_kind },
        now,
      );
      inserts.push({
        id: row.id,
        pv: version.id,
        cs: row.created_at.toISOString(),
        l: plan?.level ?? null,
        o: plan?.occurrence ?? null,
        at: plan?.at.toISOString() ?? null,
      });
    }
    const result = await this.dataSource.query<unknown[]>(
      `INSERT INTO escalation_state (assignment_id, policy_version_id, cycle_started_at, next_level, next_occurrence,
         next_at, updated_at)
       SELECT d.id, d.pv, d.cs, d.l, d.o, d.at, $2
       FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, pv uuid, cs timestamptz, l int, o int, at timestamptz)
       ON CONFLICT (assignment_id) DO NOTHING RETURNING assignment_id`,
      [JSON.stringify(inserts), now],
    );
    return result.length;
  }

  /** Ladder state per assignment, for the `nextEscalation` and `light` fields. */
  stateLoader(ctx: RequestContext) {
    return requestLoader<string, EscalationState | null>(ctx, 'assignment.escalationState', async (ids) =>
      byKey(
        ids,
        await this.dataSource.getRepository(EscalationState).findBy({ assignmentId: In([...ids]) }),
        (row) => row.assignmentId,
      ),
    );
  }

  escalationsLoader(ctx: RequestContext) {
    const repository = this.dataSource.getRepository(Escalation);
    return rowsByLoader(ctx, 'assignment.escalations', repository, 'assignmentId', {
      firedAt: 'ASC',
      level: 'ASC',
    });
  }

  async versionOf(policyVersionId: string): Promise<EscalationPolicyVersion> {
    return this.policies.version(this.dataSource.manager, policyVersionId);
  }

  async assertCanSee(actor: Actor, assignmentId: string): Promise<void> {
    if (!(await this.access.canSeeAssignment(actor, assignmentId))) throw forbidden('无权查看该分工');
  }
}
