import { Injectable } from '@nestjs/common';
import type DataLoader from 'dataloader';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { AccessPolicy } from '@zhezi/access';
import {
  badInput,
  beijingDay,
  byKey,
  Clock,
  DEPARTMENT_ROLES,
  paginateByKeys,
  requestLoader,
  tableRef,
  type Actor,
  type Connection,
  type InlineCount,
  type PageArgs,
  type RequestContext,
  type SortKey,
} from '@zhezi/core';
import {
  EscalationAction,
  levelReachedSql,
  Light,
  lightSql,
  OPEN_NOTICE,
  SupervisionNoticeService,
} from '@zhezi/deadline';
import { OrgService } from '@zhezi/org';
import { DueKind } from '@zhezi/plan';
import { Assignment, AssignmentStatus } from '@zhezi/task';
import { BoardReadModel } from './board-read-model';
import { NAMED_LIGHT_PARAMS } from './board.sql';
import {
  SortDirection,
  UnitBoardOrder,
  type InspectorBoardFilter,
  type KanbanColumn,
  type UnitBoard,
  type UnitBoardFilter,
} from './board.types';

/**
 * Tasks whose title or contents contain `:search`, across the city: character bigrams narrow through the GIN
 * index (a one-character word has none), the substring test makes it exact.
 */
const TASKS_MATCHING = `SELECT t.id FROM task t
  WHERE t.search_terms @> zh_query_terms(:search) AND strpos(lower(t.title || ' ' || t.description), :search) > 0`;

/** When share `a` last had progress reported (NULL if never). */
const LAST_REPORT_AT = (a: string) =>
  `(SELECT max(r.submitted_at) FROM progress_report r WHERE r.assignment_id = ${a}.id)`;

/** Who reads a page, and the fields asked of its items (`fieldsAsked`): those the page's statement reads. */
export interface PageReader {
  ctx: RequestContext;
  asked: Set<string>;
}

/**
 * The boards that list shares: a unit's board (its columns and pages, as 我的任务 and a unit's page show them)
 * and the 督查室's overdue and at-risk list, with the per-share fields they show. The figures come from the
 * leader board's read model (BoardReadModel).
 */
@Injectable()
export class ShareListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly access: AccessPolicy,
    private readonly org: OrgService,
    private readonly readModel: BoardReadModel,
    private readonly notices: SupervisionNoticeService,
  ) {}

  /** A unit's board, if the actor may see that unit's list: its columns over the shares the actor sees. */
  async unitBoard(actor: Actor, orgUnitId: string, filter: UnitBoardFilter): Promise<UnitBoard> {
    if (filter.dueFrom && filter.dueTo && filter.dueFrom > filter.dueTo) {
      throw badInput('dueTo', '截止日期不能早于起始日期');
    }
    const orgUnit = await this.org.getUnit(orgUnitId);
    await this.access.assertCanSeeUnit(actor, orgUnitId);
    return { orgUnitId, orgUnit, filter, columns: await this.columns(actor, orgUnitId, filter) };
  }

  private async columns(actor: Actor, orgUnitId: string, filter: UnitBoardFilter): Promise<KanbanColumn[]> {
    const qb = await this.unitItems(actor, orgUnitId, filter);
    const rows = await qb
      .select('a.status', 'status')
      .addSelect('count(*)::int', 'count')
      .groupBy('a.status')
      .getRawMany<KanbanColumn>();
    return Object.values(AssignmentStatus).map((status) => ({
      status,
      count: rows.find((r) => r.status === status)?.count ?? 0,
    }));
  }

  /**
   * A page of the board's shares in the order asked for, ties by due date; the total is the columns' count,
   * which the board already holds.
   */
  async items(
    actor: Actor,
    board: { orgUnitId: string; filter: UnitBoardFilter; columns: KanbanColumn[] },
    args: PageArgs & { status?: AssignmentStatus; orderBy: UnitBoardOrder; direction: SortDirection },
    reader: PageReader,
  ): Promise<Connection<Assignment>> {
    const { status, orderBy, direction } = args;
    const qb = await this.unitItems(actor, board.orgUnitId, board.filter);
    if (status) qb.andWhere('a.status = :status', { status });
    const total = board.columns
      .filter((c) => !status || c.status === status)
      .reduce((n, c) => n + c.count, 0);
    const keys = [...ORDER_KEYS[orderBy], DUE_KEY];
    return paginateByKeys(qb, args, keys, direction, () => Promise.resolve(total), this.readAhead(reader));
  }

  /**
   * The next open deadlines, soonest first (overdue ones are on the inspector's board): the first page of that
   * order, its item fields read ahead as the board's pages do. Without them each field was a statement of its
   * own, or none when the board's page had primed its loader first: the statements hung on timing.
   */
  async nextDeadlines(
    actor: Actor,
    board: { orgUnitId: string; filter: UnitBoardFilter },
    first: number,
    reader: PageReader,
  ): Promise<Assignment[]> {
    const qb = await this.unitItems(actor, board.orgUnitId, board.filter);
    qb.andWhere(`a.status <> '${AssignmentStatus.CLOSED}' AND a.due_at >= :now`);
    // The list has no total to show: nothing to count.
    const page = await paginateByKeys(
      qb,
      { first },
      [DUE_KEY],
      'ASC',
      () => Promise.resolve(0),
      this.readAhead(reader),
    );
    return page.edges.map((edge) => edge.node);
  }

  /** The unit's shares the actor sees: a department on a subdistrict's board, only the parts it split off. */
  private async unitItems(
    actor: Actor,
    orgUnitId: string,
    filter: UnitBoardFilter,
  ): Promise<SelectQueryBuilder<Assignment>> {
    const p = await this.readModel.lightParams(this.clock.now());
    const qb = this.dataSource
      .getRepository(Assignment)
      .createQueryBuilder('a')
      .where('a.org_unit_id = :orgUnitId', { orgUnitId })
      .setParameters({ now: p.now, dayStart: p.dayStart, warningEnd: p.warningEnd, lagPoints: p.lagPoints });
    const scope = this.access.assignmentCondition(actor, tableRef('assignment', 'a'));
    if (scope) qb.andWhere(scope.sql, scope.params);
    const search = filter.search?.trim().toLowerCase();
    // The task is read only when a filter needs it: a unit's own list is one index range of assignment.
    if (filter.planId || search) qb.innerJoin('task', 't', 't.id = a.task_id');
    if (filter.planId) qb.andWhere('t.plan_id = :planId', { planId: filter.planId });
    if (filter.dueFrom) qb.andWhere('a.due_at >= :dueFrom', { dueFrom: filter.dueFrom });
    if (filter.dueTo) qb.andWhere('a.due_at <= :dueTo', { dueTo: filter.dueTo });
    if (filter.light) qb.andWhere(lightCondition(filter.light));
    // One unit's list is a few thousand shares at most: a substring test over them beats any index.
    if (search) qb.andWhere(`strpos(lower(t.title || ' ' || t.description), :search) > 0`, { search });
    return qb;
  }

  /** Overdue and at-risk shares, most overdue first, as far as the actor may see them. */
  async inspectorItems(
    actor: Actor,
    filter: InspectorBoardFilter,
    page: PageArgs,
    reader: PageReader,
  ): Promise<Connection<Assignment>> {
    const p = await this.readModel.lightParams(this.clock.now());
    const light = lightSql('a', OPEN_NOTICE('a'), NAMED_LIGHT_PARAMS);
    const qb = this.dataSource
      .getRepository(Assignment)
      .createQueryBuilder('a')
      .where(`a.status <> '${AssignmentStatus.CLOSED}'`)
      .andWhere(filter.includeAtRisk === false ? light.red : `(${light.red} OR ${light.yellow})`)
      .setParameters({ now: p.now, dayStart: p.dayStart, warningEnd: p.warningEnd, lagPoints: p.lagPoints });
    const scope = this.access.assignmentCondition(actor, tableRef('assignment', 'a'));
    if (scope) qb.andWhere(scope.sql, scope.params);
    if (filter.orgUnitId) qb.andWhere('a.org_unit_id = :orgUnitId', { orgUnitId: filter.orgUnitId });
    if (filter.planId)
      qb.andWhere('a.task_id IN (SELECT t.id FROM task t WHERE t.plan_id = :planId)', {
        planId: filter.planId,
      });
    const search = filter.search?.trim().toLowerCase();
    if (search) qb.andWhere(`a.task_id IN (${TASKS_MATCHING})`, { search });
    if (filter.level) {
      qb.andWhere(`${levelReachedSql('a')} = :level`, { level: filter.level satisfies EscalationAction });
    }
    return paginateByKeys(
      qb,
      page,
      [DUE_KEY],
      'ASC',
      await this.inspectorCount(actor, filter, qb, p.now),
      this.readAhead(reader),
    );
  }

  /**
   * Red and yellow shares per unit are in the read model, read along with the page. Level and text filters need
   * the rows, and a department sees only the parts it split off other units' lists: those count rows.
   */
  private async inspectorCount(
    actor: Actor,
    filter: InspectorBoardFilter,
    qb: SelectQueryBuilder<Assignment>,
    now: Date,
  ): Promise<InlineCount | (() => Promise<number>)> {
    if (filter.level || filter.search || DEPARTMENT_ROLES.includes(actor.role)) {
      return () => qb.clone().getCount();
    }
    const units = await this.access.visibleUnitIds(actor);
    const scope = filter.orgUnitId ? [filter.orgUnitId].filter((u) => !units || units.includes(u)) : units;
    const [planId, yellow] = [filter.planId ?? null, filter.includeAtRisk !== false];
    return {
      ...this.readModel.atRiskCountSql(planId, scope, yellow, now),
      count: () => this.readModel.atRiskCount(planId, scope, yellow),
    };
  }

  /**
   * What a page's items are asked for beyond their row — the light's open notice, the level reached, the last
   * report — read with the page, in its statement, and handed to the loaders those fields use (a statement per
   * field otherwise).
   */
  private readAhead({ ctx, asked }: PageReader) {
    const fields = READ_AHEAD.filter(([field]) => asked.has(field));
    if (!fields.length) return undefined;
    const loaders: Record<ReadAheadField, () => DataLoader<string, unknown>> = {
      light: () => this.notices.openNoticeLoader(ctx),
      levelReached: () => this.levelReachedLoader(ctx),
      lastReportAt: () => this.lastReportLoader(ctx),
    };
    const primed = fields.map(([field]) => [field, loaders[field]()] as const);
    return {
      columns: Object.fromEntries(fields),
      onRow: (id: string, values: Record<string, unknown>) => {
        for (const [field, loader] of primed) loader.prime(id, values[field]);
      },
    };
  }

  /** The highest level the share's ladder has fired in its current cycle (a skipped level is not reached). */
  levelReachedLoader(ctx: RequestContext) {
    return requestLoader<string, EscalationAction | null>(ctx, 'assignment.levelReached', async (ids) => {
      const rows = await this.dataSource.query<{ id: string; action: EscalationAction | null }[]>(
        `SELECT a.id, ${levelReachedSql('a')} AS action FROM assignment a WHERE a.id = ANY($1)`,
        [ids],
      );
      return byKey(ids, rows, (r) => r.id).map((r) => r?.action ?? null);
    });
  }

  lastReportLoader(ctx: RequestContext) {
    return requestLoader<string, Date | null>(ctx, 'assignment.lastReportAt', async (ids) => {
      const rows = await this.dataSource.query<{ id: string; at: Date | null }[]>(
        `SELECT a.id, ${LAST_REPORT_AT('a')} AS at FROM unnest($1::uuid[]) AS a(id)`,
        [ids],
      );
      return byKey(ids, rows, (r) => r.id).map((r) => r?.at ?? null);
    });
  }

  /** Calendar days past due (0 when not overdue), Beijing dates. */
  daysOverdue(assignment: Pick<Assignment, 'dueAt' | 'dueKind' | 'status'>): number {
    const now = this.clock.now();
    if (assignment.status === AssignmentStatus.CLOSED || assignment.dueKind === DueKind.ONGOING) return 0;
    if (assignment.dueAt >= now) return 0;
    const days = (Date.parse(beijingDay(now)) - Date.parse(beijingDay(assignment.dueAt))) / 86_400_000;
    return Math.round(days);
  }
}

const DUE_KEY: SortKey = { sql: 'a.due_at', type: 'timestamp' };

type ReadAheadField = 'light' | 'levelReached' | 'lastReportAt';

/** The item fields a page reads ahead, each as SQL over an `assignment` alias. */
const READ_AHEAD: readonly (readonly [ReadAheadField, (a: string) => string])[] = [
  ['light', OPEN_NOTICE],
  ['levelReached', levelReachedSql],
  ['lastReportAt', LAST_REPORT_AT],
];

/** The keys each order of a unit's list sorts by before the due date (one unit's rows: no index needed). */
const ORDER_KEYS: Record<UnitBoardOrder, SortKey[]> = {
  [UnitBoardOrder.DUE_AT]: [],
  [UnitBoardOrder.LIGHT]: [{ sql: lightRankSql(), type: 'int' }],
  [UnitBoardOrder.PROGRESS]: [{ sql: 'a.progress_percent', type: 'int' }],
  // Milliseconds, as the cursor carries them: a microsecond more would skip a row at a page's edge.
  [UnitBoardOrder.UPDATED_AT]: [{ sql: `date_trunc('milliseconds', a.updated_at)`, type: 'timestamp' }],
};

/** 0 red, 1 yellow, 2 green, 3 closed (no light): the light rule as a sort key. */
function lightRankSql(): string {
  const l = lightSql('a', OPEN_NOTICE('a'), NAMED_LIGHT_PARAMS);
  return `(CASE WHEN a.status = '${AssignmentStatus.CLOSED}' THEN 3 WHEN ${l.red} THEN 0 WHEN ${l.yellow} THEN 1 ELSE 2 END)`;
}

function lightCondition(light: Light): string {
  const l = lightSql('a', OPEN_NOTICE('a'), NAMED_LIGHT_PARAMS);
  const open = `a.status <> '${AssignmentStatus.CLOSED}'`;
  if (light === Light.RED) return `${open} AND ${l.red}`;
  if (light === Light.YELLOW) return `${open} AND NOT ${l.red} AND ${l.yellow}`;
  return `${open} AND NOT ${l.red} AND NOT ${l.yellow}`;
}
