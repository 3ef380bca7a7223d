import { BoardReadModel, BoardResponses, BoardService } from '@zhezi/board';
import { FixedClock } from '@zhezi/core';
import { graphql } from './gql';
import { dataOf, outcomeOf, taskOps, UPDATE_TASK } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';
import { waitFor } from './support/worker-services';

const UNIT = graphql(`
  query BoardResponsesUnitBoard($orgUnitId: ID, $filter: UnitBoardFilter) {
    unitBoard(orgUnitId: $orgUnitId, filter: $filter) {
      orgUnitId
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
            status
            light
            daysOverdue
            dueAt
            lastReportAt
            levelReached
            task {
              title
            }
          }
        }
      }
      nextDeadlines(first: 3) {
        id
      }
    }
  }
`);
const INSPECTOR = graphql(`
  query BoardResponsesInspectorBoard($filter: InspectorBoardFilter) {
    inspectorBoard(filter: $filter, first: 50) {
      totalCount
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
const LEADER = graphql(`
  query BoardResponsesLeaderBoard($planId: ID) {
    leaderBoard(planId: $planId) {
      totals {
        assigned
      }
      units(first: 20) {
        edges {
          node {
            orgUnitId
            orgUnit {
              name
            }
            assigned
          }
        }
      }
    }
  }
`);
/** `nextEscalation` is outside what a kept response may hold. */
const UNIT_NEXT_ESCALATION = graphql(`
  query BoardResponsesUnitBoardNextEscalation {
    unitBoard {
      items(first: 50) {
        edges {
          node {
            id
            nextEscalation {
              label
            }
          }
        }
      }
    }
  }
`);
/** The same board asked with variables, as the usual way answers it (nothing kept). */
const UNIT_UNCOVERED = graphql(`
  query BoardResponsesUnitBoardUncovered($orgUnitId: ID, $filter: UnitBoardFilter) {
    unitBoard(orgUnitId: $orgUnitId, filter: $filter) {
      items(first: 50) {
        edges {
          node {
            nextEscalation {
              label
            }
          }
        }
      }
    }
  }
`);
/** So is a task's status. */
const UNIT_TASK_STATUS = graphql(`
  query BoardResponsesUnitBoardTaskStatus {
    unitBoard {
      items(first: 50) {
        edges {
          node {
            id
            task {
              status
            }
          }
        }
      }
    }
  }
`);
const MIXED = graphql(`
  query BoardResponsesBoardAndViewer {
    viewer {
      username
    }
    unitBoard {
      columns {
        status
        count
      }
    }
  }
`);
const TYPENAME = graphql(`
  query BoardResponsesTypename {
    __typename
    unitBoard {
      columns {
        status
        count
      }
    }
  }
`);
const SHARE_VERSION = graphql(`
  query BoardResponsesShareVersion($id: ID!) {
    assignment(id: $id) {
      version
    }
  }
`);
const ACCEPT = graphql(`
  mutation BoardResponsesAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      status
    }
  }
`);
const SUBMIT = graphql(`
  mutation BoardResponsesSubmitProgress($input: SubmitProgressInput!) {
    submitProgress(input: $input) {
      id
    }
  }
`);
const UPDATE_UNIT = graphql(`
  mutation BoardResponsesUpdateOrgUnit($input: UpdateOrgUnitInput!) {
    updateOrgUnit(input: $input) {
      name
    }
  }
`);
const ESCALATE_NOW = graphql(`
  mutation BoardResponsesEscalateNow($id: ID!, $reason: String!) {
    escalateNow(assignmentId: $id, reason: $reason) {
      action
      outcome
    }
  }
`);
const DISABLE = graphql(`
  mutation BoardResponsesDisableUser($id: ID!) {
    disableUser(id: $id) {
      id
    }
  }
`);
const SIGN_OUT_EVERYWHERE = graphql(`
  mutation BoardResponsesSignOutEverywhere {
    signOutEverywhere
  }
`);

/**
 * Whole board responses kept between requests (BoardResponses and its Apollo plugin): a repeated covered query
 * executes nothing, yet every change and the clock move the answer at once, nothing crosses units, and errors,
 * mutations and uncovered fields always take the usual way.
 */
describe('board responses (e2e)', () => {
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z')); // Monday 10:00 Beijing
  let api: TestApi;
  let planId: string;
  let boards: BoardService;
  let readModel: BoardReadModel;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApi({ clock });
    boards = api.app.get(BoardService);
    readModel = api.app.get(BoardReadModel);
    const ops = taskOps(api);
    const leader = await api.token('leader');
    planId = await ops.createPlan(leader, '看板缓存清单');
    const u = api.fixture.units;
    const task = async (title: string, description: string) =>
      (await ops.createTask(leader, { planId, title, description, dueAt: '2026-12-31T15:59:59.999Z' })).id;
    ids.riverTask = await task('河道综合整治工程', '含水库清淤');
    ids.parkingTask = await task('智慧停车设施建设', '新建停车楼');
    // 中关村's river share is due Tuesday noon: inside the warning window now, overdue from Tuesday 12:00.
    [ids.riverZgc, ids.riverHd] = (
      await ops.assignTask(leader, ids.riverTask, [
        { orgUnitId: u.zgc.id, dueAt: '2026-03-03T04:00:00.000Z' },
        { orgUnitId: u.hd.id, dueAt: '2026-12-31T15:59:59.999Z' },
      ])
    ).map((a) => a.id);
    [ids.parkingZgc, ids.parkingSwj] = (
      await ops.assignTask(leader, ids.parkingTask, [
        { orgUnitId: u.zgc.id, dueAt: '2026-12-31T15:59:59.999Z' },
        { orgUnitId: u.swj.id, dueAt: '2026-12-31T15:59:59.999Z' },
      ])
    ).map((a) => a.id);
  });

  afterEach(() => jest.restoreAllMocks());
  afterAll(() => api.close());

  /** A request with what it cost: statements sent, and board executions (every list board reads the light). */
  async function measured<T>(request: () => Promise<T>) {
    const lights = jest.spyOn(readModel, 'lightParams');
    const leaderBoards = jest.spyOn(boards, 'leaderBoard');
    const before = api.queryCount();
    const result = await request();
    const cost = {
      statements: api.queryCount() - before,
      executed: lights.mock.calls.length + leaderBoards.mock.calls.length,
    };
    lights.mockRestore();
    leaderBoards.mockRestore();
    return { result, ...cost };
  }

  const unitBoard = async (user: string, variables: { orgUnitId?: string; filter?: object } = {}) =>
    dataOf(await api.gql(UNIT, variables, await api.token(user))).unitBoard;
  const inspectorBoard = async (user = 'inspector', filter: object = {}) =>
    dataOf(await api.gql(INSPECTOR, { filter }, await api.token(user))).inspectorBoard;
  const leaderBoard = async (user: string) =>
    dataOf(await api.gql(LEADER, { planId }, await api.token(user))).leaderBoard;
  const itemOf = (board: Awaited<ReturnType<typeof unitBoard>>, id: string) =>
    board.items.edges.find((e) => e.node.id === id)!.node;
  const shareOf = (board: Awaited<ReturnType<typeof inspectorBoard>>, id: string) =>
    board.edges.find((e) => e.node.id === id)?.node;
  const version = async (id: string) =>
    dataOf(await api.gql(SHARE_VERSION, { id }, await api.token('inspector'))).assignment.version;
  const rowVersion = async (table: 'task' | 'org_unit', id: string) =>
    (await api.dataSource.query<{ version: number }[]>(`SELECT version FROM ${table} WHERE id = $1`, [id]))[0]
      .version;

  it('answers a repeated query without executing it, and never with another unit’s or variables’ answer', async () => {
    const first = await measured(() => unitBoard('zgcOfficer'));
    expect(first.executed).toBeGreaterThan(0);
    expect(first.result.items.edges.map((e) => e.node.id).sort()).toEqual(
      [ids.riverZgc, ids.parkingZgc].sort(),
    );
    const second = await measured(() => unitBoard('zgcOfficer'));
    expect(second.result).toEqual(first.result);
    expect(second.executed).toBe(0);
    // Signing the caller in and the read model's version: nothing of the board itself.
    expect(second.statements).toBeLessThanOrEqual(2);
    expect(second.statements).toBeLessThan(first.statements);

    // The same role in another unit, the same text: its own board.
    const hd = await measured(() => unitBoard('hdOfficer'));
    expect(hd.executed).toBeGreaterThan(0);
    expect(hd.result.orgUnit.name).toBe('海淀街道');
    expect(hd.result.items.edges.map((e) => e.node.id)).toEqual([ids.riverHd]);

    // Two units without shares, created together: their read-model versions are the same, their boards are not.
    expect((await unitBoard('xylOfficer')).orgUnit.name).toBe('学院路街道');
    expect((await unitBoard('qhOfficer')).orgUnit.name).toBe('清河街道');

    // A text search is kept too (a task's contents move the revision like its title).
    const parking = await measured(() => unitBoard('zgcOfficer', { filter: { search: '停车' } }));
    expect(parking.executed).toBeGreaterThan(0);
    expect(parking.result.items.edges.map((e) => e.node.id)).toEqual([ids.parkingZgc]);
    expect((await measured(() => unitBoard('zgcOfficer', { filter: { search: '停车' } }))).executed).toBe(0);

    // The inspector's and the leader's boards are kept as well.
    await inspectorBoard();
    expect((await measured(() => inspectorBoard())).executed).toBe(0);
    await leaderBoard('leader');
    expect((await measured(() => leaderBoard('leader'))).executed).toBe(0);
  });

  it('sends a kept answer as the text it sent the first time, without serialising it again', async () => {
    const token = await api.token('swjOfficer');
    const post = async () =>
      (
        await fetch(api.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: UNIT.toString(), variables: {} }),
        })
      ).text();
    const first = await post();
    const stringify = jest.spyOn(JSON, 'stringify');
    const second = await post();
    const boardsSerialised = stringify.mock.calls.filter(
      ([value]) => (value as { data?: { unitBoard?: unknown } } | null)?.data?.unitBoard,
    );
    expect(boardsSerialised).toEqual([]);
    expect(second).toBe(first);
    expect(
      (JSON.parse(second) as { data: { unitBoard: { orgUnit: { name: string } } } }).data.unitBoard.orgUnit
        .name,
    ).toBe(api.fixture.units.swj.name);
  });

  it('leaves a malformed id to the resolvers, without a statement that would fail on it', async () => {
    await unitBoard('zgcOfficer');
    const token = await api.token('zgcOfficer');
    const bad = await measured(() =>
      api.gql(UNIT, { orgUnitId: '12345', filter: { planId: "' OR 1=1" } }, token),
    );
    expect(bad.result.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.statements).toBe(0);
  });

  it('moves the answer at once with a status change, a progress report, a title and a unit’s name', async () => {
    const officer = await api.token('zgcOfficer');
    await unitBoard('zgcOfficer');
    await inspectorBoard();
    expect(itemOf(await unitBoard('zgcOfficer'), ids.riverZgc).status).toBe('ASSIGNED');

    outcomeOf(
      await api.gql(
        ACCEPT,
        { input: { assignmentId: ids.riverZgc, version: await version(ids.riverZgc) } },
        officer,
      ),
    );
    const accepted = await unitBoard('zgcOfficer');
    expect(itemOf(accepted, ids.riverZgc).status).toBe('ACCEPTED');
    expect(accepted.columns.find((c) => c.status === 'ACCEPTED')!.count).toBe(1);
    expect(shareOf(await inspectorBoard(), ids.riverZgc)!.lastReportAt).toBeNull();

    dataOf(
      await api.gql(
        SUBMIT,
        {
          input: {
            assignmentId: ids.riverZgc,
            version: await version(ids.riverZgc),
            period: '2026-03',
            percent: 20,
            text: '已完成清淤方案',
            evidenceIds: [],
          },
        },
        officer,
      ),
    );
    expect(itemOf(await unitBoard('zgcOfficer'), ids.riverZgc).lastReportAt).toBe(clock.now().toISOString());
    expect(shareOf(await inspectorBoard(), ids.riverZgc)!.lastReportAt).toBe(clock.now().toISOString());
    const leader = await api.token('leader');
    const title = '河道综合整治提升工程';
    dataOf(
      await api.gql(
        UPDATE_TASK,
        { input: { id: ids.riverTask, version: await rowVersion('task', ids.riverTask), title } },
        leader,
      ),
    );
    expect(itemOf(await unitBoard('zgcOfficer'), ids.riverZgc).task.title).toBe(title);

    const admin = await api.token('admin');
    const zgc = api.fixture.units.zgc.id;
    await leaderBoard('leader');
    const rename = async (name: string) =>
      dataOf(
        await api.gql(
          UPDATE_UNIT,
          { input: { id: zgc, version: await rowVersion('org_unit', zgc), name } },
          admin,
        ),
      );
    await rename('中关村街道办事处');
    expect((await unitBoard('zgcOfficer')).orgUnit.name).toBe('中关村街道办事处');
    const names = async () =>
      (await leaderBoard('leader')).units.edges.map((e) => e.node.orgUnit.name).sort();
    expect(await names()).toContain('中关村街道办事处');
    await rename('中关村街道');
    expect((await unitBoard('zgcOfficer')).orgUnit.name).toBe('中关村街道');
    expect(await names()).toContain('中关村街道');
  });

  it('moves lastReportAt when a report is resubmitted within its period', async () => {
    const officer = await api.token('zgcOfficer');
    await unitBoard('zgcOfficer');
    await inspectorBoard();
    // It replaces the period's report (an UPDATE): the same percent, a later time.
    clock.advance(3600_000);
    dataOf(
      await api.gql(
        SUBMIT,
        {
          input: {
            assignmentId: ids.riverZgc,
            version: await version(ids.riverZgc),
            period: '2026-03',
            percent: 20,
            text: '已完成清淤方案，补充施工计划',
            evidenceIds: [],
          },
        },
        officer,
      ),
    );
    expect(itemOf(await unitBoard('zgcOfficer'), ids.riverZgc).lastReportAt).toBe(clock.now().toISOString());
    expect(shareOf(await inspectorBoard(), ids.riverZgc)!.lastReportAt).toBe(clock.now().toISOString());
  });

  it('moves levelReached when a level fires and when the ladder restarts', async () => {
    const before = shareOf(await inspectorBoard(), ids.riverZgc)!;
    expect(before.levelReached).toBeNull();
    await inspectorBoard();
    const fired = dataOf(
      await api.gql(
        ESCALATE_NOW,
        { id: ids.riverZgc, reason: '领导批示提前催办' },
        await api.token('inspector'),
      ),
    ).escalateNow;
    expect(fired.outcome).toBe('FIRED');
    expect(shareOf(await inspectorBoard(), ids.riverZgc)!.levelReached).toBe(fired.action);
    expect(itemOf(await unitBoard('zgcOfficer'), ids.riverZgc).levelReached).toBe(fired.action);

    // A new cycle, as a moved deadline or a policy's new version starts one: nothing of it has fired yet.
    await api.dataSource.query(`UPDATE escalation_state SET cycle = cycle + 1 WHERE assignment_id = $1`, [
      ids.riverZgc,
    ]);
    expect(shareOf(await inspectorBoard(), ids.riverZgc)!.levelReached).toBeNull();
    expect(itemOf(await unitBoard('zgcOfficer'), ids.riverZgc).levelReached).toBeNull();
  });

  it('moves the light when a share’s due kind is corrected in the database', async () => {
    // Due Tuesday noon: yellow; an ongoing duty (长期坚持) is never yellow.
    const light = async () => itemOf(await unitBoard('zgcOfficer'), ids.riverZgc).light;
    expect(await light()).toBe('YELLOW');
    const setKind = (kind: string) =>
      api.dataSource.query(`UPDATE assignment SET due_kind = $2 WHERE id = $1`, [ids.riverZgc, kind]);
    await setKind('ONGOING');
    expect(await light()).toBe('GREEN');
    await setKind('DATE');
    expect(await light()).toBe('YELLOW');
  });

  it('shows a department the share it split off at once', async () => {
    const names = async () =>
      (await leaderBoard('swjOfficer')).units.edges.map((e) => e.node.orgUnit.name).sort();
    expect(await names()).toEqual(['区水务局']);
    // Kept, and checked against the units it last split work to: one statement, the revision sum.
    const again = await measured(names);
    expect(again).toMatchObject({ result: ['区水务局'], executed: 0, statements: 1 });
    await taskOps(api).split(await api.token('swjOfficer'), ids.parkingSwj, [
      { orgUnitId: api.fixture.units.xyl.id, dueAt: '2026-12-31T15:59:59.999Z' },
    ]);
    expect(await names()).toEqual(['区水务局', '学院路街道'].sort());
    expect(await names()).toEqual(['区水务局', '学院路街道'].sort());
  });

  it('finds a task by its new description at once', async () => {
    const search = async () =>
      (await unitBoard('zgcOfficer', { filter: { search: '水库' } })).items.edges.map((e) => e.node.id);
    expect(await search()).toEqual([ids.riverZgc]);
    expect(await search()).toEqual([ids.riverZgc]);
    dataOf(
      await api.gql(
        UPDATE_TASK,
        {
          input: {
            id: ids.riverTask,
            version: await rowVersion('task', ids.riverTask),
            description: '河道清淤',
          },
        },
        await api.token('leader'),
      ),
    );
    expect(await search()).toEqual([]);
  });

  it('moves the light and the days overdue with the clock alone', async () => {
    clock.set(new Date('2026-03-03T03:00:00Z')); // Tuesday 11:00, an hour before the river share is due
    // One after the other: two readers recomputing the same stale rows at once move each other's version.
    const due = async () => [
      itemOf(await unitBoard('zgcOfficer'), ids.riverZgc),
      shareOf(await inspectorBoard(), ids.riverZgc)!,
    ];
    for (const share of await due()) expect(share).toMatchObject({ light: 'YELLOW', daysOverdue: 0 });
    expect((await measured(due)).executed).toBe(0);
    clock.set(new Date('2026-03-03T05:00:00Z')); // 13:00: overdue, still the same day
    for (const share of await due()) expect(share).toMatchObject({ light: 'RED', daysOverdue: 0 });
    clock.set(new Date('2026-03-03T15:59:00Z'));
    expect((await measured(due)).executed).toBe(0);
    clock.set(new Date('2026-03-03T16:01:00Z')); // Wednesday 00:01
    for (const share of await due()) expect(share).toMatchObject({ light: 'RED', daysOverdue: 1 });
  });

  it('executes every time a query that asks for anything not covered, or asks besides a board', async () => {
    const token = await api.token('zgcOfficer');
    for (const ask of [
      () => api.gql(UNIT_NEXT_ESCALATION, {}, token),
      () => api.gql(UNIT_TASK_STATUS, {}, token),
      () => api.gql(MIXED, {}, token),
    ]) {
      const first = await measured(async () => outcomeOf(await ask()));
      const second = await measured(async () => outcomeOf(await ask()));
      expect([first.result, second.result]).toEqual(['ok', 'ok']);
      expect(second.executed).toBeGreaterThan(0);
      expect(second.statements).toBeGreaterThanOrEqual(first.statements);
    }
  });

  it('never answers a mutation, nor a query with a field besides the boards, from kept responses', async () => {
    const responses = api.app.get(BoardResponses);
    const answers = jest.spyOn(responses, 'answers');
    const lookup = jest.spyOn(responses, 'lookup');
    dataOf(await api.gql(MIXED, {}, await api.token('hdOfficer')));
    const leader = await api.token('leader');
    const update = async (title: string) =>
      dataOf(
        await api.gql(
          UPDATE_TASK,
          {
            input: {
              id: ids.parkingTask,
              version: await rowVersion('task', ids.parkingTask),
              title,
            },
          },
          leader,
        ),
      ).updateTask.version;
    const versions = [await update('智慧停车'), await update('智慧停车设施')];
    expect(versions[1]).toBe(versions[0] + 1);
    expect(answers.mock.results.map((r) => r.value as boolean)).toEqual([false, false, false]);
    expect(lookup).not.toHaveBeenCalled();
  });

  it('answers a board asked beside __typename', async () => {
    const token = await api.token('zgcOfficer');
    for (let i = 0; i < 2; i++) {
      const board = dataOf(await api.gql(TYPENAME, {}, token));
      expect(board.__typename).toBe('Query');
      expect(board.unitBoard.columns.length).toBeGreaterThan(0);
    }
  });

  it('refuses a bad id as the usual way does', async () => {
    const token = await api.token('zgcOfficer');
    for (const variables of [{ orgUnitId: 'not-a-uuid' }, { filter: { planId: 'not-a-uuid' } }]) {
      const usual = outcomeOf(await api.gql(UNIT_UNCOVERED, variables, token));
      expect(usual).toBe('BAD_USER_INPUT');
      expect(outcomeOf(await api.gql(UNIT, variables, token))).toBe(usual);
    }
  });

  it('never keeps nor serves an error: another unit’s board, a disabled or signed-out user, a temporary password', async () => {
    const hd = { orgUnitId: api.fixture.units.hd.id };
    // 海淀's own answer to these very variables is kept; 中关村 is still refused.
    await unitBoard('hdOfficer', hd);
    await unitBoard('hdOfficer', hd);
    const zgcOfficer = await api.token('zgcOfficer');
    for (let i = 0; i < 2; i++) expect(outcomeOf(await api.gql(UNIT, hd, zgcOfficer))).toBe('FORBIDDEN');

    // Each kept for the caller's role and unit before the caller loses the right to it.
    const qhOfficer = await api.token('qhOfficer');
    await unitBoard('qhOfficer');
    expect((await measured(() => unitBoard('qhOfficer'))).executed).toBe(0);
    dataOf(await api.gql(DISABLE, { id: api.fixture.users.qhOfficer.id }, await api.token('admin')));
    expect(outcomeOf(await api.gql(UNIT, {}, qhOfficer))).toBe('UNAUTHENTICATED');

    const zgcHead = await api.token('zgcHead');
    await unitBoard('zgcHead');
    expect((await measured(() => unitBoard('zgcHead'))).executed).toBe(0);
    dataOf(await api.gql(SIGN_OUT_EVERYWHERE, {}, zgcHead));
    expect(outcomeOf(await api.gql(UNIT, {}, zgcHead))).toBe('UNAUTHENTICATED');

    await unitBoard('zgcOfficer');
    expect((await measured(() => unitBoard('zgcOfficer'))).executed).toBe(0);
    await api.dataSource.query(`UPDATE app_user SET must_change_password = true WHERE id = $1`, [
      api.fixture.users.zgcOfficer.id,
    ]);
    // Written behind the api's back, as another process would: the api hears of it through NOTIFY, in moments.
    const soon = { timeoutMs: 2000, intervalMs: 10 };
    await waitFor(
      'the kept board refused',
      () => api.gql(UNIT, {}, zgcOfficer),
      (r) => !!r.errors,
      soon,
    );
    expect(outcomeOf(await api.gql(UNIT, {}, zgcOfficer))).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(outcomeOf(await api.gql(INSPECTOR, { filter: {} }, zgcOfficer))).toBe('PASSWORD_CHANGE_REQUIRED');
  });
});
