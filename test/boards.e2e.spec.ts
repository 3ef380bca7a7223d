import ExcelJS from 'exceljs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { BoardReadModel } from '@zhezi/board';
import { addDays, beijingDay, beijingInstant, FixedClock } from '@zhezi/core';
import type { UserKey } from '@zhezi/testing';
import { graphql } from './gql';
import type { BoardsBoardChangedSubscription, TypedDocumentString } from './gql/graphql';
import { dataOf, outcomeOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

// The same figures for the totals and for each unit row (two types, so two fragments).
graphql(`
  fragment BoardsTotals on BoardFigures {
    assigned
    closed
    closedOnTime
    open
    overdue
    overdueDaysSum
    overdueDaysMax
    onTimeRate
    red
    yellow
    green
    openNotices
    missedReports
    byStatus {
      status
      count
    }
  }
`);
graphql(`
  fragment BoardsUnitFigures on UnitFigures {
    assigned
    closed
    closedOnTime
    open
    overdue
    overdueDaysSum
    overdueDaysMax
    onTimeRate
    red
    yellow
    green
    openNotices
    missedReports
    byStatus {
      status
      count
    }
  }
`);
const LEADER = graphql(`
  query BoardsLeaderBoard($planId: ID, $kind: String) {
    leaderBoard(planId: $planId) {
      planId
      totals {
        ...BoardsTotals
      }
      units(kind: $kind, first: 20) {
        totalCount
        edges {
          node {
            orgUnitId
            orgUnit {
              name
            }
            kind
            score
            rank
            ...BoardsUnitFigures
          }
        }
      }
      trend(weeks: 8) {
        week
        due
        closed
        dueToDate
        closedToDate
      }
    }
  }
`);
const UNIT = graphql(`
  query BoardsUnitBoard($orgUnitId: ID, $filter: UnitBoardFilter, $status: AssignmentStatus) {
    unitBoard(orgUnitId: $orgUnitId, filter: $filter) {
      orgUnit {
        name
      }
      columns {
        status
        count
      }
      items(status: $status, first: 50) {
        totalCount
        edges {
          node {
            id
            status
            light
            dueAt
          }
        }
      }
      nextDeadlines(first: 3) {
        id
        dueAt
      }
    }
  }
`);
const INSPECTOR = graphql(`
  query BoardsInspectorBoard($filter: InspectorBoardFilter, $first: Int, $after: String) {
    inspectorBoard(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          light
          daysOverdue
          levelReached
          lastReportAt
          orgUnitId
        }
      }
    }
  }
`);
const INSPECTOR_IDS = graphql(`
  query BoardsInspectorBoardIds($first: Int) {
    inspectorBoard(first: $first) {
      edges {
        node {
          id
        }
      }
    }
  }
`);
const UNIT_NEXT_IDS = graphql(`
  query BoardsUnitNextIds($filter: UnitBoardFilter) {
    unitBoard(filter: $filter) {
      nextDeadlines(first: 3) {
        id
      }
    }
  }
`);
const UNIT_NEXT = graphql(`
  query BoardsUnitNext {
    unitBoard {
      nextDeadlines(first: 3) {
        id
        light
        levelReached
        lastReportAt
      }
    }
  }
`);
const SHARE_FIELDS = graphql(`
  query BoardsShareFields($id: ID!) {
    assignment(id: $id) {
      light
      levelReached
      lastReportAt
    }
  }
`);
const ASSIGNMENT_VERSION = graphql(`
  query BoardsAssignmentVersion($id: ID!) {
    assignment(id: $id) {
      version
    }
  }
`);
const ACCEPT = graphql(`
  mutation BoardsAcceptAssignment($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      status
    }
  }
`);
const BULLETIN = graphql(`
  query BoardsBulletin($planId: ID!, $month: String!) {
    bulletin(planId: $planId, month: $month) {
      planTitle
      month
      rows {
        orgUnit {
          name
        }
        kind
        overdue
        overdueDaysSum
        overdueDaysMax
        missedReports
        score
        rank
      }
    }
  }
`);
const REPORT_INDICATOR = graphql(`
  mutation BoardsReportIndicatorValue($input: ReportIndicatorValueInput!) {
    reportIndicatorValue(input: $input) {
      latest {
        year
        value
      }
      expected
      onTrack
    }
  }
`);
const INDICATOR_BOARD = graphql(`
  query BoardsIndicatorBoard($planId: ID!) {
    indicatorBoard(planId: $planId) {
      totalCount
      edges {
        node {
          indicator {
            name
          }
          targetTitle
          latest {
            year
            value
          }
          expected
          onTrack
        }
      }
    }
  }
`);
const BOARD_CHANGED = graphql(`
  subscription BoardsBoardChanged($planId: ID) {
    boardChanged(planId: $planId) {
      planId
      at
    }
  }
`);

/**
 * Boards over a small plan with a fixed clock: five shares of three tasks across two subdistricts and a
 * department, one overdue, one inside the warning window, one far off, one closed on time.
 */
describe('boards (e2e)', () => {
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z')); // Monday 10:00 Beijing
  let api: TestApi;
  let planId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApi({ clock });
    const ops = taskOps(api);
    const leader = await api.token('leader');
    planId = await ops.createPlan(leader, '看板测试清单');
    const u = api.fixture.units;
    const task = async (title: string, dueAt: string) =>
      (
        await ops.createTask(leader, {
          planId,
          title,
          responsibleLeaderId: api.fixture.users.leader.id,
          dueAt,
        })
      ).id;
    const near = await task('河道综合整治工程', '2026-03-05T15:59:59.999Z');
    const far = await task('智慧停车设施建设', '2026-12-31T15:59:59.999Z');
    const late = await task('老旧小区综合整治', '2026-03-20T15:59:59.999Z');
    [ids.nearZgc] = (
      await ops.assignTask(leader, near, [{ orgUnitId: u.zgc.id, dueAt: '2026-03-05T15:59:59.999Z' }])
    ).map((a) => a.id);
    [ids.farZgc, ids.farHd] = (
      await ops.assignTask(leader, far, [
        { orgUnitId: u.zgc.id, dueAt: '2026-12-31T15:59:59.999Z' },
        { orgUnitId: u.hd.id, dueAt: '2026-12-31T15:59:59.999Z' },
      ])
    ).map((a) => a.id);
    [ids.lateHd, ids.lateSwj] = (
      await ops.assignTask(leader, late, [
        { orgUnitId: u.hd.id, dueAt: '2026-03-10T15:59:59.999Z' },
        { orgUnitId: u.swj.id, dueAt: '2026-03-20T15:59:59.999Z' },
      ])
    ).map((a) => a.id);
    // Handed out on the test clock's day, not the machine's: the bulletin counts a share from its creation.
    await api.dataSource.query(
      `UPDATE assignment SET created_at = $2 WHERE task_id IN (SELECT id FROM task WHERE plan_id = $1)`,
      [planId, clock.now()],
    );
  });

  afterAll(() => api.close());

  const leaderBoard = async (user: string, kind?: string) =>
    dataOf(await api.gql(LEADER, { planId, kind }, await api.token(user))).leaderBoard;

  it('counts each unit by light and status, ranks departments apart from subdistricts, and keeps a weekly trend', async () => {
    clock.set(new Date('2026-03-12T02:00:00Z')); // Thursday: 海淀街道's share is 1 day overdue
    const board = await leaderBoard('leader');
    expect(board.totals).toMatchObject({
      assigned: 5,
      closed: 0,
      open: 5,
      overdue: 2,
      red: 2,
      yellow: 1,
      green: 2,
    });
    // 海淀街道: on time 0 of 1 due, 2 days over 2 open shares, no missed reports → 100 × (0.3 × (1 − 1/30) + 0.2)
    expect(board.units.edges.find((e) => e.node.orgUnit.name === '海淀街道')!.node.score).toBe(49);
    const byName = Object.fromEntries(board.units.edges.map((e) => [e.node.orgUnit.name, e.node]));
    expect(byName['海淀街道']).toMatchObject({
      assigned: 2,
      overdue: 1,
      overdueDaysSum: 2,
      red: 1,
      green: 1,
      rank: 1,
    });
    expect(byName['中关村街道']).toMatchObject({
      assigned: 2,
      overdue: 1,
      overdueDaysSum: 7,
      overdueDaysMax: 7,
      rank: 2,
    });
    expect(byName['区水务局']).toMatchObject({ kind: 'DEPARTMENT', assigned: 1, yellow: 1, rank: 1 });
    const locals = await leaderBoard('leader', 'LOCAL');
    expect(locals.units.edges.map((e) => e.node.orgUnit.name)).toEqual(['海淀街道', '中关村街道']);
    expect(board.trend).toHaveLength(8);
    // Four weeks ahead: the three March shares have come due, the December ones not yet.
    expect(board.trend.at(-1)).toMatchObject({ week: '2026-04-06', dueToDate: 3, closedToDate: 0 });
  });

  it('moves the figures with the clock alone (a day passing), and with a change at once', async () => {
    clock.set(new Date('2026-03-13T02:00:00Z'));
    const next = await leaderBoard('leader');
    const hd = next.units.edges.find((e) => e.node.orgUnit.name === '海淀街道')!.node;
    expect(hd.overdueDaysSum).toBe(3);
    const officer = await api.token('hdOfficer');
    const share = dataOf(await api.gql(ASSIGNMENT_VERSION, { id: ids.farHd }, officer)).assignment;
    outcomeOf(await api.gql(ACCEPT, { input: { assignmentId: ids.farHd, version: share.version } }, officer));
    const after = await leaderBoard('leader');
    const hdAfter = after.units.edges.find((e) => e.node.orgUnit.name === '海淀街道')!.node;
    expect(hdAfter.byStatus.filter((s) => s.count)).toEqual([
      { status: 'ASSIGNED', count: 1 },
      { status: 'ACCEPTED', count: 1 },
    ]);
  });

  it('shows a subdistrict only its own figures', async () => {
    const board = await leaderBoard('hdOfficer');
    expect(board.units.edges.map((e) => e.node.orgUnit.name)).toEqual(['海淀街道']);
    expect(board.totals.assigned).toBe(2);
  });

  it('gives a unit its kanban columns, filters by light and Chinese text, and refuses another unit', async () => {
    const officer = await api.token('zgcOfficer');
    const board = dataOf(await api.gql(UNIT, {}, officer)).unitBoard;
    expect(board.columns.find((c) => c.status === 'ASSIGNED')!.count).toBe(2);
    expect(board.items.totalCount).toBe(2);
    const red = dataOf(await api.gql(UNIT, { filter: { light: 'RED' } }, officer)).unitBoard.items.edges.map(
      ({ node: { id, light } }) => ({ id, light }),
    );
    expect(red).toEqual([{ id: ids.nearZgc, light: 'RED' }]);
    for (const [search, expected] of [
      ['河道', [ids.nearZgc]],
      ['停车', [ids.farZgc]],
      ['河', [ids.nearZgc]],
      ['水库', []],
    ] as const) {
      const found = dataOf(await api.gql(UNIT, { filter: { search } }, officer)).unitBoard.items.edges.map(
        (e) => e.node.id,
      );
      expect({ search, found }).toEqual({ search, found: expected });
    }
    const other = await api.gql(UNIT, { orgUnitId: api.fixture.units.hd.id }, officer);
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('lists overdue and at-risk shares for inspectors, most overdue first, paged', async () => {
    const inspector = await api.token('inspector');
    const first = dataOf(await api.gql(INSPECTOR, { filter: {}, first: 1 }, inspector)).inspectorBoard;
    expect(first.totalCount).toBe(3);
    expect(first.edges[0].node).toMatchObject({ id: ids.nearZgc, light: 'RED', daysOverdue: 8 });
    const rest = dataOf(
      await api.gql(INSPECTOR, { filter: {}, first: 10, after: first.pageInfo.endCursor }, inspector),
    ).inspectorBoard.edges.map((e) => e.node);
    expect(rest.map((n) => n.id)).toEqual([ids.lateHd, ids.lateSwj]);
    const found = dataOf(
      await api.gql(INSPECTOR, { filter: { search: '老旧小区' } }, inspector),
    ).inspectorBoard;
    expect(found.edges.map((e) => e.node.id)).toEqual([ids.lateHd, ids.lateSwj]);
    expect(found.totalCount).toBe(2);
    const onlyRed = dataOf(
      await api.gql(INSPECTOR, { filter: { includeAtRisk: false } }, inspector),
    ).inspectorBoard;
    expect(onlyRed.totalCount).toBe(2);
  });

  it("reads the inspector's total with its page, refreshing stale summary rows first", async () => {
    const inspector = await api.token('inspector');
    // New variables each time: no kept answer is met.
    const read = async (first: number, filter = {}) => {
      const before = api.queryCount();
      const board = dataOf(await api.gql(INSPECTOR, { filter, first }, inspector)).inspectorBoard;
      return { total: board.totalCount, items: board.edges.length, statements: api.queryCount() - before };
    };
    await read(4);
    const fresh = await read(5);
    expect(fresh).toMatchObject({ total: 3, items: 3 });
    await api.dataSource.query(`UPDATE board_unit_summary SET computed_revision = 0 WHERE plan_id = $1`, [
      planId,
    ]);
    const stale = await read(6);
    expect(stale).toMatchObject({ total: 3, items: 3 });
    expect(stale.statements).toBeGreaterThan(fresh.statements);
    expect(await read(7)).toEqual({ ...fresh });
    // A page without rows carries no total: it is counted on its own.
    expect(await read(8, { orgUnitId: api.fixture.units.fgw.id })).toMatchObject({ total: 0, items: 0 });
  });

  const statementsOf = async (user: UserKey) => {
    const token = await api.token(user);
    const statements = async <R, V>(query: TypedDocumentString<R, V>, variables: V) => {
      const before = api.queryCount();
      const data = dataOf(await api.gql(query, variables, token));
      return { data, statements: api.queryCount() - before };
    };
    /** As the fields read them one share at a time. */
    const expectSameAsAlone = async (
      shares: { id: string; light?: unknown; levelReached?: unknown; lastReportAt?: unknown }[],
    ) => {
      for (const { id, light, levelReached, lastReportAt } of shares) {
        const { assignment } = dataOf(await api.gql(SHARE_FIELDS, { id }, token));
        expect(assignment).toEqual({ light, levelReached, lastReportAt });
      }
    };
    return { statements, expectSameAsAlone };
  };

  it("reads its items' light, level reached and last report in the page's own statement", async () => {
    const { statements, expectSameAsAlone } = await statementsOf('inspector');
    // What a first request loads once (the calendar, the user); other variables, so no kept answer is met.
    await statements(INSPECTOR_IDS, { first: 2 });
    const bare = await statements(INSPECTOR_IDS, { first: 3 });
    const full = await statements(INSPECTOR, { filter: {}, first: 3 });
    expect(full.statements).toBe(bare.statements);
    await expectSameAsAlone(full.data.inspectorBoard.edges.map((e) => e.node));
  });

  it("reads a unit's next deadlines with their light, level reached and last report in one statement", async () => {
    const { statements, expectSameAsAlone } = await statementsOf('zgcOfficer');
    await statements(UNIT_NEXT_IDS, { filter: { planId } });
    const bare = await statements(UNIT_NEXT_IDS, { filter: {} });
    const full = await statements(UNIT_NEXT, {});
    expect(full.statements).toBe(bare.statements);
    expect(full.data.unitBoard.nextDeadlines.map((a) => a.id)).toEqual([ids.farZgc]);
    await expectSameAsAlone(full.data.unitBoard.nextDeadlines);
  });

  it('keeps the read model equal to a recomputation from the shares', async () => {
    await leaderBoard('leader');
    const stored = await api.dataSource.query<unknown[]>(
      `SELECT org_unit_id, assigned, closed, overdue, red, yellow, green FROM board_unit_summary
       WHERE plan_id = $1 ORDER BY org_unit_id`,
      [planId],
    );
    await api.dataSource.query(`UPDATE board_unit_summary SET computed_revision = 0 WHERE plan_id = $1`, [
      planId,
    ]);
    await leaderBoard('leader');
    const recomputed = await api.dataSource.query<unknown[]>(
      `SELECT org_unit_id, assigned, closed, overdue, red, yellow, green FROM board_unit_summary
       WHERE plan_id = $1 ORDER BY org_unit_id`,
      [planId],
    );
    expect(recomputed).toEqual(stored);
    // The weekly counts, kept by deltas through every change above, equal a rebuild from the shares.
    const weeks = () =>
      api.dataSource.query<unknown[]>(
        `SELECT plan_id, week, due, closed FROM board_week ORDER BY plan_id, week`,
      );
    const move = (dueAt: string) =>
      api.dataSource.query(`UPDATE assignment SET due_at = $2 WHERE id = $1`, [ids.farZgc, dueAt]);
    await move('2026-06-30T15:59:59.999Z');
    const kept = await weeks();
    await api.dataSource.query('SELECT board_rebuild()');
    expect(await weeks()).toEqual(kept);
    await move('2026-12-31T15:59:59.999Z');
    await leaderBoard('leader');
    expect(
      await api.dataSource.query<unknown[]>(
        `SELECT org_unit_id, assigned, closed, overdue, red, yellow, green FROM board_unit_summary
         WHERE plan_id = $1 ORDER BY org_unit_id`,
        [planId],
      ),
    ).toEqual(stored);
  });

  it('writes the monthly bulletin as a query and as an Excel file, departments first, each ranked', async () => {
    const inspector = await api.token('inspector');
    const bulletin = dataOf(await api.gql(BULLETIN, { planId, month: '2026-03' }, inspector)).bulletin;
    expect(bulletin.rows.map((r) => [r.orgUnit.name, r.overdue, r.overdueDaysSum, r.rank])).toEqual([
      ['区水务局', 0, 0, 1],
      ['海淀街道', 1, 3, 1],
      ['中关村街道', 1, 8, 2],
    ]);
    const bad = await api.gql(BULLETIN, { planId, month: '2026-13' }, inspector);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const file = `${api.url.replace(/\/graphql$/, '')}/plans/${planId}/bulletins/2026-03.xlsx`;
    const response = await fetch(file, { headers: { authorization: `Bearer ${inspector}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0];
    expect(sheet.getCell('A1').value).toBe('看板测试清单 2026年3月督查通报');
    const names = sheet.getColumn(2).values.filter((v) => typeof v === 'string');
    // Column B of every row, merged title rows included: the layout as printed.
    expect(names).toEqual([
      '看板测试清单 2026年3月督查通报',
      '数据截至2026年3月13日',
      '一、区政府各部门',
      '单位',
      '区水务局',
      '二、各街道、镇（地区）',
      '单位',
      '海淀街道',
      '中关村街道',
    ]);
    const anonymous = await fetch(file);
    expect(anonymous.status).toBe(401);
  });

  it('shows each indicator against the straight line from its baseline to its target', async () => {
    const { plan, section } = api.fixture;
    const [greenery] = await api.dataSource.query<{ id: string }[]>(
      `INSERT INTO indicator (target_id, name, kind, unit, comparator, baseline_value, baseline_year, target_value,
         target_year)
       VALUES ($1, '城市绿化覆盖率', 'EXPECTED', '%', '达到', 48, 2015, 53, 2020) RETURNING id`,
      [section.id],
    );
    const leader = await api.token('leader');
    const before = dataOf(await api.gql(INDICATOR_BOARD, { planId: plan.id }, leader)).indicatorBoard;
    expect(before.edges.map((e) => e.node.onTrack)).toEqual([null]);
    const input = { indicatorId: greenery.id, year: 2017, value: 49.5, note: '园林绿化局统计' };
    expect(dataOf(await api.gql(REPORT_INDICATOR, { input }, leader))).toEqual({
      reportIndicatorValue: { latest: { year: 2017, value: 49.5 }, expected: 50, onTrack: false },
    });
    outcomeOf(await api.gql(REPORT_INDICATOR, { input: { ...input, value: 50.2 } }, leader));
    const after = dataOf(
      await api.gql(INDICATOR_BOARD, { planId: plan.id }, await api.token('hdOfficer')),
    ).indicatorBoard;
    expect(after.edges[0].node).toMatchObject({
      latest: { value: 50.2 },
      onTrack: true,
      targetTitle: section.title,
    });
    const refused = await api.gql(REPORT_INDICATOR, { input }, await api.token('hdOfficer'));
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const audit = await api.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'indicator.report' AND entity_id = $1`,
      [greenery.id],
    );
    expect(audit[0].n).toBe(2);
  });

  it('tells an open board once that its plan changed, however many changes came within a second', async () => {
    const client = createClient({
      url: api.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${await api.token('leader')}` },
      retryAttempts: 0,
    });
    const received: string[] = [];
    const stop = client.subscribe<BoardsBoardChangedSubscription>(
      { query: String(BOARD_CHANGED), variables: { planId } },
      {
        next: (r) => r.data && received.push(r.data.boardChanged.planId),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    const touch = () =>
      api.dataSource.query(`UPDATE assignment SET progress_percent = progress_percent + 1 WHERE id = $1`, [
        ids.farHd,
      ]);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      // The server starts listening when the subscription arrives, which the client is not told: touch until heard.
      for (let tries = 0; !received.length && tries < 40; tries++) {
        await touch();
        await sleep(250);
      }
      expect(received[0]).toBe(planId);
      await sleep(1500);
      received.length = 0;
      for (let i = 0; i < 5; i++) await touch();
      await sleep(2500);
      expect(received).toEqual([planId]);
    } finally {
      stop();
      await client.dispose();
    }
  });

  it("is refreshed by the worker's job just after midnight, so the morning's first board recomputes nothing", async () => {
    const readModel = api.app.get(BoardReadModel);
    const stale = async () =>
      (
        await api.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM board_unit_summary
           WHERE NOT (computed_revision = revision AND valid_until > $1)`,
          [clock.now()],
        )
      )[0].n;
    await leaderBoard('leader');
    expect(await stale()).toBe(0);
    expect(await readModel.refreshStale()).toBe(0);
    // 00:00:05 Beijing the next day, when the job's schedule runs it: days overdue have moved.
    const today = beijingDay(clock.now());
    clock.set(new Date(beijingInstant(addDays(today, 1)).getTime() + 5000));
    const moved = await stale();
    expect(moved).toBeGreaterThan(0);
    expect(await readModel.refreshStale()).toBe(moved);
    expect(await stale()).toBe(0);
    expect(await readModel.refreshStale()).toBe(0);
    // The first reader finds every row fresh: nothing recomputed (a recomputation reads the light's instants).
    const lights = jest.spyOn(readModel, 'lightParams');
    try {
      const board = await leaderBoard('leader');
      expect(lights).not.toHaveBeenCalled();
      expect(board.totals.overdue).toBeGreaterThan(0);
    } finally {
      lights.mockRestore();
    }
  });
});
