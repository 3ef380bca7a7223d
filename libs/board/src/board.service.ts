import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessPolicy } from '@zhezi/access';
import {
  APP_CONFIG,
  Clock,
  transactional,
  readsEverything,
  type Actor,
  type AppConfig,
  addDays,
  beijingDay,
  beijingInstant,
  weekday,
  type Day,
  tableRef,
} from '@zhezi/core';
import { datedSql, lightSql, OPEN_NOTICE, warningEnd, WorkCalendarService } from '@zhezi/deadline';
import { OrgService, OrgUnitKind } from '@zhezi/org';
import { AssignmentStatus } from '@zhezi/task';
import { BoardCache } from './board.cache';
import { BoardStream } from './board.stream';
import {
  type BoardChange,
  type BoardFigures,
  type BoardWeek,
  type LeaderBoard,
  type UnitFigures,
} from './board.types';
import { NAMED_LIGHT_PARAMS } from './board.sql';
import { rankByScore, scoreOf } from './score';

/** Units that take shares, grouped for ranking: departments apart from subdistricts and towns. */
const LOCAL_KINDS = new Set<OrgUnitKind>([OrgUnitKind.SUBDISTRICT, OrgUnitKind.TOWN]);

/**
 * Summary rows recomputed per statement: well inside the statement timeout up to ~10,000 shares a row (10M
 * shares in a generated city of 944 rows: about 5 s); all 944 rows of the 1M city in one statement took 19 s,
 * 100 rows of the 3M city 6.4 s.
 */
const RECOMPUTE_SLICE = 25;

/** A summary row holds at `now` (always `$3`): computed at its current revision, its figures not yet moved by the clock. */
const FRESH_ROW = '(computed_revision = revision AND valid_until > $3)';

/** A summary row as stored (and as recomputed). */
interface SummaryRow {
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

/** What the figures need of each share `a` (with its task `t`), as the columns of a derived table `i`. */
const SHARE_COLUMNS = `t.plan_id, a.org_unit_id, a.status, a.due_at, a.due_kind, a.closed_at, a.created_at, a.progress_percent,
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
function figureColumns(p: FigureParams): string {
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
 * The leader board and its trend. Figures per (plan, unit) come from `board_unit_summary`, a read model the
 * database marks stale in the transaction of every change (triggers); a stale row, or one whose figures the clock
 * has moved (a light changing, a day passing), is recomputed on read and stored unless a change came in
 * meanwhile. The boards that list shares (a unit's, the 督查室's) are ShareListService.
 */
@Injectable()
export class BoardService {
  private readonly recomputing = new Map<string, Promise<SummaryRow[]>>();
  private readonly leaderBoards = new BoardCache<LeaderBoard>();
  private readonly trends = new BoardCache<BoardWeek[]>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly calendars: WorkCalendarService,
    private readonly access: AccessPolicy,
    private readonly stream: BoardStream,
    private readonly org: OrgService,
  ) {}

  /** Changes of a plan (or all plans) the actor holds a visible share in; readers hear every plan. */
  async changes(actor: Actor, planId: string | null): Promise<AsyncIterableIterator<BoardChange>> {
    const changes = await this.stream.subscribe(planId);
    if (readsEverything(actor)) return changes;
    // Asked as each change comes: a share handed over later opens the plan to the subscriber.
    return filterChanges(changes, (change) => this.access.canSeePlan(actor, change.planId));
  }

  /** Raw SQL with named parameters (`:name`), as the access conditions are written. */
  private query<T>(sql: string, params: Record<string, unknown>): Promise<T> {
    const [text, values] = this.dataSource.driver.escapeQueryWithParameters(sql, params);
    return this.dataSource.query<T>(text, values);
  }

  private get weights() {
    return this.config.boards.scoreWeights;
  }

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

  async leaderBoard(actor: Actor, planId: string | null): Promise<LeaderBoard> {
    const now = this.clock.now();
    const unitIds = await this.access.visibleUnitIds(actor);
    const { version } = await this.readModelVersion(planId, unitIds, now);
    const key = `${planId ?? '*'}|${scopeKey(actor, unitIds)}`;
    return this.leaderBoards.get(key, version, now, async () => {
      const rows = await this.visibleSummaries(actor, planId, unitIds, now);
      const byUnit = new Map<string, { kind: OrgUnitKind; rows: SummaryRow[] }>();
      for (const row of rows) {
        const entry = byUnit.get(row.org_unit_id) ?? { kind: row.kind, rows: [] };
        entry.rows.push(row);
        byUnit.set(row.org_unit_id, entry);
      }
      // The units travel with the cached board, so a hit reads no org units either.
      const orgUnits = new Map((await this.org.unitsByIds([...byUnit.keys()])).map((u) => [u.id, u]));
      // A merged or deactivated unit keeps its closed history but is no longer ranked; the totals keep it.
      const units: UnitFigures[] = [...byUnit]
        .filter(([orgUnitId]) => orgUnits.get(orgUnitId)?.active !== false)
        .map(([orgUnitId, { kind, rows: mine }]) => {
          const figures = sumFigures(mine);
          const orgUnit = orgUnits.get(orgUnitId);
          return { ...figures, orgUnitId, orgUnit, kind, score: scoreOf(figures, this.weights), rank: 0 };
        });
      for (const local of [true, false]) rankByScore(units.filter((u) => LOCAL_KINDS.has(u.kind) === local));
      const validUntil = new Date(Math.min(...rows.map((r) => r.valid_until.getTime()), Infinity));
      return { value: { planId, asOf: now, totals: sumFigures(rows), units, version }, validUntil };
    });
  }

  /**
   * What a board over these rows depends on: their revisions summed, their count and newest row version (xmin) —
   * any change to a visible (plan, unit) pair moves one in the transaction of the change, and a rebuild that
   * replaces rows moves the newest xmin even where the sum would not — and until when their figures hold.
   * Rows that are stale are recomputed first; `validUntil` is `now` (nothing to keep) if some still are.
   */
  async readModelVersion(
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
                  count(*) FILTER (WHERE NOT ${FRESH_ROW})::int AS stale
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

  /** A page of the leader board's units: one kind, best first. */
  unitsOf(board: LeaderBoard, kind: 'DEPARTMENT' | 'LOCAL' | undefined): UnitFigures[] {
    return board.units
      .filter((u) => kind === undefined || LOCAL_KINDS.has(u.kind) === (kind === 'LOCAL'))
      .sort((a, b) => b.score - a.score || a.rank - b.rank || a.orgUnitId.localeCompare(b.orgUnitId));
  }

  /** Red (and yellow) shares of the read model's rows, summed in the database once stale rows are refreshed. */
  async atRiskCount(planId: string | null, unitIds: string[] | null, yellow: boolean): Promise<number> {
    const now = this.clock.now();
    const sum = async () =>
      (
        await this.dataSource.query<{ n: number; stale: number }[]>(
          `SELECT coalesce(sum(red + CASE WHEN $4 THEN yellow ELSE 0 END), 0)::int AS n,
                  count(*) FILTER (WHERE NOT ${FRESH_ROW})::int AS stale
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
   * Summary rows of what the actor sees: whole units from the read model (every unit for readers, a unit's own),
   * and the parts a department split off to other units counted from those shares alone.
   */
  private async visibleSummaries(
    actor: Actor,
    planId: string | null,
    unitIds: string[] | null,
    now: Date,
  ): Promise<SummaryRow[]> {
    if (!unitIds) return this.summaries(planId, null, now);
    const own = await this.summaries(planId, [actor.orgUnitId], now);
    const scope = this.access.assignmentCondition(actor, tableRef('assignment', 'a'));
    if (!scope || unitIds.every((u) => u === actor.orgUnitId)) return own;
    const p = await this.lightParams(now);
    const parts = await this.query<SummaryRow[]>(
      `SELECT i.plan_id, i.org_unit_id, u.kind, true AS fresh, '0' AS revision,
              ${figureColumns({ ...NAMED_LIGHT_PARAMS, nextMidnight: ':nextMidnight' })}
       FROM (SELECT ${SHARE_COLUMNS} FROM assignment a JOIN task t ON t.id = a.task_id
             WHERE ${scope.sql} AND a.org_unit_id <> :ownUnitId
               ${planId ? 'AND t.plan_id = :planId' : ''}) AS i
       JOIN org_unit u ON u.id = i.org_unit_id
       GROUP BY i.plan_id, i.org_unit_id, u.kind`,
      { ...scope.params, ...p, ownUnitId: actor.orgUnitId, planId },
    );
    return [...own, ...parts];
  }

  /** Summary rows of a plan (or all plans) for the given units (or all), fresh as of `now`. */
  private async summaries(planId: string | null, unitIds: string[] | null, now: Date): Promise<SummaryRow[]> {
    const rows = await this.dataSource.query<SummaryRow[]>(
      `SELECT s.*, u.kind,
              ${FRESH_ROW} AS fresh
       FROM board_unit_summary s JOIN org_unit u ON u.id = s.org_unit_id
       WHERE ($1::uuid IS NULL OR s.plan_id = $1) AND ($2::uuid[] IS NULL OR s.org_unit_id = ANY($2))`,
      [planId, unitIds, now],
    );
    const stale = rows.filter((r) => !r.fresh);
    if (!stale.length) return rows;
    const recomputed = new Map<string, SummaryRow>();
    // In slices: after a rebuild or a bulk import every row is stale, and one statement over them all would
    // outlast the statement timeout.
    for (let i = 0; i < stale.length; i += RECOMPUTE_SLICE) {
      for (const r of await this.recompute(stale.slice(i, i + RECOMPUTE_SLICE), now)) {
        recomputed.set(`${r.plan_id}:${r.org_unit_id}`, r);
      }
    }
    return rows.map((r) => {
      const fresh = recomputed.get(`${r.plan_id}:${r.org_unit_id}`);
      return fresh ? { ...fresh, kind: r.kind, fresh: true } : r;
    });
  }

  /**
   * Recomputes summary rows from the assignments and stores each unless its revision moved meanwhile (a
   * change committed after our snapshot: the row stays stale for the next reader).
   */
  private async recompute(keys: SummaryRow[], now: Date): Promise<SummaryRow[]> {
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

  /** Due and closed per week, with running totals, from `weeks - 4` weeks ago to 4 weeks ahead. */
  /** `version` is the board's: the weeks change with the same shares that move it. */
  async trend(actor: Actor, planId: string | null, weeks: number, version: string): Promise<BoardWeek[]> {
    const now = this.clock.now();
    const units = await this.access.visibleUnitIds(actor);
    const key = `${planId ?? '*'}|${scopeKey(actor, units)}|${weeks}`;
    const today = beijingDay(now);
    return this.trends.get(key, version, now, async () => ({
      value: await this.weeksOf(actor, planId, today, weeks),
      validUntil: beijingInstant(addDays(today, 1)),
    }));
  }

  private async weeksOf(actor: Actor, planId: string | null, today: Day, weeks: number) {
    const thisWeek = mondayOf(today);
    const last = addDays(thisWeek, 28);
    const first = addDays(last, -7 * (weeks - 1));
    // A unit counts the shares it sees; district-wide readers read the per-plan read model.
    const scope = this.access.assignmentCondition(actor, tableRef('assignment', 'a'));
    const shares = scope
      ? `FROM assignment a JOIN task t ON t.id = a.task_id
         WHERE ${scope.sql} AND (CAST(:planId AS uuid) IS NULL OR t.plan_id = :planId)`
      : '';
    const source = scope
      ? `SELECT board_week_of(a.due_at) AS week, 1 AS due, 0 AS closed ${shares}
         UNION ALL
         SELECT board_week_of(a.closed_at), 0, 1 ${shares} AND a.closed_at IS NOT NULL`
      : `SELECT week, due, closed FROM board_week WHERE (CAST(:planId AS uuid) IS NULL OR plan_id = :planId)`;
    const rows = await this.query<BoardWeek[]>(
      `SELECT to_char(week, 'YYYY-MM-DD') AS week, due, closed, due_to_date AS "dueToDate",
              closed_to_date AS "closedToDate"
       FROM (
         SELECT week, sum(due)::int AS due, sum(closed)::int AS closed,
                sum(sum(due)) OVER (ORDER BY week)::int AS due_to_date,
                sum(sum(closed)) OVER (ORDER BY week)::int AS closed_to_date
         FROM (${source}) AS x GROUP BY week
       ) AS w WHERE week <= CAST(:last AS date)`,
      { ...scope?.params, planId, last },
    );
    // Every week of the window appears, quiet ones too, carrying the running totals.
    const out: BoardWeek[] = [];
    let carry = { dueToDate: 0, closedToDate: 0 };
    for (const row of rows.filter((r) => r.week < first)) carry = row;
    for (let week = first; week <= last; week = addDays(week, 7)) {
      const row = rows.find((r) => r.week === week);
      if (row) carry = row;
      out.push(row ?? { week, due: 0, closed: 0, ...pickTotals(carry) });
    }
    return out;
  }
}

const pickTotals = (w: { dueToDate: number; closedToDate: number }) => ({
  dueToDate: w.dueToDate,
  closedToDate: w.closedToDate,
});

/** The Monday of a Beijing day's week. */
const mondayOf = (day: string) => addDays(day, -((weekday(day) + 6) % 7));

/** What a cached board depends on besides the plan: readers share one; a unit's depends on who asks. */
const scopeKey = (actor: Actor, unitIds: string[] | null) =>
  unitIds ? `${actor.orgUnitId}:${[...unitIds].sort().join(',')}` : '*';

/** The changes `keep` lets through; ending the filtered stream ends the source's. */
function filterChanges(
  source: AsyncIterableIterator<BoardChange>,
  keep: (change: BoardChange) => Promise<boolean>,
): AsyncIterableIterator<BoardChange> {
  return {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done || (await keep(result.value))) return result;
      }
    },
    return: (value?: unknown) => source.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Adds summary rows up (the longest overdue is a maximum). */
function sumFigures(rows: SummaryRow[]): BoardFigures {
  const sum = (key: keyof SummaryRow) => rows.reduce((n, r) => n + (r[key] as number), 0);
  const byStatus = Object.values(AssignmentStatus).map((status) => ({
    status,
    count: rows.reduce((n, r) => n + (r.by_status[status] ?? 0), 0),
  }));
  const closed = sum('closed');
  const closedOnTime = sum('closed_on_time');
  const overdue = sum('overdue');
  const assigned = sum('assigned');
  return {
    assigned,
    closed,
    closedOnTime,
    open: assigned - closed,
    overdue,
    overdueDaysSum: sum('overdue_days_sum'),
    overdueDaysMax: rows.reduce((n, r) => Math.max(n, r.overdue_days_max), 0),
    onTimeRate: closed + overdue ? closedOnTime / (closed + overdue) : 1,
    red: sum('red'),
    yellow: sum('yellow'),
    green: sum('green'),
    openNotices: sum('open_notices'),
    missedReports: sum('missed_reports'),
    byStatus,
  };
}
