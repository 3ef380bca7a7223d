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
} from '@zhezi/core';
import { NotificationKind, NotificationService, type PendingDelivery } from '@zhezi/notify';
import { DomainEventType, OutboxService } from '@zhezi/outbox';
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
import { shanghaiDay } from './calendar/shanghai-date';
import { EscalationLadder, type LadderPlan } from './escalation-ladder';
import { EscalationAction, Recipient, type EscalationPolicyVersion } from './escalation-policy.entity';
import { EscalationPolicyService } from './escalation-policy.service';
import { Escalation, EscalationOutcome, EscalationState } from './escalation.entity';
import { chineseDate, escalationMessage } from './escalation.messages';
import { resolveRecipients } from './recipients';
import { SupervisionNoticeService } from './supervision-notice.service';
import { WorkCalendarService } from './work-calendar.service';

/** Only these stop the ladder: a closed share has nothing left to chase, a suspended one is on hold. */
const LADDER_STOPPED = new Set([AssignmentStatus.CLOSED, AssignmentStatus.SUSPENDED]);

/** A job may arrive a little before its time (timers of two machines); firing that early is harmless. */
const EARLY_TOLERANCE_MS = 2000;

export interface DueEscalation {
  assignmentId: string;
  version: number;
  nextAt: Date;
}

export type FireResult =
  | { fired: true; escalationId: string; plannedAt: Date; firedAt: Date; deliveries: PendingDelivery[] }
  | { fired: false; reason: 'stale' | 'early' | 'duplicate' };

export interface ReconcileReport {
  scanned: number;
  created: number;
  changed: number;
  ms: number;
}

/** A ladder as the reconciliation reads it; instants as epoch milliseconds, which parse far faster than text. */
interface StateRow {
  assignment_id: string;
  /** No ladder yet (a row written outside the service, such as by the seed). */
  missing: boolean;
  policy_version_id: string;
  cycle_ms: number;
  last_level: number | null;
  last_occurrence: number | null;
  last_acknowledged: boolean;
  next_level: number | null;
  next_occurrence: number | null;
  next_ms: number | null;
  version: number;
  due_ms: number;
  status: AssignmentStatus;
}

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
      body: `“${facts.title}”已交办贵单位${assignment.role === AssignmentRole.LEAD ? '牵头' : '配合'}办理，完成时限${chineseDate(assignment.dueAt)}，请及时签收。`,
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
    assignment: Pick<Assignment, 'status' | 'dueAt'>,
    now: Date,
  ): LadderPlan | null {
    if (LADDER_STOPPED.has(assignment.status)) return null;
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

  /** Fires the planned escalation of the job (assignment, plan version); anything else is a stale job. */
  fireDue(assignmentId: string, version: number): Promise<FireResult> {
    return transactional(
      this.dataSource,
      async (manager): Promise<FireResult> => {
        const state = await this.lockState(manager, assignmentId);
        if (!state || state.version !== version || !state.nextAt || state.nextLevel === null) {
          return { fired: false, reason: 'stale' };
        }
        const now = this.clock.now();
        if (state.nextAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS)
          return { fired: false, reason: 'early' };
        const assignment = await manager.findOneByOrFail(Assignment, { id: assignmentId });
        const plannedAt = state.nextAt;
        const result = await this.fire(manager, state, assignment, {
          level: state.nextLevel,
          occurrence: state.nextOccurrence ?? 0,
          plannedAt,
          outcome: EscalationOutcome.FIRED,
          by: null,
        });
        await this.replan(manager, await this.ladder(), state, assignment, now);
        if (!result) return { fired: false, reason: 'duplicate' };
        return {
          fired: true,
          escalationId: result.id,
          plannedAt,
          firedAt: now,
          deliveries: result.deliveries,
        };
      },
      { audited: false },
    );
  }

  /** Writes the escalation row (unique key: fires once) and, if it fired, its effects. */
  private async fire(
    manager: EntityManager,
    state: EscalationState,
    assignment: Assignment,
    step: {
      level: number;
      occurrence: number;
      plannedAt: Date;
      outcome: EscalationOutcome;
      by: { actor: Actor; reason: string } | null;
    },
  ): Promise<{ id: string; deliveries: PendingDelivery[] } | null> {
    const version = await this.policies.version(manager, state.policyVersionId);
    const level = version.levels[step.level];
    const now = this.clock.now();
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO escalation (assignment_id, policy_version_id, cycle, level, occurrence, action, outcome,
         planned_at, fired_at, by_user_id, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (assignment_id, cycle, level, occurrence) DO NOTHING RETURNING id`,
      [
        assignment.id,
        version.id,
        state.cycle,
        step.level,
        step.occurrence,
        level.action,
        step.outcome,
        step.plannedAt,
        now,
        step.by?.actor.userId ?? null,
        step.by?.reason ?? null,
      ],
    );
    Object.assign(state, { lastLevel: step.level, lastOccurrence: step.occurrence, lastAcknowledged: false });
    if (!row) return null;
    if (step.outcome === EscalationOutcome.SKIPPED) return { id: row.id, deliveries: [] };

    const [facts] = await manager.query<{ title: string; name: string }[]>(
      `SELECT t.title, u.name FROM assignment a JOIN task t ON t.id = a.task_id JOIN org_unit u ON u.id = a.org_unit_id
       WHERE a.id = $1`,
      [assignment.id],
    );
    const notice =
      level.action === EscalationAction.SUPERVISE
        ? await this.notices.openForEscalation(
            manager,
            assignment,
            row.id,
            version.noticeResponseWorkdays,
            `“${facts.title}”逾期未完成（督办流程第${step.level + 1}级）`,
          )
        : null;
    const calendar = await this.calendars.current();
    const message = escalationMessage({
      action: level.action,
      occurrence: step.occurrence,
      taskTitle: facts.title,
      unitName: facts.name,
      dueAt: assignment.dueAt,
      workdaysLeft: calendar.workdaysBetween(shanghaiDay(now), shanghaiDay(assignment.dueAt)),
      notice,
    });
    const deliveries = await this.notifications.notify(manager, {
      userIds: await resolveRecipients(manager, assignment.id, level.recipients),
      unitIds: [assignment.orgUnitId],
      kind: NotificationKind.ESCALATION,
      ...message,
      subjectType: 'Assignment',
      subjectId: assignment.id,
      path: `/assignments/${assignment.id}`,
      dedupeKey: `escalation:${row.id}`,
    });
    await this.outbox.add(manager, {
      type: DomainEventType.ESCALATION_FIRED,
      aggregateType: 'Assignment',
      aggregateId: assignment.id,
      payload: {
        taskId: assignment.taskId,
        escalationId: row.id,
        action: level.action,
        level: step.level,
        occurrence: step.occurrence,
        cycle: state.cycle,
        plannedAt: step.plannedAt.toISOString(),
        firedAt: now.toISOString(),
      },
    });
    return { id: row.id, deliveries };
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
      const fired = await this.fire(manager, state, assignment, {
        level,
        occurrence: 0,
        plannedAt: ladder.levelAt(version.levels[level], assignment.dueAt),
        outcome,
        by: { actor, reason },
      });
      if (!fired) throw conflict('该级已发出，请刷新后重试');
      await this.replan(manager, ladder, state, assignment, now);
      await this.audit.record(manager, actor, {
        action: outcome === EscalationOutcome.FIRED ? 'escalation.escalate_now' : 'escalation.skip',
        entityType: 'Assignment',
        entityId: assignment.id,
        taskId: assignment.taskId,
        unitIds: await this.assignments.unitIdsOf(manager, assignment),
        after: { level, action: version.levels[level].action, reason },
      });
      return manager.findOneByOrFail(Escalation, { id: fired.id });
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

  /** Planned escalations due before `until`, earliest first: the dispatcher enqueues these. */
  async dueBefore(until: Date, limit: number): Promise<DueEscalation[]> {
    const rows = await this.dataSource.query<{ assignment_id: string; version: number; next_at: Date }[]>(
      `SELECT assignment_id, version, next_at FROM escalation_state
       WHERE next_at IS NOT NULL AND next_at <= $1 ORDER BY next_at LIMIT $2`,
      [until, limit],
    );
    return rows.map((r) => ({ assignmentId: r.assignment_id, version: r.version, nextAt: r.next_at }));
  }

  async stateOf(assignmentId: string): Promise<DueEscalation | null> {
    const state = await this.dataSource.getRepository(EscalationState).findOneBy({ assignmentId });
    return state?.nextAt ? { assignmentId, version: state.version, nextAt: state.nextAt } : null;
  }

  /**
   * Re-derives every open assignment's plan from its due date, policy version and ladder history, and
   * starts the ladder of any assignment that has none. Batches by key; a plan changed meanwhile by a
   * transaction (version moved) is left to that transaction.
   */
  async reconcile(batchSize = 10_000): Promise<ReconcileReport> {
    const started = performance.now();
    const now = this.clock.now();
    const ladder = await this.ladder();
    let created = 0;
    let scanned = 0;
    let changed = 0;
    // One query over a server-side cursor: a hash join read once, fetched in batches, instead of a seek per batch.
    const reader = this.dataSource.createQueryRunner();
    await reader.connect();
    try {
      await reader.startTransaction('REPEATABLE READ');
      await reader.query(
        `DECLARE ladders NO SCROLL CURSOR FOR
         SELECT a.id AS assignment_id, s.assignment_id IS NULL AS missing, s.policy_version_id,
                ${epochMs('s.cycle_started_at')} AS cycle_ms, s.last_level, s.last_occurrence, s.last_acknowledged,
                s.next_level, s.next_occurrence, ${epochMs('s.next_at')} AS next_ms, s.version,
                ${epochMs('a.due_at')} AS due_ms, a.status
         FROM assignment a LEFT JOIN escalation_state s ON s.assignment_id = a.id
         WHERE a.status <> 'CLOSED' OR s.next_at IS NOT NULL`,
      );
      const fetch = () => {
        const batch = reader.query(`FETCH FORWARD ${batchSize} FROM ladders`) as Promise<StateRow[]>;
        // Awaited below; if the pass fails first, a failed read must not go unhandled.
        batch.catch(() => undefined);
        return batch;
      };
      let next = fetch();
      for (;;) {
        const rows = await next;
        if (!rows.length) break;
        // The database reads the next batch while this one is planned.
        next = fetch();
        scanned += rows.length;
        const missing = rows.filter((r) => r.missing).map((r) => r.assignment_id);
        if (missing.length) created += await this.startLadders(ladder, missing, now);
        const present = rows.filter((r) => !r.missing);
        changed += await this.applyPlans(await this.replanRows(ladder, present, now), now);
      }
      await reader.commitTransaction();
    } finally {
      if (reader.isTransactionActive) await reader.rollbackTransaction();
      await reader.release();
    }
    return { scanned, created, changed, ms: Math.round(performance.now() - started) };
  }

  /** Writes changed plans, skipping any a transaction re-planned meanwhile (its version moved on). */
  private async applyPlans(updates: object[], now: Date): Promise<number> {
    if (!updates.length) return 0;
    const [, count] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE escalation_state s SET next_level = d.l, next_occurrence = d.o, next_at = d.at,
         version = s.version + 1, updated_at = $2
       FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, v int, l int, o int, at timestamptz)
       WHERE s.assignment_id = d.id AND s.version = d.v`,
      [JSON.stringify(updates), now],
    );
    return count;
  }

  /** The plans of a batch that differ from what is stored, as update rows keyed by the version read. */
  private async replanRows(ladder: EscalationLadder, rows: StateRow[], now: Date): Promise<object[]> {
    const versions = new Map<string, EscalationPolicyVersion>();
    for (const id of new Set(rows.map((r) => r.policy_version_id))) {
      versions.set(id, await this.policies.version(this.dataSource.manager, id));
    }
    const updates: object[] = [];
    for (const row of rows) {
      const state = {
        cycleStartedAt: new Date(row.cycle_ms),
        lastLevel: row.last_level,
        lastOccurrence: row.last_occurrence,
        lastAcknowledged: row.last_acknowledged,
      };
      const plan = this.planOf(
        ladder,
        versions.get(row.policy_version_id)!,
        state,
        {
          status: row.status,
          dueAt: new Date(row.due_ms),
        },
        now,
      );
      const same =
        row.next_level === (plan?.level ?? null) &&
        row.next_occurrence === (plan?.occurrence ?? null) &&
        row.next_ms === (plan?.at.getTime() ?? null);
      if (same) continue;
      updates.push({
        id: row.assignment_id,
        v: row.version,
        l: plan?.level ?? null,
        o: plan?.occurrence ?? null,
        at: plan?.at.toISOString() ?? null,
      });
    }
    return updates;
  }

  /** Starts the ladders of assignments that have none, resolving their policies in SQL. */
  private async startLadders(ladder: EscalationLadder, ids: string[], now: Date): Promise<number> {
    const rows = await this.dataSource.query<
      { id: string; version_id: string; due_at: Date; status: AssignmentStatus; created_at: Date }[]
    >(
      `SELECT a.id, v.id AS version_id, a.due_at, a.status, a.created_at
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
      const plan = this.planOf(ladder, version, state, { status: row.status, dueAt: row.due_at }, now);
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
