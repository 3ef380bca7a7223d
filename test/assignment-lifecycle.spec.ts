import { graphql } from './gql';
import type { AssignmentLifecycleMovedFragment } from './gql/graphql';
import { countRows, dataOf, outcomeOf, taskOps } from './support/ops';
import { startTestApi, type GqlResult, type TestApi } from './support/test-api';

graphql(`
  fragment AssignmentLifecycleMoved on Assignment {
    id
    status
    version
    task {
      status
    }
  }
`);
const ACCEPT = graphql(`
  mutation AssignmentLifecycleAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      ...AssignmentLifecycleMoved
    }
  }
`);
const SUSPEND = graphql(`
  mutation AssignmentLifecycleSuspend($input: AssignmentReasonInput!) {
    suspendAssignment(input: $input) {
      ...AssignmentLifecycleMoved
    }
  }
`);
const RESUME = graphql(`
  mutation AssignmentLifecycleResume($input: AssignmentReasonInput!) {
    resumeAssignment(input: $input) {
      ...AssignmentLifecycleMoved
    }
  }
`);

type Moved = AssignmentLifecycleMovedFragment;

describe('assignment lifecycle (签收, 暂停, 恢复)', () => {
  let api: TestApi;
  let planId: string;

  beforeAll(async () => {
    api = await startTestApi();
    planId = api.fixture.plan.id;
  });

  afterAll(() => api.close());

  /** A task led by 区发展改革委, its share split to 中关村街道. */
  async function splitTask() {
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const task = await ops.createTask(leader, { planId, title: '生命周期测试任务' });
    const [share] = await ops.assignTask(leader, task.id, [{ orgUnitId: api.fixture.units.fgw.id }]);
    const [part] = await ops.split(await api.token('fgwOfficer'), share.id, [
      { orgUnitId: api.fixture.units.zgc.id },
    ]);
    return { task, share, part };
  }

  const moved = (result: GqlResult<Record<string, Moved>>): Moved => Object.values(dataOf(result))[0];

  it('lets the unit accept its own share once; the task is then in progress', async () => {
    const { part } = await splitTask();
    const zgc = await api.token('zgcOfficer');
    const accepted = moved(await api.gql(ACCEPT, { input: { assignmentId: part.id, version: 1 } }, zgc));
    expect(accepted).toMatchObject({ status: 'ACCEPTED', version: 2, task: { status: 'IN_PROGRESS' } });

    const again = await api.gql(ACCEPT, { input: { assignmentId: part.id, version: 2 } }, zgc);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentStatus: 'ACCEPTED' });
    expect(again.errors?.[0].message).toBe('分工当前状态为“已签收”，不能签收');

    const stale = await api.gql(ACCEPT, { input: { assignmentId: part.id, version: 1 } }, zgc);
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
  });

  it("refuses another unit's share, and refuses a leader accepting for a unit", async () => {
    const { part, share } = await splitTask();
    const other = await api.gql(
      ACCEPT,
      { input: { assignmentId: part.id, version: 1 } },
      await api.token('xylOfficer'),
    );
    expect(outcomeOf(other)).toBe('FORBIDDEN');
    // The department sees its part, but accepting it is the subdistrict's act.
    const dept = await api.gql(
      ACCEPT,
      { input: { assignmentId: part.id, version: 1 } },
      await api.token('fgwOfficer'),
    );
    expect(outcomeOf(dept)).toBe('FORBIDDEN');
    const leader = await api.gql(
      ACCEPT,
      { input: { assignmentId: share.id, version: 1 } },
      await api.token('leader'),
    );
    expect(outcomeOf(leader)).toBe('FORBIDDEN');
  });

  it('suspends with a reason and resumes to the status held before', async () => {
    const { share } = await splitTask();
    const leader = await api.token('leader');
    dataOf(
      await api.gql(ACCEPT, { input: { assignmentId: share.id, version: 1 } }, await api.token('fgwHead')),
    );
    const suspended = moved(
      await api.gql(
        SUSPEND,
        { input: { assignmentId: share.id, version: 2, reason: '规划调整，暂缓实施' } },
        leader,
      ),
    );
    expect(suspended).toMatchObject({ status: 'SUSPENDED', task: { status: 'SUSPENDED' } });
    const noReason = await api.gql(
      SUSPEND,
      { input: { assignmentId: share.id, version: 3, reason: '' } },
      leader,
    );
    expect(noReason.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const resumed = moved(
      await api.gql(RESUME, { input: { assignmentId: share.id, version: 3, reason: '恢复实施' } }, leader),
    );
    expect(resumed).toMatchObject({ status: 'ACCEPTED', task: { status: 'IN_PROGRESS' } });

    const events = await api.dataSource.query<{ type: string; payload: { from: string; to: string } }[]>(
      `SELECT type, payload FROM outbox_event WHERE aggregate_id = $1 ORDER BY id`,
      [share.id],
    );
    expect(events.map((e) => `${e.payload.from}→${e.payload.to}`)).toEqual([
      'ASSIGNED→ACCEPTED',
      'ACCEPTED→SUSPENDED',
      'SUSPENDED→ACCEPTED',
    ]);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['AssignmentStatusChanged']));
  });

  it('takes exactly one of 20 parallel acceptances, with no server errors and one audit record', async () => {
    const { part } = await splitTask();
    const zgc = await api.token('zgcOfficer');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.gql(ACCEPT, { input: { assignmentId: part.id, version: 1 } }, zgc),
      ),
    );
    const outcomes = results.map(outcomeOf);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'ok')).toEqual(Array(19).fill('CONFLICT'));
    expect(
      await countRows(api, 'audit_event', `entity_id = $1 AND action = 'assignment.accept'`, [part.id]),
    ).toBe(1);
    expect(await countRows(api, 'outbox_event', 'aggregate_id = $1', [part.id])).toBe(1);
  });
});
