import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { transactional } from '@zhezi/core';
import type { DueKind } from '@zhezi/plan';
import type { AssignmentStatus } from '@zhezi/task';
import type { EscalationOutcome } from './escalation.entity';

/** A ladder due to fire, read under its row lock with the assignment's live facts. */
export interface DueLadderRow {
  assignment_id: string;
  policy_version_id: string;
  cycle: number;
  cycle_started_at: Date;
  next_level: number;
  next_occurrence: number | null;
  next_at: Date;
  task_id: string;
  org_unit_id: string;
  due_at: Date;
  due_kind: DueKind;
  status: AssignmentStatus;
}

/** A fired ladder moved on: the step it fired becomes its last, and its next plan (none: the ladder ends). */
export interface LadderAdvance {
  assignment_id: string;
  last_level: number;
  last_occurrence: number | null;
  next_level: number | null;
  next_occurrence: number | null;
  next_at: string | null;
}

/** A ladder whose plan changed, re-planned by the version the caller read. */
export interface PlannedLadder {
  assignment_id: string;
  version: number;
  next_at: Date | null;
}

/** One escalation step to write; the unique (assignment, cycle, level, occurrence) key keeps it once. */
export interface StepRow {
  assignment_id: string;
  policy_version_id: string;
  cycle: number;
  level: number;
  occurrence: number;
  action: string;
  outcome: EscalationOutcome;
  planned_at: string;
  by_user_id: string | null;
  reason: string | null;
}

/** One distinct set of ladder inputs and its stored plan, with how many ladders share it. */
export interface LadderGroup {
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

/** A group's new plan, found by the group's key. */
export interface GroupPlan {
  key: string;
  next_level: number | null;
  next_occurrence: number | null;
  next_at: string | null;
}

/** What starting a ladder needs of an assignment that has none, its policy resolved. */
/** Open assignments without a ladder that plan alike but for their creation time, keyed as PostgreSQL renders it. */
export interface StartGroup {
  key: string;
  policy_version_id: string;
  due_ms: number;
  due_kind: DueKind;
  status: AssignmentStatus;
}

/** The first plan of a group's members created within (after, up_to]. */
export interface GroupStart {
  key: string;
  after: string | null;
  up_to: string | null;
  next_level: number | null;
  next_occurrence: number | null;
  next_at: string | null;
}

/** A ladder to insert: a new share's. */
export interface NewLadder {
  assignment_id: string;
  policy_version_id: string;
  cycle_started_at: string;
  next_level: number | null;
  next_occurrence: number | null;
  next_at: string | null;
  /** 1 if absent. */
  version?: number;
}

/** Planned escalations that come due in one firing slot (ending at `at`, epoch ms). */
export interface DueSlot {
  at: number;
  count: number;
}

/** A ladder's inputs (with the assignment's), in one text: GROUP BY's key and the update's join key. */
const LADDER_KEY = `ROW(s.policy_version_id, s.cycle_started_at, s.last_level, s.last_occurrence, s.last_acknowledged,
  s.next_level, s.next_occurrence, s.next_at, a.due_at, a.due_kind, a.status)::text`;

/** An assignment's policy version: the current one of its task's policy, else of the default policy. */
const POLICY_VERSION_OF_ASSIGNMENT = `JOIN task t ON t.id = a.task_id
  JOIN escalation_policy p ON p.id = COALESCE(t.escalation_policy_id, (SELECT id FROM escalation_policy WHERE is_default))
  JOIN escalation_policy_version v ON v.policy_id = p.id AND v.number = p.current_version`;
const START_KEY = `ROW(v.id, a.due_at, a.due_kind, a.status)::text`;
const WITHOUT_LADDER = `a.status <> 'CLOSED' AND NOT EXISTS (SELECT 1 FROM escalation_state s WHERE s.assignment_id = a.id)`;

const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/**
 * The deadline engine's set-based SQL, each statement with its row type: ladders are read and written a batch
 * at a time (JSON records in, rows out), so a firing or a reconciliation costs a fixed number of statements.
 */
@Injectable()
export class EscalationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Ladders due by `until` (never later than `now`), earliest first; ladders another transaction holds skipped. */
  dueLadders(manager: EntityManager, until: Date, now: Date, limit: number): Promise<DueLadderRow[]> {
    return manager.query<DueLadderRow[]>(
      `SELECT s.assignment_id, s.policy_version_id, s.cycle, s.cycle_started_at, s.next_level,
              s.next_occurrence, s.next_at, a.task_id, a.org_unit_id, a.due_at, a.due_kind, a.status
       FROM escalation_state s JOIN assignment a ON a.id = s.assignment_id
       WHERE s.next_at <= LEAST($1::timestamptz, $2::timestamptz)
       ORDER BY s.next_at LIMIT $3
       FOR UPDATE OF s SKIP LOCKED`,
      [until, now, limit],
    );
  }

  async advance(
    manager: EntityManager,
    ladders: readonly LadderAdvance[],
    now: Date,
  ): Promise<PlannedLadder[]> {
    const [rows] = await manager.query<[PlannedLadder[], number]>(
      `UPDATE escalation_state s SET last_level = d.last_level, last_occurrence = d.last_occurrence,
         last_acknowledged = false, next_level = d.next_level, next_occurrence = d.next_occurrence,
         next_at = d.next_at, version = s.version + 1, updated_at = $2
       FROM jsonb_to_recordset($1::jsonb) AS d(assignment_id uuid, last_level int, last_occurrence int,
         next_level int, next_occurrence int, next_at timestamptz)
       WHERE s.assignment_id = d.assignment_id
       RETURNING s.assignment_id, s.version, s.next_at`,
      [JSON.stringify(ladders), now],
    );
    return rows;
  }

  /** Writes the steps not written before; returns the new escalation ids by assignment. */
  async insertSteps(
    manager: EntityManager,
    steps: readonly StepRow[],
    now: Date,
  ): Promise<Map<string, string>> {
    const inserted = await manager.query<{ id: string; assignment_id: string }[]>(
      `INSERT INTO escalation (assignment_id, policy_version_id, cycle, level, occurrence, action, outcome,
         planned_at, fired_at, by_user_id, reason)
       SELECT d.assignment_id, d.policy_version_id, d.cycle, d.level, d.occurrence, d.action, d.outcome,
         d.planned_at, $2, d.by_user_id, d.reason
       FROM jsonb_to_recordset($1::jsonb) AS d(assignment_id uuid, policy_version_id uuid, cycle int, level int,
         occurrence int, action varchar, outcome varchar, planned_at timestamptz, by_user_id uuid, reason text)
       ON CONFLICT (assignment_id, cycle, level, occurrence) DO NOTHING RETURNING id, assignment_id`,
      [JSON.stringify(steps), now],
    );
    return new Map(inserted.map((r) => [r.assignment_id, r.id]));
  }

  /** The task title and unit name a message about each assignment names. */
  async messageFacts(
    manager: EntityManager,
    assignmentIds: readonly string[],
  ): Promise<Map<string, { title: string; name: string }>> {
    const rows = await manager.query<{ id: string; title: string; name: string }[]>(
      `SELECT a.id, t.title, u.name FROM assignment a
       JOIN task t ON t.id = a.task_id JOIN org_unit u ON u.id = a.org_unit_id
       WHERE a.id = ANY($1)`,
      [assignmentIds],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The unit answered: the fired steps of the ladder's cycle are acknowledged (their repeats stop). */
  async acknowledgeCycle(
    manager: EntityManager,
    assignmentId: string,
    cycle: number,
    now: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE escalation SET acknowledged_at = $3
       WHERE assignment_id = $1 AND cycle = $2 AND outcome = 'FIRED' AND acknowledged_at IS NULL`,
      [assignmentId, cycle, now],
    );
  }

  /** Moves the open ladders of a policy's other versions onto `versionId`, a new cycle from `now`. */
  async moveToVersion(
    manager: EntityManager,
    policyId: string,
    versionId: string,
    now: Date,
  ): Promise<string[]> {
    const [rows] = await manager.query<[{ assignment_id: string }[], number]>(
      `UPDATE escalation_state s SET policy_version_id = $2, cycle = cycle + 1, cycle_started_at = $3,
         last_level = NULL, last_occurrence = NULL, last_acknowledged = false, updated_at = $3
       FROM escalation_policy_version v, assignment a
       WHERE v.id = s.policy_version_id AND v.policy_id = $1 AND v.id <> $2
         AND a.id = s.assignment_id AND a.status <> 'CLOSED'
       RETURNING s.assignment_id`,
      [policyId, versionId, now],
    );
    return rows.map((r) => r.assignment_id);
  }

  async versionId(manager: EntityManager, policyId: string, number: number): Promise<string> {
    const [row] = await manager.query<{ id: string }[]>(
      `SELECT id FROM escalation_policy_version WHERE policy_id = $1 AND number = $2`,
      [policyId, number],
    );
    return row.id;
  }

  /** Planned escalations due before `until` per slot; anything already due falls in the `current` slot. */
  dueSlots(until: Date, slotMs: number, current: number): Promise<DueSlot[]> {
    return this.dataSource.query<DueSlot[]>(
      `SELECT GREATEST(ceil(${epochMs('next_at')} / $2) * $2, $3)::float8 AS at, count(*)::int AS count
       FROM escalation_state WHERE next_at IS NOT NULL AND next_at <= $1 GROUP BY 1 ORDER BY 1`,
      [until, slotMs, current],
    );
  }

  /** Every open ladder grouped by its inputs. */
  ladderGroups(): Promise<LadderGroup[]> {
    return transactional(
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
  }

  /** Stores each group's new plan on the ladders whose inputs are still the group's; returns how many. */
  async planGroups(plans: readonly GroupPlan[], now: Date): Promise<number> {
    const [, changed] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE escalation_state s SET next_level = d.next_level, next_occurrence = d.next_occurrence,
         next_at = d.next_at, version = s.version + 1, updated_at = $2
       FROM assignment a, jsonb_to_recordset($1::jsonb) AS d(key text, next_level int, next_occurrence int,
         next_at timestamptz)
       WHERE a.id = s.assignment_id AND ${LADDER_KEY} = d.key`,
      [JSON.stringify(plans), now],
    );
    return changed;
  }

  /** Open assignments without a ladder, grouped by everything their first plan depends on but the start. */
  startGroups(): Promise<StartGroup[]> {
    return this.dataSource.query<StartGroup[]>(
      `SELECT ${START_KEY} AS key, v.id AS policy_version_id, ${epochMs('a.due_at')} AS due_ms, a.due_kind, a.status
       FROM assignment a ${POLICY_VERSION_OF_ASSIGNMENT}
       WHERE ${WITHOUT_LADDER}
       GROUP BY v.id, a.due_at, a.due_kind, a.status`,
    );
  }

  /**
   * Starts the ladders of the groups' members, each from its creation (assignments written outside the service
   * join their ladder where it stands then); returns how many. A ladder started meanwhile by the service is kept.
   * Both sides go into analysed temporary tables first: joined as a function's rows (guessed at 100), every share
   * would be compared with every plan, and an anti-join on the ladders inside the insert would scan the growing
   * table once per share when it started empty.
   */
  async startLadders(starts: readonly GroupStart[], now: Date): Promise<number> {
    return transactional(
      this.dataSource,
      async (manager) => {
        await manager.query(`SET LOCAL work_mem = '128MB'`);
        await manager.query(
          `CREATE TEMP TABLE ladder_start ON COMMIT DROP AS
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(key text, after timestamptz, up_to timestamptz,
             next_level int, next_occurrence int, next_at timestamptz)`,
          [JSON.stringify(starts)],
        );
        await manager.query(
          `CREATE TEMP TABLE ladder_missing ON COMMIT DROP AS
           SELECT a.id, v.id AS policy_version_id, a.created_at, ${START_KEY} AS key
           FROM assignment a ${POLICY_VERSION_OF_ASSIGNMENT} WHERE ${WITHOUT_LADDER}`,
        );
        await manager.query(`ANALYZE ladder_start, ladder_missing`);
        const [{ started }] = await manager.query<{ started: number }[]>(
          `WITH inserted AS (
             INSERT INTO escalation_state (assignment_id, policy_version_id, cycle_started_at, next_level,
               next_occurrence, next_at, updated_at)
             SELECT m.id, m.policy_version_id, m.created_at, d.next_level, d.next_occurrence, d.next_at, $1
             FROM ladder_missing m
             JOIN ladder_start d ON d.key = m.key AND (d.after IS NULL OR m.created_at > d.after)
              AND (d.up_to IS NULL OR m.created_at <= d.up_to)
             ON CONFLICT (assignment_id) DO NOTHING RETURNING 1)
           SELECT count(*)::int AS started FROM inserted`,
          [now],
        );
        return started;
      },
      { audited: false },
    );
  }

  /** Inserts ladders for assignments that still have none; returns how many. */
  async insertLadders(
    ladders: readonly NewLadder[],
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    if (!ladders.length) return 0;
    const rows = await manager.query<unknown[]>(
      `INSERT INTO escalation_state (assignment_id, policy_version_id, cycle_started_at, next_level, next_occurrence,
         next_at, version, updated_at)
       SELECT d.assignment_id, d.policy_version_id, d.cycle_started_at, d.next_level, d.next_occurrence, d.next_at,
         COALESCE(d.version, 1), $2
       FROM jsonb_to_recordset($1::jsonb) AS d(assignment_id uuid, policy_version_id uuid,
         cycle_started_at timestamptz, next_level int, next_occurrence int, next_at timestamptz, version int)
       ON CONFLICT (assignment_id) DO NOTHING RETURNING assignment_id`,
      [JSON.stringify(ladders), now],
    );
    return rows.length;
  }
}
