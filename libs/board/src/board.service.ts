import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '@zhezi/access';
import {
  APP_CONFIG,
  Clock,
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
import { OrgService, OrgUnitKind } from '@zhezi/org';
import { AssignmentStatus } from '@zhezi/task';
import { BoardReadModel, figureColumns, SHARE_COLUMNS, type SummaryRow } from './board-read-model';
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
 * The leader board and its trend, from the read model's figures per (plan, unit) (BoardReadModel). The boards
 * that list shares (a unit's, the 督查室's) are ShareListService.
 */
@Injectable()
export class BoardService {
  private readonly leaderBoards = new BoardCache<LeaderBoard>();
  private readonly trends = new BoardCache<BoardWeek[]>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly readModel: BoardReadModel,
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

  async leaderBoard(actor: Actor, planId: string | null): Promise<LeaderBoard> {
    const now = this.clock.now();
    const unitIds = await this.access.visibleUnitIds(actor);
    const { version } = await this.readModel.version(planId, unitIds, now);
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
      const orgUnits = await this.org.unitsByIds([...byUnit.keys()]);
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

  /** A page of the leader board's units: one kind, best first. */
  unitsOf(board: LeaderBoard, kind: 'DEPARTMENT' | 'LOCAL' | undefined): UnitFigures[] {
    return board.units
      .filter((u) => kind === undefined || LOCAL_KINDS.has(u.kind) === (kind === 'LOCAL'))
      .sort((a, b) => b.score - a.score || a.rank - b.rank || a.orgUnitId.localeCompare(b.orgUnitId));
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
    if (!unitIds) return this.readModel.summaries(planId, null, now);
    const own = await this.readModel.summaries(planId, [actor.orgUnitId], now);
    const scope = this.access.assignmentCondition(actor, tableRef('assignment', 'a'));
    if (!scope || unitIds.every((u) => u === actor.orgUnitId)) return own;
    const p = await this.readModel.lightParams(now);
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
