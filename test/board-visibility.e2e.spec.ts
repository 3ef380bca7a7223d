import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { FixedClock } from '@zhezi/core';
import { EscalationEngine } from '@zhezi/deadline';
import { graphql } from './gql';
import type {
  BoardVisibilityBoardChangedSubscription,
  BoardVisibilityBoardChangedSubscriptionVariables,
  EscalationAction,
  TypedDocumentString,
} from './gql/graphql';
import { dataOf, outcomeOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const UNIT_BOARD = graphql(`
  query BoardVisibilityUnitBoard($orgUnitId: ID, $planId: ID) {
    unitBoard(orgUnitId: $orgUnitId, filter: { planId: $planId }) {
      orgUnit {
        name
      }
      columns {
        status
        count
      }
      items(first: 50) {
        totalCount
        edges {
          node {
            id
          }
        }
      }
      nextDeadlines(first: 10) {
        id
      }
    }
  }
`);
const UNIT_BOARD_NAME = graphql(`
  query BoardVisibilityUnitBoardName($id: ID) {
    unitBoard(orgUnitId: $id) {
      orgUnit {
        name
      }
    }
  }
`);
const LEADER_BOARD = graphql(`
  query BoardVisibilityLeaderBoard($planId: ID) {
    leaderBoard(planId: $planId) {
      totals {
        assigned
      }
      units(first: 20) {
        edges {
          node {
            orgUnit {
              name
            }
            assigned
          }
        }
      }
      trend(weeks: 8) {
        dueToDate
      }
    }
  }
`);
const BULLETIN = graphql(`
  query BoardVisibilityBulletin($planId: ID!, $month: String!) {
    bulletin(planId: $planId, month: $month) {
      rows {
        orgUnit {
          name
        }
        assigned
        overdue
        overdueDaysSum
      }
    }
  }
`);
const INSPECTOR_BOARD = graphql(`
  query BoardVisibilityInspectorBoard($filter: InspectorBoardFilter) {
    inspectorBoard(filter: $filter, first: 50) {
      edges {
        node {
          id
          levelReached
        }
      }
    }
  }
`);
const ASSIGNMENT = graphql(`
  query BoardVisibilityAssignment($id: ID!) {
    assignment(id: $id) {
      id
    }
  }
`);
const ACCEPT = graphql(`
  mutation BoardVisibilityAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const SUBMIT = graphql(`
  mutation BoardVisibilitySubmitProgress($input: SubmitProgressInput!) {
    submitProgress(input: $input) {
      id
    }
  }
`);
const SKIP = graphql(`
  mutation BoardVisibilitySkipLevel($id: ID!, $reason: String!) {
    skipEscalationLevel(assignmentId: $id, reason: $reason) {
      action
      outcome
    }
  }
`);
const BOARD_CHANGED = graphql(`
  subscription BoardVisibilityBoardChanged($planId: ID) {
    boardChanged(planId: $planId) {
      planId
    }
  }
`);

/** Columns of an exported task list: 完成时限 (6, after 序号 … 责任领导), 状态, 红黄绿灯, 进度, 最新进展, 督办级别 (11). */
const [DEADLINE, STATUS, LIGHT, PROGRESS, REPORT, LEVEL] = [6, 7, 8, 9, 10, 11];

/**
 * The boards and the exports through the one visibility rule (libs/access): 中关村街道 holds a part 区水务局
 * split off, a part 区发展改革委 split off, and a share handed to it directly; a department looking at the
 * subdistrict sees its own part only. Then the per-unit export's figures, the level a skipped step does not
 * reach, and the bulletin of a month counting only the shares that existed in it.
 */
describe('board visibility (e2e)', () => {
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z')); // Monday 10:00 Beijing
  let api: TestApi;
  let base: string;
  let planId: string;
  let otherPlanId: string;
  const ids: Record<string, string> = {};

  const as = async <R, V>(user: string, doc: TypedDocumentString<R, V>, variables: V) =>
    api.gql(doc, variables, await api.token(user));

  const download = async (user: string, unit?: string) =>
    fetch(`${base}/plans/${planId}/task-list.xlsx${unit ? `?unit=${unit}` : ''}`, {
      headers: { authorization: `Bearer ${await api.token(user)}` },
    });

  /** The data rows of a downloaded list (below title, subtitle and header), as printed text. */
  const sheetOf = async (response: Response): Promise<string[][]> => {
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const rows: string[][] = [];
    workbook.worksheets[0].eachRow((row) => {
      const values: string[] = [];
      for (let c = 1; c <= 12; c++) {
        const cell = row.getCell(c);
        values.push(cell.value instanceof Date ? cell.value.toISOString().slice(0, 10) : cell.text);
      }
      rows.push(values);
    });
    return rows.slice(3);
  };

  beforeAll(async () => {
    api = await startTestApi({ clock });
    base = api.url.replace(/\/graphql$/, '');
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const { units } = api.fixture;
    planId = await ops.createPlan(leader, '看板可见性清单');
    otherPlanId = await ops.createPlan(leader, '另一份清单');
    const task = async (title: string, dueAt = '2026-12-31T15:59:59.999Z', plan = planId) =>
      (await ops.createTask(leader, { planId: plan, title, dueAt })).id;

    const t1 = await task('水务局分给中关村的河道整治');
    [ids.swj] = (
      await ops.assignTask(leader, t1, [{ orgUnitId: units.swj.id, dueAt: '2026-03-20T15:59:59.999Z' }])
    ).map((a) => a.id);
    [ids.swjZgc] = (
      await ops.split(await api.token('swjOfficer'), ids.swj, [
        { orgUnitId: units.zgc.id, dueAt: '2026-03-20T15:59:59.999Z' },
      ])
    ).map((a) => a.id);
    const t2 = await task('发改委分给中关村的项目储备');
    [ids.fgw] = (await ops.assignTask(leader, t2, [{ orgUnitId: units.fgw.id }])).map((a) => a.id);
    [ids.fgwZgc] = (
      await ops.split(await api.token('fgwOfficer'), ids.fgw, [
        { orgUnitId: units.zgc.id, dueAt: '2026-03-25T15:59:59.999Z' },
      ])
    ).map((a) => a.id);
    // The task runs to the year's end; 中关村's share of it is due this week.
    const t3 = await task('区里直接交给中关村和海淀的背街小巷整治');
    [ids.zgc, ids.hd] = (
      await ops.assignTask(leader, t3, [
        { orgUnitId: units.zgc.id, dueAt: '2026-03-05T15:59:59.999Z' },
        { orgUnitId: units.hd.id, dueAt: '2026-12-31T15:59:59.999Z' },
      ])
    ).map((a) => a.id);
    const t4 = await task('学院路的督办级别');
    [ids.xyl] = (
      await ops.assignTask(leader, t4, [{ orgUnitId: units.xyl.id, dueAt: '2026-03-05T15:59:59.999Z' }])
    ).map((a) => a.id);
    const other = await task('另一份清单上水务局的任务', undefined, otherPlanId);
    [ids.otherSwj] = (await ops.assignTask(leader, other, [{ orgUnitId: units.swj.id }])).map((a) => a.id);
    // Handed out on the test clock's day, not the machine's: the bulletin counts a share from its creation.
    await api.dataSource.query(`UPDATE assignment SET created_at = $1`, [clock.now()]);
  });

  afterAll(() => api.close());

  it("shows a department on a subdistrict's board only the parts it split off", async () => {
    const zgc = api.fixture.units.zgc.id;
    const board = async (user: string) => {
      const b = dataOf(await as(user, UNIT_BOARD, { orgUnitId: zgc, planId })).unitBoard;
      return {
        columns: b.columns.reduce((n, c) => n + c.count, 0),
        items: b.items.edges.map((e) => e.node.id).sort(),
        total: b.items.totalCount,
        next: b.nextDeadlines.map((a) => a.id).sort(),
      };
    };
    const all = [ids.swjZgc, ids.fgwZgc].sort();
    expect(await board('leader')).toEqual({
      columns: 3,
      items: [...all, ids.zgc].sort(),
      total: 3,
      next: [...all, ids.zgc].sort(),
    });
    expect(await board('swjOfficer')).toEqual({
      columns: 1,
      items: [ids.swjZgc],
      total: 1,
      next: [ids.swjZgc],
    });
    expect(await board('fgwOfficer')).toEqual({
      columns: 1,
      items: [ids.fgwZgc],
      total: 1,
      next: [ids.fgwZgc],
    });
    expect(await board('zgcOfficer')).toMatchObject({ columns: 3, total: 3 });
    // The same shares the department's own look at them allows: assignment(id) refuses the others.
    expect(outcomeOf(await as('swjOfficer', ASSIGNMENT, { id: ids.fgwZgc }))).toBe('FORBIDDEN');
    expect(outcomeOf(await as('hdOfficer', UNIT_BOARD, { orgUnitId: zgc, planId }))).toBe('FORBIDDEN');
  });

  it("counts on a department's leader board, trend and bulletin only the parts it split off", async () => {
    const leaderBoard = dataOf(await as('swjOfficer', LEADER_BOARD, { planId })).leaderBoard;
    expect(leaderBoard.units.edges.map((e) => [e.node.orgUnit.name, e.node.assigned]).sort()).toEqual([
      ['中关村街道', 1],
      ['区水务局', 1],
    ]);
    expect(leaderBoard.totals.assigned).toBe(2);
    // Due within four weeks: its own share and its part, not 中关村's other shares.
    expect(leaderBoard.trend.at(-1)!.dueToDate).toBe(2);

    const bulletin = dataOf(await as('swjOfficer', BULLETIN, { planId, month: '2026-03' })).bulletin;
    expect(bulletin.rows.map((r) => [r.orgUnit.name, r.assigned])).toEqual([
      ['区水务局', 1],
      ['中关村街道', 1],
    ]);
  });

  it("refuses another unit's list unless the caller may see that unit, and names a unit that does not exist", async () => {
    const { units } = api.fixture;
    expect((await sheetOf(await download('swjOfficer', units.zgc.id))).map((r) => r[1])).toEqual([
      '水务局分给中关村的河道整治',
    ]);
    for (const [user, unit] of [
      ['hdOfficer', units.zgc.id],
      ['zgcOfficer', units.hd.id],
      ['fgwOfficer', units.swj.id],
      ['swjOfficer', units.hd.id],
    ]) {
      const response = await download(user, unit);
      expect({ user, status: response.status }).toEqual({ user, status: 403 });
      expect(((await response.json()) as { extensions: { code: string } }).extensions.code).toBe('FORBIDDEN');
    }
    // Another unit of every kind: readers get its list; a unit only its own, or one it split work to.
    const kinds = ['gov', 'inspectorate', 'jw', 'swj', 'zgc', 'hd', 'sz'] as const;
    const allowed: Record<string, readonly string[]> = {
      leader: kinds,
      inspector: kinds,
      swjOfficer: ['swj', 'zgc'],
      zgcOfficer: ['zgc'],
      hdOfficer: ['hd'],
    };
    for (const [user, open] of Object.entries(allowed)) {
      for (const kind of kinds) {
        const status = (await download(user, units[kind].id)).status;
        expect({ user, kind, status }).toEqual({ user, kind, status: open.includes(kind) ? 200 : 403 });
      }
    }
    const nobody = randomUUID();
    expect((await download('leader', nobody)).status).toBe(404);
    for (const user of ['leader', 'zgcOfficer']) {
      const result = await as(user, UNIT_BOARD_NAME, { id: nobody });
      expect(result.errors?.[0].extensions.code).toBe('NOT_FOUND');
    }
  });

  it("prints a unit's list with that unit's share — due date, status, light, progress, report — for whoever downloads it", async () => {
    const zgcVersion = dataOf(
      await as('zgcOfficer', ACCEPT, {
        input: { assignmentId: ids.zgc, version: 1 },
      }),
    ).acceptAssignment.version;
    const report = { period: '2026-03', evidenceIds: [] };
    dataOf(
      await as('zgcOfficer', SUBMIT, {
        input: { ...report, assignmentId: ids.zgc, version: zgcVersion, text: '中关村的进展', percent: 40 },
      }),
    );
    clock.set(new Date('2026-03-03T02:00:00Z'));
    const hdVersion = dataOf(
      await as('hdOfficer', ACCEPT, {
        input: { assignmentId: ids.hd, version: 1 },
      }),
    ).acceptAssignment.version;
    dataOf(
      await as('hdOfficer', SUBMIT, {
        input: { ...report, assignmentId: ids.hd, version: hdVersion, text: '海淀街道的进展', percent: 10 },
      }),
    );
    clock.set(new Date('2026-03-06T02:00:00Z')); // 中关村's share is a day overdue; the task is not
    const zgc = api.fixture.units.zgc.id;
    const rowOf = async (user: string) =>
      (await sheetOf(await download(user, zgc))).find(
        (r) => r[1] === '区里直接交给中关村和海淀的背街小巷整治',
      )!;
    const leaders = await rowOf('leader');
    expect([leaders[DEADLINE], leaders[STATUS], leaders[LIGHT], leaders[PROGRESS]]).toEqual([
      '2026-03-05',
      '推进中',
      '红',
      '40%',
    ]);
    expect(leaders[REPORT]).toBe('2026-03-02 中关村的进展');
    // The figures are the share's whoever asks (the unit columns name the units each reader sees).
    const figures = (row: string[]) => row.slice(DEADLINE);
    expect(figures(await rowOf('zgcOfficer'))).toEqual(figures(leaders));
    expect(figures(await rowOf('inspector'))).toEqual(figures(leaders));
    // The unit's own download, without ?unit=, is its list.
    const own = (await sheetOf(await download('zgcOfficer'))).find((r) => r[1] === leaders[1])!;
    expect(figures(own)).toEqual(figures(leaders));
    // The whole list still prints the task's own deadline.
    const whole = (await sheetOf(await download('leader'))).find((r) => r[1] === leaders[1])!;
    expect(whole[DEADLINE]).toBe('2026-12-31');
  });

  it('counts only levels that fired as reached: a skipped level is neither shown, filtered nor printed', async () => {
    clock.set(new Date('2026-03-09T02:00:00Z')); // Monday: 学院路's share is 2 workdays overdue
    // As the worker would: each pass fires the steps planned by then and plans the next.
    const engine = api.app.get(EscalationEngine);
    for (let pass = 0; pass < 20 && (await engine.fireDue(clock.now(), 10_000)).scanned; pass++);
    const inspector = await api.token('inspector');
    expect(dataOf(await api.gql(SKIP, { id: ids.xyl, reason: '已约谈前电话沟通' }, inspector))).toEqual({
      skipEscalationLevel: { action: 'REPORT', outcome: 'SKIPPED' },
    });
    const board = async (level: EscalationAction) =>
      dataOf(
        await api.gql(INSPECTOR_BOARD, { filter: { planId, level } }, inspector),
      ).inspectorBoard.edges.map((e) => e.node);
    expect((await board('SUPERVISE')).find((n) => n.id === ids.xyl)).toEqual({
      id: ids.xyl,
      levelReached: 'SUPERVISE',
    });
    expect((await board('REPORT')).map((n) => n.id)).not.toContain(ids.xyl);
    const printed = async (unit?: string) =>
      (await sheetOf(await download('leader', unit))).find((r) => r[1] === '学院路的督办级别')![LEVEL];
    expect(await printed()).toBe('督办');
    expect(await printed(api.fixture.units.xyl.id)).toBe('督办');
  });

  it("tells a unit's open board only of plans it holds a visible share in", async () => {
    const client = createClient({
      url: api.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${await api.token('hdOfficer')}` },
      retryAttempts: 0,
    });
    const heard: Record<'any' | 'other', string[]> = { any: [], other: [] };
    const listen = (key: 'any' | 'other', variables: BoardVisibilityBoardChangedSubscriptionVariables) =>
      client.subscribe<BoardVisibilityBoardChangedSubscription>(
        { query: String(BOARD_CHANGED), variables },
        {
          next: (r) => r.data && heard[key].push(r.data.boardChanged.planId),
          error: () => undefined,
          complete: () => undefined,
        },
      );
    const stops = [listen('any', {}), listen('other', { planId: otherPlanId })];
    const touch = (id: string) =>
      api.dataSource.query(`UPDATE assignment SET progress_percent = progress_percent + 1 WHERE id = $1`, [
        id,
      ]);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      // The other plan changes first each time, so its message would come before or with this plan's.
      for (let tries = 0; !heard.any.includes(planId) && tries < 40; tries++) {
        await touch(ids.otherSwj);
        await touch(ids.hd);
        await sleep(250);
      }
      await sleep(2500);
      expect(heard.any).toContain(planId);
      expect(heard.any.filter((id) => id !== planId)).toEqual([]);
      expect(heard.other).toEqual([]);
    } finally {
      stops.forEach((stop) => stop());
      await client.dispose();
    }
  });

  it("counts in a month's bulletin only the shares that existed by its end", async () => {
    clock.set(new Date('2026-12-10T02:00:00Z'));
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const plan = await ops.createPlan(leader, '月度通报清单');
    const share = async (title: string) => {
      const task = await ops.createTask(leader, { planId: plan, title });
      return (await ops.assignTask(leader, task.id, [{ orgUnitId: api.fixture.units.hd.id }]))[0].id;
    };
    const november = await share('十一月交办、十一月到期');
    const december = await share('十二月补录、时限已过');
    const backdate = (id: string, createdAt: string, dueAt: string) =>
      api.dataSource.query(`UPDATE assignment SET created_at = $2, due_at = $3 WHERE id = $1`, [
        id,
        createdAt,
        dueAt,
      ]);
    await backdate(november, '2026-11-02T02:00:00Z', '2026-11-20T15:59:59.999Z');
    await backdate(december, '2026-12-03T02:00:00Z', '2026-11-15T15:59:59.999Z');
    const rowOf = async (month: string) =>
      dataOf(await as('inspector', BULLETIN, { planId: plan, month })).bulletin.rows;
    // At November's end only the November share stood overdue: 12-01 − 11-20 = 11 days.
    expect(await rowOf('2026-11')).toEqual([
      { orgUnit: { name: '海淀街道' }, assigned: 1, overdue: 1, overdueDaysSum: 11 },
    ]);
    // Now (12-10): both, 20 and 25 days.
    expect(await rowOf('2026-12')).toEqual([
      { orgUnit: { name: '海淀街道' }, assigned: 2, overdue: 2, overdueDaysSum: 45 },
    ]);
  });
});
