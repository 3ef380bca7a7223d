import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  APP_CONFIG,
  Clock,
  transactional,
  type AppConfig,
  addDays,
  beijingDay,
  beijingInstant,
} from '@zhezi/core';
import { datedSql, lightSql, OPEN_NOTICE, warningEnd, WorkCalendarService } from '@zhezi/deadline';
import type { OrgUnitKind } from '@zhezi/org';
import { AssignmentStatus } from '@zhezi/task';

/**
 * Summary rows recomputed per statement: well inside the statement timeout up to ~10,000 shares a row (10M
 * shares in a generated city of 944 rows: about 5 s); all 944 rows of the 1M city in one statement took 19 s,
 * 100 rows of the 3M city 6.4 s.
 */
const RECOMPUTE_SLICE = 25;
/**
 * Slices recomputed at once, each a statement on a connection of its own: PostgreSQL runs one statement on one
 * core, and the midnight refresh (or a morning reader without it) would leave the other idle.
 */
const RECOMPUTE_CONCURRENCY = 2;

/** A summary row holds at `now`: computed at its current revision, its figures not yet moved by the clock. */
const freshRow = (now: string) => `(computed_revision = revision AND valid_until > ${now})`;

/** Red shares of the summed rows, and yellow ones too where `yellow` (a boolean parameter) says so. */
const AT_RISK_SUM = (yellow: string) =>
  `coalesce(sum(red + CASE WHEN ${yellow} THEN yellow ELSE 0 END), 0)::int`;

/** A summary row as stored (and as recomputed). */
export interface SummaryRow {
  plan_id: string;
  org_unit_id: string;
  kind: OrgUnitKind;
  fresh: boolean;
  revision: string;
  /** When the row's figures next move with the clock alone (midnight, a deadline). */
  valid_until: Date;
  assigned: number;
  closed: number;
  closed_on_time: number;
  overdue: number;
  overdue_days_sum: number;
  overdue_days_max: number;
  red: number;
  yellow: number;
  green: number;
  open_notices: number;
  missed_reports: number;
  by_status: Partial<Record<AssignmentStatus, number>>;
}

/** Which row, at which revision. */
type SummaryKey = Pick<SummaryRow, 'plan_id' | 'org_unit_id' | 'revision'>;

/** What the figures need of each share `a` (with its task `t`), as the columns of a derived table `i`. */
export const SHARE_COLUMNS = `t.plan_id, a.org_unit_id, a.status, a.due_at, a.due_kind, a.closed_at, a.created_at, a.progress_percent,
  ${OPEN_NOTICE('a')} AS notice, (SELECT count(*) FROM missed_report m WHERE m.assignment_id = a.id)::int AS missed`;

/** Placeholders of the instants the figures depend on (positional in the read model's statement, or named). */
interface FigureParams {
  now: string;
  warningEnd: string;
  lagPoints: string;
  dayStart: string;
  nextMidnight: string;
}

/** A summary row's figures over the shares `i` of a group (SHARE_COLUMNS; a LEFT JOIN's NULLs count nothing). */
export function figureColumns(p: FigureParams): string {
  const light = lightSql('i', 'i.notice', p);
  const open = `i.status <> '${AssignmentStatus.CLOSED}'`;
  // An ongoing duty (长期坚持) is never overdue.
  const overdue = `${open} AND ${datedSql('i')} AND i.due_at < ${p.now}`;
  const days = `((${p.now}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date - (i.due_at AT TIME ZONE 'Asia/Shanghai')::date)`;
  const byStatus = Object.values(AssignmentStatus)
    .map((s) => `'${s}', count(*) FILTER (WHERE i.status = '${s}')`)
    .join(', ');
  return `count(i.status)::int AS assigned,
    count(*) FILTER (WHERE i.status = '${AssignmentStatus.CLOSED}')::int AS closed,
    count(*) FILTER (WHERE i.status = '${AssignmentStatus.CLOSED}' AND (i.closed_at <= i.due_at OR NOT ${datedSql('i')}))::int
      AS closed_on_time,
    count(*) FILTER (WHERE ${overdue})::int AS overdue,
    coalesce(sum(${days}) FILTER (WHERE ${overdue}), 0)::int AS overdue_days_sum,
    coalesce(max(${days}) FILTER (WHERE ${overdue}), 0)::int AS overdue_days_max,
    count(*) FILTER (WHERE ${open} AND ${light.red})::int AS red,
    count(*) FILTER (WHERE ${open} AND NOT ${light.red} AND ${light.yellow})::int AS yellow,
    count(*) FILTER (WHERE ${open} AND NOT ${light.red} AND NOT ${light.yellow})::int AS green,
    count(*) FILTER (WHERE ${open} AND i.notice)::int AS open_notices,
    coalesce(sum(i.missed), 0)::int AS missed_reports,
    jsonb_build_object(${byStatus}) AS by_status,
    LEAST(${p.nextMidnight}::timestamptz, min(i.due_at) FILTER (WHERE ${open} AND ${datedSql('i')} AND i.due_at >= ${p.now})) AS valid_until`;
}

/**
 * The boards' read model: figures per (plan, unit) in `board_unit_summary`, which the database marks stale in the
 * transaction of every change (triggers). A stale row, or one whose figures the clock has moved (a light
 * changing, a day passing), is recomputed on read and stored unless a change came in meanwhile. Apart from the
 * boards so that the worker can refresh it too (`refreshStale`), without the API's resolvers.
 */
@Injectable()
export class BoardReadModel {
  private readonly recomputing = new Map<string, Promise<SummaryRow[]>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly calendars: WorkCalendarService,
  ) {}

  /** The instants the light rule needs now. */
  async lightParams(now: Date) {
    const calendar = await this.calendars.current();
    return {
      now,
      warningEnd: warningEnd(calendar, now, this.config.deadlines.warningWorkdays),
      lagPoints: this.config.deadlines.progressLagPoints,
      dayStart: beijingInstant(beijingDay(now)),
      nextMidnight: beijingInstant(addDays(beijingDay(now), 1)),
    };
  }

  /**
   * What a board over these rows depends on: their revisions summed, their count and newest row version (xmin) —
   * any change to a visible (plan, unit) pair moves one in the transaction of the change, and a rebuild that
   * replaces rows moves the newest xmin even where the sum would not — and until when their figures hold.
   * Rows that are stale are recomputed first; `validUntil` is `now` (nothing to keep) if some still are.
   */
  async version(
    planId: string | null,
    unitIds: string[] | null,
    now: Date,
  ): Promise<{ version: string; validUntil: Date }> {
    const read = async () =>
      (
        await this.dataSource.query<{ v: string; valid_until: Date | null; stale: number }[]>(
          // The units' own rows too: a unit without shares has no summary row to move when it is renamed.
          `SELECT concat_ws(':', sum(revision), count(*), max(xmin::text::bigint),
                    (SELECT string_agg(u.xmin::text, ',' ORDER BY u.id) FROM org_unit u WHERE u.id = ANY($2))) AS v,
                  min(valid_until) AS valid_until,
                  count(*) FILTER (WHERE NOT ${freshRow('$3')})::int AS stale
           FROM board_unit_summary
           WHERE ($1::uuid IS NULL OR plan_id = $1) AND ($2::uuid[] IS NULL OR org_unit_id = ANY($2))`,
          [planId, unitIds, now],
        )
      )[0];
    let row = await read();
    if (row.stale) {
      await this.summaries(planId, unitIds, now);
      row = await read();
    }
    const validUntil = row.stale ? now : (row.valid_until ?? beijingInstant(addDays(beijingDay(now), 1)));
    return { version: row.v, validUntil };
  }

  /** Red (and yellow) shares of the read model's rows, summed in the database once stale rows are refreshed. */
  async atRiskCount(planId: string | null, unitIds: string[] | null, yellow: boolean): Promise<number> {
    const now = this.clock.now();
    const sum = async () =>
      (
        await this.dataSource.query<{ n: number; stale: number }[]>(
          `SELECT ${AT_RISK_SUM('$4')} AS n, count(*) FILTER (WHERE NOT ${freshRow('$3')})::int AS stale
           FROM board_unit_summary
           WHERE ($1::uuid IS NULL OR plan_id = $1) AND ($2::uuid[] IS NULL OR org_unit_id = ANY($2))`,
          [planId, unitIds, now, yellow],
        )
      )[0];
    const first = await sum();
    if (!first.stale) return first.n;
    // Refresh once; a row a concurrent change has made stale again counts with its last figures.
    await this.summaries(planId, unitIds, now);
    return (await sum()).n;
  }

  /**
   * `atRiskCount` as a scalar subquery for a page's own statement to read along (named parameters `riskPlan`,
   * `riskUnits`, `riskNow`, `riskYellow`): a round trip less. NULL while a row it sums is stale: then ask
   * `atRiskCount`, which refreshes them.
   */
  atRiskCountSql(planId: string | null, unitIds: string[] | null, yellow: boolean, now: Date) {
    return {
      sql: `(SELECT CASE WHEN bool_and(${freshRow(':riskNow')}) IS NOT FALSE THEN ${AT_RISK_SUM(':riskYellow')} END
        FROM board_unit_summary
        WHERE (CAST(:riskPlan AS uuid) IS NULL OR plan_id = :riskPlan)
          AND (CAST(:riskUnits AS uuid[]) IS NULL OR org_unit_id = ANY(:riskUnits)))`,
      params: { riskPlan: planId, riskUnits: unitIds, riskNow: now, riskYellow: yellow },
    };
  }

  /** Summary rows of a plan (or all plans) for the given units (or all), fresh as of `now`. */
  async summaries(planId: string | null, unitIds: string[] | null, now: Date): Promise<SummaryRow[]> {
    const rows = await this.dataSource.query<SummaryRow[]>(
      `SELECT s.*, u.kind,
              ${freshRow('$3')} AS fresh
       FROM board_unit_summary s JOIN org_unit u ON u.id = s.org_unit_id
       WHERE ($1::uuid IS NULL OR s.plan_id = $1) AND ($2::uuid[] IS NULL OR s.org_unit_id = ANY($2))`,
      [planId, unitIds, now],
    );
    const recomputed = await this.recomputeInSlices(
      rows.filter((r) => !r.fresh),
      now,
    );
    return rows.map((r) => {
      const fresh = recomputed.get(`${r.plan_id}:${r.org_unit_id}`);
      return fresh ? { ...fresh, kind: r.kind, fresh: true } : r;
    });
  }

  /**
   * Recomputes every stale row of every plan now: the worker's job just after midnight, when a day passing has
   * moved nearly every row with open work, so that the morning's first reader does not wait for the city's.
   * Returns how many rows it recomputed; a second run finds none.
   */
  async refreshStale(): Promise<number> {
    const now = this.clock.now();
    const stale = await this.dataSource.query<SummaryKey[]>(
      `SELECT plan_id, org_unit_id, revision FROM board_unit_summary WHERE NOT ${freshRow('$1')}`,
      [now],
    );
    return (await this.recomputeInSlices(stale, now)).size;
  }

  /** These rows recomputed, keyed by plan and unit. */
  private async recomputeInSlices(stale: SummaryKey[], now: Date): Promise<Map<string, SummaryRow>> {
    const recomputed = new Map<string, SummaryRow>();
    // In slices: after a rebuild or a bulk import every row is stale, and one statement over them all would
    // outlast the statement timeout.
    let next = 0;
    const recomputeSlices = async () => {
      for (let i = next; i < stale.length; i = next) {
        next += RECOMPUTE_SLICE;
        try {
          for (const r of await this.recompute(stale.slice(i, i + RECOMPUTE_SLICE), now)) {
            recomputed.set(`${r.plan_id}:${r.org_unit_id}`, r);
          }
        } catch (error) {
          next = stale.length; // the others stop after their current slice
          throw error;
        }
      }
    };
    // Settled, not all: nothing of this call still runs once it has failed.
    const runs = await Promise.allSettled(Array.from({ length: RECOMPUTE_CONCURRENCY }, recomputeSlices));
    const failed = runs.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return recomputed;
  }

  /**
   * Recomputes summary rows from the assignments and stores each unless its revision moved meanwhile (a
   * change committed after our snapshot: the row stays stale for the next reader).
   */
  private async recompute(keys: SummaryKey[], now: Date): Promise<SummaryRow[]> {
    const p = await this.lightParams(now);
    const figures = figureColumns({
      now: '$2',
      warningEnd: '$3',
      lagPoints: '$4',
      nextMidnight: '$5',
      dayStart: '$6',
    });
    const run = (manager: EntityManager) =>
      manager.query<SummaryRow[]>(
        `WITH k AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS k(plan_id uuid, org_unit_id uuid, revision bigint)
       ), i AS (
         -- Per key, through the unit's index range: planning it as one join hashes every task.
         SELECT x.*
         FROM k CROSS JOIN LATERAL (
           SELECT ${SHARE_COLUMNS}
           FROM assignment a JOIN task t ON t.id = a.task_id
           WHERE a.org_unit_id = k.org_unit_id AND t.plan_id = k.plan_id
         ) AS x
       ), f AS (
         SELECT k.plan_id, k.org_unit_id, k.revision, ${figures}
         FROM k LEFT JOIN i ON i.plan_id = k.plan_id AND i.org_unit_id = k.org_unit_id
         GROUP BY k.plan_id, k.org_unit_id, k.revision
       ), saved AS (
         UPDATE board_unit_summary s SET computed_revision = f.revision, computed_at = $2, valid_until = f.valid_until,
           assigned = f.assigned, closed = f.closed, closed_on_time = f.closed_on_time, overdue = f.overdue,
           overdue_days_sum = f.overdue_days_sum, overdue_days_max = f.overdue_days_max, red = f.red,
           yellow = f.yellow, green = f.green, open_notices = f.open_notices, missed_reports = f.missed_reports,
           by_status = f.by_status
         FROM f WHERE s.plan_id = f.plan_id AND s.org_unit_id = f.org_unit_id AND s.revision = f.revision
       )
       SELECT f.* FROM f`,
        [
          JSON.stringify(
            keys.map((k) => ({ plan_id: k.plan_id, org_unit_id: k.org_unit_id, revision: k.revision })),
          ),
          p.now,
          p.warningEnd,
          p.lagPoints,
          p.nextMidnight,
          p.dayStart,
        ],
      );
    const flight = JSON.stringify(keys.map((k) => [k.plan_id, k.org_unit_id, k.revision]));
    let pending = this.recomputing.get(flight);
    if (!pending) {
      // Concurrent readers of the same stale rows wait for one recomputation instead of queueing on its locks.
      pending = transactional(
        this.dataSource,
        async (manager) => {
          // A few thousand rows: compiling the plan (JIT) cost more than running it.
          await manager.query('SET LOCAL jit = off');
          return run(manager);
        },
        { audited: false },
      ).finally(() => this.recomputing.delete(flight));
      this.recomputing.set(flight, pending);
    }
    return pending;
  }
}
