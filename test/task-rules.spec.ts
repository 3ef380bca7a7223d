import {
  ASSIGN_TASK,
  countRows,
  CREATE_TASK,
  dataOf,
  outcomeOf,
  SPLIT_ASSIGNMENT,
  taskOps,
  UNASSIGN,
  UPDATE_TASK,
} from './support/ops';
import { startTestApi, type GqlResult, type TestApi } from './support/test-api';
import { waitFor } from './support/worker-services';
import { graphql } from './gql';
import type {
  CreateTaskInput,
  MilestoneInput,
  TaskRulesOrderedQuery,
  TaskRulesPageQuery,
  UnitDueInput,
} from './gql/graphql';

/**
 * The rules a task and its assignments keep: typed input errors that name the field, NOT_FOUND and
 * CONFLICT where they belong, all-or-nothing mutations, safe concurrent writers, an append-only audit
 * log, sign-in, and keyset pagination.
 */

const TASK_DUE = '2026-06-30T15:59:59.000Z';
const AFTER_TASK_DUE = '2026-07-01T00:00:00.000Z';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

let api: TestApi;
let leader: string;

const ops = () => taskOps(api);
const unit = (key: keyof TestApi['fixture']['units']) => api.fixture.units[key].id;

/** The first error's extensions, or 'ok'; on a mismatch Jest prints the whole object. */
function failureOf(result: GqlResult<unknown>): Record<string, unknown> | 'ok' {
  return result.errors?.length ? result.errors[0].extensions : 'ok';
}

function expectFailure(result: GqlResult<unknown>, code: string, field?: string): void {
  expect(failureOf(result)).toEqual(expect.objectContaining({ code, ...(field !== undefined && { field }) }));
}

/** A task in the fixture plan due TASK_DUE, optionally assigned (fgw leads) and split (fgw → zgc). */
async function newTask(options: { assign?: boolean; split?: boolean; milestones?: MilestoneInput[] } = {}) {
  const task = await ops().createTask(leader, {
    planId: api.fixture.plan.id,
    title: '规则测试任务',
    dueAt: TASK_DUE,
    ...(options.milestones && { milestones: options.milestones }),
  });
  if (!options.assign && !options.split) return { task, lead: null, child: null };
  const [lead] = await ops().assignTask(leader, task.id, [{ orgUnitId: unit('fgw') }]);
  if (!options.split) return { task, lead, child: null };
  const [child] = await ops().split(await api.token('fgwOfficer'), lead.id, [{ orgUnitId: unit('zgc') }]);
  return { task, lead, child };
}

const TASK_COUNT = graphql(`
  query TaskRulesTaskCount($first: Int) {
    tasks(first: $first) {
      totalCount
    }
  }
`);
const TASK_BY_ID = graphql(`
  query TaskRulesTaskById($id: ID!) {
    task(id: $id) {
      id
    }
  }
`);
const ASSIGNMENT_BY_ID = graphql(`
  query TaskRulesAssignmentById($id: ID!) {
    assignment(id: $id) {
      id
    }
  }
`);
const PLAN_BY_ID = graphql(`
  query TaskRulesPlanById($id: ID!) {
    plan(id: $id) {
      id
    }
  }
`);
const AUDIT_TRAIL = graphql(`
  query TaskRulesAuditTrail($id: ID!) {
    auditTrail(entityId: $id) {
      id
    }
  }
`);

async function currentVersion(taskId: string): Promise<number> {
  const [row] = await api.dataSource.query<{ version: number }[]>('SELECT version FROM task WHERE id = $1', [
    taskId,
  ]);
  return row.version;
}

const createTask = (input: Partial<CreateTaskInput>) =>
  api.gql(
    CREATE_TASK,
    { input: { planId: api.fixture.plan.id, title: '任务', dueAt: TASK_DUE, ...input } },
    leader,
  );

/** createTask with a value the schema's types refuse, so it goes untyped. */
const createTaskUntyped = (input: Record<string, unknown>) =>
  api.gql(
    String(CREATE_TASK),
    { input: { planId: api.fixture.plan.id, title: '任务', dueAt: TASK_DUE, ...input } },
    leader,
  );

const assign = (taskId: string, leadUnits: UnitDueInput[], supportUnits: UnitDueInput[] = []) =>
  api.gql(ASSIGN_TASK, { input: { taskId, leadUnits, supportUnits } }, leader);

const split = async (assignmentId: string, parts: UnitDueInput[], user = 'fgwOfficer') =>
  api.gql(SPLIT_ASSIGNMENT, { input: { assignmentId, parts } }, await api.token(user));

beforeAll(async () => {
  api = await startTestApi();
  leader = await api.token('leader');
});

afterAll(() => api.close());

describe('input validation: BAD_USER_INPUT naming the field', () => {
  const cases: { name: string; field: string; run: () => Promise<GqlResult<unknown>> }[] = [
    { name: 'createTask with an empty title', field: 'title', run: () => createTask({ title: '' }) },
    {
      name: 'createTask with a 201-character title',
      field: 'title',
      run: () => createTask({ title: '长'.repeat(201) }),
    },
    {
      name: 'updateTask with an empty title',
      field: 'title',
      run: async () => {
        const { task } = await newTask();
        return api.gql(UPDATE_TASK, { input: { id: task.id, version: task.version, title: '' } }, leader);
      },
    },
    {
      name: 'createTask with a milestone after the task deadline',
      field: 'milestones.1.dueAt',
      run: () =>
        createTask({
          milestones: [
            { title: '方案', dueAt: '2026-03-31T15:59:59.000Z' },
            { title: '验收', dueAt: AFTER_TASK_DUE },
          ],
        }),
    },
    {
      name: 'updateTask moving the deadline before an existing milestone',
      field: 'dueAt',
      run: async () => {
        const { task } = await newTask({
          milestones: [{ title: '验收', dueAt: '2026-06-15T15:59:59.000Z' }],
        });
        const input = { id: task.id, version: task.version, dueAt: '2026-05-31T15:59:59.000Z' };
        return api.gql(UPDATE_TASK, { input }, leader);
      },
    },
    {
      name: 'updateTask moving the deadline before an assignment deadline',
      field: 'dueAt',
      run: async () => {
        const { task } = await newTask({ assign: true });
        const version = await currentVersion(task.id);
        const input = { id: task.id, version, dueAt: '2026-05-31T15:59:59.000Z' };
        return api.gql(UPDATE_TASK, { input }, leader);
      },
    },
    {
      name: 'assignTask with a lead unit due after the task',
      field: 'leadUnits.0.dueAt',
      run: async () => assign((await newTask()).task.id, [{ orgUnitId: unit('fgw'), dueAt: AFTER_TASK_DUE }]),
    },
    {
      name: 'assignTask with a support unit due after the task',
      field: 'supportUnits.1.dueAt',
      run: async () =>
        assign(
          (await newTask()).task.id,
          [{ orgUnitId: unit('fgw') }],
          [{ orgUnitId: unit('swj') }, { orgUnitId: unit('jw'), dueAt: AFTER_TASK_DUE }],
        ),
    },
    {
      name: 'splitAssignment with a part due after the department share',
      field: 'parts.0.dueAt',
      run: async () => {
        const { lead } = await newTask({ assign: true });
        return split(lead!.id, [{ orgUnitId: unit('zgc'), dueAt: AFTER_TASK_DUE }]);
      },
    },
    {
      name: 'assignTask to the district government',
      field: 'leadUnits.0.orgUnitId',
      run: async () => assign((await newTask()).task.id, [{ orgUnitId: unit('gov') }]),
    },
    {
      name: 'assignTask to the inspectorate',
      field: 'supportUnits.0.orgUnitId',
      run: async () =>
        assign(
          (await newTask()).task.id,
          [{ orgUnitId: unit('fgw') }],
          [{ orgUnitId: unit('inspectorate') }],
        ),
    },
    {
      name: 'assignTask to a unit that does not exist',
      field: 'leadUnits.0.orgUnitId',
      run: async () => assign((await newTask()).task.id, [{ orgUnitId: UNKNOWN_ID }]),
    },
    {
      name: 'splitAssignment to a department (parts must be subdistricts or towns)',
      field: 'parts.0.orgUnitId',
      run: async () => split((await newTask({ assign: true })).lead!.id, [{ orgUnitId: unit('jw') }]),
    },
    {
      name: 'splitAssignment to the district government',
      field: 'parts.1.orgUnitId',
      run: async () =>
        split((await newTask({ assign: true })).lead!.id, [
          { orgUnitId: unit('zgc') },
          { orgUnitId: unit('gov') },
        ]),
    },
    {
      name: 'splitAssignment of a share that was itself split off',
      field: 'assignmentId',
      run: async () =>
        split((await newTask({ split: true })).child!.id, [{ orgUnitId: unit('sz') }], 'leader'),
    },
    {
      name: 'assignTask naming one unit twice',
      field: 'supportUnits.0.orgUnitId',
      run: async () =>
        assign((await newTask()).task.id, [{ orgUnitId: unit('fgw') }], [{ orgUnitId: unit('fgw') }]),
    },
    {
      name: 'splitAssignment naming one subdistrict twice',
      field: 'parts.1.orgUnitId',
      run: async () =>
        split((await newTask({ assign: true })).lead!.id, [
          { orgUnitId: unit('zgc') },
          { orgUnitId: unit('zgc') },
        ]),
    },
    {
      name: 'assignTask with support units only, on a task without a lead',
      field: 'leadUnits',
      run: async () => assign((await newTask()).task.id, [], [{ orgUnitId: unit('swj') }]),
    },
    {
      name: 'assignTask naming no unit at all',
      field: 'leadUnits',
      run: async () => assign((await newTask()).task.id, []),
    },
    {
      name: 'assignTask with a task id that is not a UUID',
      field: 'taskId',
      run: () => assign('task-1', [{ orgUnitId: unit('fgw') }]),
    },
    {
      name: 'tasks(first: 0)',
      field: 'first',
      run: () => api.gql(TASK_COUNT, { first: 0 }, leader),
    },
    {
      name: 'tasks(first: 101)',
      field: 'first',
      run: () => api.gql(TASK_COUNT, { first: 101 }, leader),
    },
  ];

  it.each(cases)('$name → BAD_USER_INPUT, field $field', async ({ run, field }) => {
    expectFailure(await run(), 'BAD_USER_INPUT', field);
  });

  it('support units may join a task that already has a lead', async () => {
    const { task } = await newTask({ assign: true });
    expect(failureOf(await assign(task.id, [], [{ orgUnitId: unit('swj') }]))).toBe('ok');
  });

  describe('an enum value the schema does not know', () => {
    it('in variables → BAD_USER_INPUT', async () => {
      expect(outcomeOf(await createTaskUntyped({ priority: 'SUPER_URGENT' }))).toBe('BAD_USER_INPUT');
    });

    it('in variables → the error names the field, like every other BAD_USER_INPUT', async () => {
      expectFailure(await createTaskUntyped({ priority: 'SUPER_URGENT' }), 'BAD_USER_INPUT', 'priority');
    });

    it('inline in the document → GRAPHQL_VALIDATION_FAILED, a client error rather than a 500', async () => {
      const result = await api.gql(
        `mutation { createTask(input: { planId: "${api.fixture.plan.id}", title: "x", priority: SUPER_URGENT }) { id } }`,
        {},
        leader,
      );
      expect(outcomeOf(result)).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });
});

describe('NOT_FOUND for ids that name nothing', () => {
  const cases: { name: string; run: () => Promise<GqlResult<unknown>> }[] = [
    {
      name: 'task',
      run: () => api.gql(TASK_BY_ID, { id: UNKNOWN_ID }, leader),
    },
    {
      name: 'assignment',
      run: () => api.gql(ASSIGNMENT_BY_ID, { id: UNKNOWN_ID }, leader),
    },
    {
      name: 'updateTask',
      run: () => api.gql(UPDATE_TASK, { input: { id: UNKNOWN_ID, version: 1, title: '新' } }, leader),
    },
    { name: 'assignTask', run: () => assign(UNKNOWN_ID, [{ orgUnitId: unit('fgw') }]) },
    { name: 'splitAssignment', run: () => split(UNKNOWN_ID, [{ orgUnitId: unit('zgc') }]) },
    { name: 'unassign', run: () => api.gql(UNASSIGN, { id: UNKNOWN_ID }, leader) },
  ];

  it.each(cases)('$name(unknown id) → NOT_FOUND', async ({ run }) => {
    expectFailure(await run(), 'NOT_FOUND');
  });

  it.each([
    ['task', TASK_BY_ID],
    ['assignment', ASSIGNMENT_BY_ID],
    ['plan', PLAN_BY_ID],
    ['auditTrail', AUDIT_TRAIL],
    ['unassign', UNASSIGN],
  ])(
    '%s(an id that is not a UUID) → NOT_FOUND or BAD_USER_INPUT, not a server error',
    async (_name, query) => {
      expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(
        outcomeOf(await api.gql(String(query), { id: 'no-such-id' }, leader)),
      );
    },
  );
});

describe('CONFLICT', () => {
  it('assignTask for a unit that already holds the task', async () => {
    const { task } = await newTask({ assign: true });
    expectFailure(await assign(task.id, [], [{ orgUnitId: unit('fgw') }]), 'CONFLICT');
  });

  it('splitAssignment to a subdistrict that already holds the task through another department', async () => {
    const { task, lead } = await newTask({ split: true });
    const [swj] = await ops().assignTask(leader, task.id, [], [{ orgUnitId: unit('swj') }]);
    expect(lead).not.toBeNull();
    expectFailure(await split(swj.id, [{ orgUnitId: unit('zgc') }], 'swjOfficer'), 'CONFLICT');
  });

  it('updateTask with a stale version', async () => {
    const { task } = await newTask();
    dataOf(
      await api.gql(UPDATE_TASK, { input: { id: task.id, version: task.version, title: '第一次' } }, leader),
    );
    const stale = await api.gql(
      UPDATE_TASK,
      { input: { id: task.id, version: task.version, title: '第二次' } },
      leader,
    );
    expectFailure(stale, 'CONFLICT');
    const current = dataOf(
      await api.gql(
        graphql(`
          query TaskRulesTitleAndVersion($id: ID!) {
            task(id: $id) {
              title
              version
            }
          }
        `),
        { id: task.id },
        leader,
      ),
    );
    expect(current.task).toEqual({ title: '第一次', version: task.version + 1 });
  });
});

describe('a failing mutation leaves nothing behind', () => {
  async function footprint(taskId: string) {
    return {
      assignments: await countRows(api, 'assignment', 'task_id = $1', [taskId]),
      auditEvents: await countRows(api, 'audit_event', 'task_id = $1', [taskId]),
      status: (
        await api.dataSource.query<{ status: string }[]>('SELECT status FROM task WHERE id = $1', [taskId])
      )[0].status,
    };
  }

  it('assignTask whose third unit is of the wrong kind', async () => {
    const { task } = await newTask();
    const before = await footprint(task.id);
    const result = await assign(
      task.id,
      [{ orgUnitId: unit('fgw') }],
      [{ orgUnitId: unit('swj') }, { orgUnitId: unit('gov') }],
    );
    expectFailure(result, 'BAD_USER_INPUT', 'supportUnits.1.orgUnitId');
    expect(await footprint(task.id)).toEqual(before);
  });

  it('assignTask whose third unit fails only after the first two were written', async () => {
    const { task } = await newTask();
    const before = await footprint(task.id);
    expect(before).toEqual({ assignments: 0, auditEvents: 1, status: 'UNASSIGNED' });
    const result = await assign(
      task.id,
      [{ orgUnitId: unit('fgw') }],
      [{ orgUnitId: unit('swj') }, { orgUnitId: unit('jw'), dueAt: AFTER_TASK_DUE }],
    );
    expectFailure(result, 'BAD_USER_INPUT', 'supportUnits.1.dueAt');
    expect(await footprint(task.id)).toEqual(before);
  });

  it('createTask whose milestone fails after the task row was written', async () => {
    const title = `原子性-${Date.now()}`;
    const audits = await countRows(api, 'audit_event');
    const result = await createTask({ title, milestones: [{ title: '晚了', dueAt: AFTER_TASK_DUE }] });
    expectFailure(result, 'BAD_USER_INPUT', 'milestones.0.dueAt');
    expect(await countRows(api, 'task', 'title = $1', [title])).toBe(0);
    expect(await countRows(api, 'audit_event')).toBe(audits);
  });

  it('splitAssignment whose second part is invalid', async () => {
    const { task, lead } = await newTask({ assign: true });
    const before = await footprint(task.id);
    const result = await split(lead!.id, [
      { orgUnitId: unit('zgc') },
      { orgUnitId: unit('xyl'), dueAt: AFTER_TASK_DUE },
    ]);
    expectFailure(result, 'BAD_USER_INPUT', 'parts.1.dueAt');
    expect(await footprint(task.id)).toEqual(before);
  });
});

describe('concurrent writers', () => {
  const ROUNDS = 5;

  it(`two updateTask calls with the same version: exactly one wins, the other gets CONFLICT (×${ROUNDS})`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { task } = await newTask();
      const results = await Promise.all(
        ['甲', '乙'].map((title) =>
          api.gql(UPDATE_TASK, { input: { id: task.id, version: task.version, title } }, leader),
        ),
      );
      expect(results.map(outcomeOf).sort()).toEqual(['CONFLICT', 'ok']);
      const winner = results.find((r) => outcomeOf(r) === 'ok')!.data!.updateTask;
      const [row] = await api.dataSource.query<{ title: string; version: number }[]>(
        'SELECT title, version FROM task WHERE id = $1',
        [task.id],
      );
      expect(row).toEqual({ title: winner.title, version: task.version + 1 });
      expect(await countRows(api, 'audit_event', `task_id = $1 AND action = 'task.update'`, [task.id])).toBe(
        1,
      );
    }
  });

  it(`two assignTask calls for the same unit: exactly one wins, the other gets CONFLICT (×${ROUNDS})`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { task } = await newTask();
      const results = await Promise.all([0, 1].map(() => assign(task.id, [{ orgUnitId: unit('fgw') }])));
      expect(results.map(outcomeOf).sort()).toEqual(['CONFLICT', 'ok']);
      expect(await countRows(api, 'assignment', 'task_id = $1', [task.id])).toBe(1);
      const where = `task_id = $1 AND action = 'assignment.assign'`;
      expect(await countRows(api, 'audit_event', where, [task.id])).toBe(1);
    }
  });

  it(`two departments splitting to the same subdistrict at once: exactly one wins (×${ROUNDS})`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { task } = await newTask();
      const [fgw, swj] = await ops().assignTask(
        leader,
        task.id,
        [{ orgUnitId: unit('fgw') }],
        [{ orgUnitId: unit('swj') }],
      );
      const results = await Promise.all([
        split(fgw.id, [{ orgUnitId: unit('hd') }], 'fgwOfficer'),
        split(swj.id, [{ orgUnitId: unit('hd') }], 'swjOfficer'),
      ]);
      expect(results.map(outcomeOf).sort()).toEqual(['CONFLICT', 'ok']);
      expect(
        await countRows(api, 'assignment', 'task_id = $1 AND org_unit_id = $2', [task.id, unit('hd')]),
      ).toBe(1);
    }
  });
});

describe('the audit log is append-only', () => {
  it.each([
    ['UPDATE', `UPDATE audit_event SET actor_name = '篡改' WHERE id = (SELECT min(id) FROM audit_event)`],
    ['DELETE', 'DELETE FROM audit_event WHERE id = (SELECT min(id) FROM audit_event)'],
    ['TRUNCATE', 'TRUNCATE audit_event'],
  ])('%s is refused by the database', async (_verb, sql) => {
    await newTask();
    const before = await countRows(api, 'audit_event');
    expect(before).toBeGreaterThan(0);
    await expect(api.dataSource.query(sql)).rejects.toThrow(/append-only/);
    expect(await countRows(api, 'audit_event')).toBe(before);
    expect(await countRows(api, 'audit_event', `actor_name = '篡改'`)).toBe(0);
  });
});

describe('sign-in', () => {
  const LOGIN = graphql(`
    mutation TaskRulesLogin($u: String!, $p: String!) {
      login(username: $u, password: $p) {
        token
        user {
          id
        }
      }
    }
  `);
  const VIEWER = graphql(`
    query TaskRulesViewer {
      viewer {
        id
      }
    }
  `);

  it('a wrong password → UNAUTHENTICATED', async () => {
    expectFailure(await api.gql(LOGIN, { u: 'leader', p: 'wrong-password' }), 'UNAUTHENTICATED');
  });

  it('an unknown username → UNAUTHENTICATED, the same answer as a wrong password', async () => {
    expectFailure(await api.gql(LOGIN, { u: 'nobody', p: 'Test@2026' }), 'UNAUTHENTICATED');
  });

  it('an empty password → BAD_USER_INPUT, field password', async () => {
    expectFailure(await api.gql(LOGIN, { u: 'leader', p: '' }), 'BAD_USER_INPUT', 'password');
  });

  it('a deactivated user: the token it already holds stops working, and it cannot sign in again', async () => {
    const token = await api.token('qhOfficer');
    expect(outcomeOf(await api.gql(VIEWER, {}, token))).toBe('ok');
    // Written behind the api's back, as another process would: the api hears of it through NOTIFY, in moments.
    await api.dataSource.query('UPDATE app_user SET active = false WHERE username = $1', ['qhOfficer']);
    const soon = { timeoutMs: 2000, intervalMs: 10 };
    await waitFor(
      'the token refused',
      () => api.gql(VIEWER, {}, token),
      (r) => !!r.errors,
      soon,
    );
    expectFailure(await api.gql(VIEWER, {}, token), 'UNAUTHENTICATED');
    expectFailure(await api.gql(LOGIN, { u: 'qhOfficer', p: 'Test@2026' }), 'UNAUTHENTICATED');
  });
});

describe('keyset pagination over tasks', () => {
  graphql(`
    fragment TaskRulesPage on TaskConnection {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        cursor
        node {
          id
          dueAt
        }
      }
    }
  `);
  const PAGE = graphql(`
    query TaskRulesPage($first: Int, $after: String, $planId: ID) {
      tasks(first: $first, after: $after, filter: { planId: $planId }) {
        ...TaskRulesPage
      }
    }
  `);

  let planId: string;
  let expected: { id: string; dueAt: string }[];

  beforeAll(async () => {
    planId = await ops().createPlan(leader, '分页测试');
    // Seven tasks, four of them sharing one deadline: the id must break the tie without skipping any.
    const dues = [
      '2026-03-01',
      '2026-02-01',
      '2026-04-01',
      '2026-04-01',
      '2026-04-01',
      '2026-04-01',
      '2026-01-01',
    ];
    expected = [];
    for (const [i, day] of dues.entries()) {
      const task = await ops().createTask(leader, {
        planId,
        title: `分页 ${i}`,
        dueAt: `${day}T00:00:00.000Z`,
      });
      expected.push({ id: task.id, dueAt: task.dueAt });
    }
    expected.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
  });

  it('first: 2, then after: endCursor, walks every task once, in (dueAt, id) order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 1; pages <= 10; pages++) {
      const page: TaskRulesPageQuery = dataOf(await api.gql(PAGE, { first: 2, after, planId }, leader));
      expect(page.tasks.totalCount).toBe(expected.length);
      seen.push(...page.tasks.edges.map((e) => e.node.id));
      expect(page.tasks.pageInfo.endCursor).toBe(page.tasks.edges.at(-1)?.cursor ?? null);
      if (!page.tasks.pageInfo.hasNextPage) {
        expect(pages).toBe(Math.ceil(expected.length / 2));
        break;
      }
      after = page.tasks.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected.map((t) => t.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('walks the plan latest deadline first, and finds a task by its code or a word of its title', async () => {
    const ORDERED = graphql(`
      query TaskRulesOrdered($planId: ID, $search: String, $after: String) {
        tasks(first: 3, after: $after, orderBy: DUE_AT_DESC, filter: { planId: $planId, search: $search }) {
          ...TaskRulesPage
        }
      }
    `);
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 1; pages <= 5; pages++) {
      const page: TaskRulesOrderedQuery = dataOf(await api.gql(ORDERED, { planId, after }, leader));
      seen.push(...page.tasks.edges.map((e) => e.node.id));
      if (!page.tasks.pageInfo.hasNextPage) break;
      after = page.tasks.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected.map((t) => t.id).reverse());
    const byCode = dataOf(await api.gql(ORDERED, { planId, search: '7' }, leader));
    expect(byCode.tasks.totalCount).toBe(1); // code 7 (titles run 分页 0–6)
    const byWord = dataOf(await api.gql(ORDERED, { planId, search: '分页' }, leader));
    expect(byWord.tasks.totalCount).toBe(expected.length);
  });

  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['not base64 JSON', 'this is not a cursor'],
    ['JSON null', encode(null)],
    ['a number as sort key', encode({ k: 1, id: UNKNOWN_ID })],
    ['a sort key that is not a date', encode({ k: 'not a date', id: UNKNOWN_ID })],
    ['an id that is not a UUID', encode({ k: '2026-01-01T00:00:00.000Z', id: 'task-1' })],
  ])('a malformed cursor (%s) → BAD_USER_INPUT, field after', async (_name, after) => {
    expectFailure(await api.gql(PAGE, { first: 2, after, planId }, leader), 'BAD_USER_INPUT', 'after');
  });
});
