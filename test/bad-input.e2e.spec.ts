import { randomUUID } from 'node:crypto';
import { startTestApi, type GqlResult, type TestApi } from './support/test-api';

const NUL = 'a\u0000b';
const LONE_SURROGATE = 'x\ud800y';

const LOGIN = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';
const CREATE_TASK = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';
const UNIT_BOARD = 'query($f: UnitBoardFilter) { unitBoard(filter: $f) { columns { status count } } }';
const INSPECTOR_BOARD = 'query($f: InspectorBoardFilter) { inspectorBoard(filter: $f) { totalCount } }';
const TASKS = 'query($f: TaskFilter) { tasks(filter: $f) { totalCount } }';
const SUSPEND = 'mutation($input: AssignmentReasonInput!) { suspendAssignment(input: $input) { id } }';
const SKIP = 'mutation($id: ID!, $r: String!) { skipEscalationLevel(assignmentId: $id, reason: $r) { id } }';
const SET_DAY = 'mutation($input: SetWorkCalendarDayInput!) { setWorkCalendarDay(input: $input) { year } }';

/** The caller's mistakes: each is BAD_USER_INPUT naming the field, never an internal error. */
describe('bad input is the caller’s mistake', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(() => api.close());

  const refused = (result: GqlResult<unknown>, field: string) => {
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  };

  it.each([
    ['a NUL byte', NUL],
    ['a lone surrogate', LONE_SURROGATE],
  ])('refuses %s in the login username, unauthenticated', async (_name, username) => {
    refused(await api.gql(LOGIN, { u: username, p: 'x' }), 'username');
    refused(await api.gql(LOGIN, { u: 'leader', p: username }), 'password');
  });

  it.each([
    ['a NUL byte', NUL],
    ['a lone surrogate', LONE_SURROGATE],
  ])('refuses %s in a task title, board searches and reasons', async (_name, text) => {
    const leader = await api.token('leader');
    const inspector = await api.token('inspector');
    refused(
      await api.gql(CREATE_TASK, { input: { planId: api.fixture.plan.id, title: text } }, leader),
      'title',
    );
    refused(await api.gql(UNIT_BOARD, { f: { search: text } }, leader), 'filter.search');
    refused(await api.gql(INSPECTOR_BOARD, { f: { search: text } }, inspector), 'filter.search');
    refused(
      await api.gql(SUSPEND, { input: { assignmentId: randomUUID(), version: 1, reason: text } }, leader),
      'reason',
    );
    refused(await api.gql(SKIP, { id: randomUUID(), r: text }, inspector), 'reason');
  });

  it('refuses garbage and impossible dates in date filters, as variables and as literals', async () => {
    const leader = await api.token('leader');
    refused(await api.gql(UNIT_BOARD, { f: { dueFrom: 'now' } }, leader), 'dueFrom');
    refused(await api.gql(UNIT_BOARD, { f: { dueTo: '2026-02-30' } }, leader), 'dueTo');
    refused(await api.gql(TASKS, { f: { dueFrom: '2026-02-30' } }, leader), 'dueFrom');
    refused(await api.gql(TASKS, { f: { dueTo: '2027-02-30T25:61:00' } }, leader), 'dueTo');
    refused(
      await api.gql('{ unitBoard(filter: { dueFrom: "now" }) { columns { count } } }', {}, leader),
      'dueFrom',
    );
    refused(await api.gql('{ tasks(filter: { dueTo: "2026-02-30" }) { totalCount } }', {}, leader), 'dueTo');
    // A real date still works, in either form.
    expect(
      (await api.gql(TASKS, { f: { dueFrom: '2026-02-28', dueTo: '2026-12-31T15:59:59Z' } }, leader)).errors,
    ).toBeUndefined();
  });

  it('takes an explicit null for an optional argument as the argument left out', async () => {
    const leader = await api.token('leader');
    const omitted = await api.gql<{ tasks: { totalCount: number } }>('{ tasks { totalCount } }', {}, leader);
    const nulls = await api.gql<{ tasks: { totalCount: number } }>(
      '{ tasks(filter: null, orderBy: null) { totalCount } }',
      {},
      leader,
    );
    expect(nulls.errors).toBeUndefined();
    expect(nulls.data).toEqual(omitted.data);
    const asVariables = await api.gql<{ tasks: { totalCount: number } }>(
      'query($f: TaskFilter, $o: TaskOrder) { tasks(filter: $f, orderBy: $o) { totalCount } }',
      { f: null, o: null },
      leader,
    );
    expect(asVariables.data).toEqual(omitted.data);
  });

  it('refuses an id that is not a UUID where the column is one', async () => {
    const admin = await api.token('admin');
    refused(await api.gql('{ unitKeywords(orgUnitId: "abc") { totalCount } }', {}, admin), 'orgUnitId');
    expect((await api.gql('{ unitKeywords { totalCount } }', {}, admin)).errors).toBeUndefined();
  });

  it('refuses years and days the work calendar cannot have', async () => {
    const admin = await api.token('admin');
    for (const year of [1, 99999, -5]) {
      refused(
        await api.gql('query($y: Int!) { workCalendar(year: $y) { year } }', { y: year }, admin),
        'year',
      );
    }
    expect((await api.gql('{ workCalendar(year: 2026) { year } }', {}, admin)).errors).toBeUndefined();
    refused(
      await api.gql(SET_DAY, { input: { day: '2026-02-30', kind: 'HOLIDAY', source: '测试' } }, admin),
      'day',
    );
  });
});
