import { FixedClock } from '@zhezi/core';
import { MIGRATIONS } from '@zhezi/migrations';
import { graphql } from './gql';
import { dataOf, taskOps, UNASSIGN, type AssignmentRef } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const ACCEPT = graphql(`
  mutation ProgressRollupAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const SUBMIT = graphql(`
  mutation ProgressRollupSubmitProgress($input: SubmitProgressInput!) {
    submitProgress(input: $input) {
      percent
      text
    }
  }
`);
const CLOSE_OUT = graphql(`
  mutation ProgressRollupRequestCloseOut($input: RequestCloseOutInput!) {
    requestCloseOut(input: $input) {
      id
    }
  }
`);
const DECIDE = graphql(`
  mutation ProgressRollupDecide($input: DecideApprovalInput!) {
    decideApproval(input: $input) {
      status
    }
  }
`);
const SHARE = graphql(`
  query ProgressRollupShare($id: ID!) {
    assignment(id: $id) {
      status
      version
      progressPercent
      light
      task {
        status
        progressPercent
      }
    }
  }
`);
const LEADER_BOARD = graphql(`
  query ProgressRollupLeaderBoard($planId: ID) {
    leaderBoard(planId: $planId) {
      units(kind: "DEPARTMENT", first: 20) {
        edges {
          node {
            orgUnitId
            yellow
            green
          }
        }
      }
    }
  }
`);

describe('progress rolls up from a department’s parts to its share and the task (e2e over HTTP)', () => {
  // Shares run from 2026-11-01 to 2026-12-31: on 2026-11-25 some 40 % of the time has gone.
  const clock = new FixedClock(new Date('2026-11-25T04:00:00Z'));
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ clock });
  });

  afterAll(() => api.close());

  const shareOf = async (id: string) =>
    dataOf(await api.gql(SHARE, { id }, await api.token('leader'))).assignment;

  /** A task led by 区发展改革委 alone, its share split to 中关村街道 and 学院路街道, both parts accepted. */
  async function splitTask(title: string) {
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const planId = await ops.createPlan(leader, title);
    const task = await ops.createTask(leader, {
      planId,
      title,
      responsibleLeaderId: api.fixture.users.leader.id,
      dueAt: '2026-12-31T15:59:59.000Z',
    });
    const [share] = await ops.assignTask(leader, task.id, [{ orgUnitId: api.fixture.units.fgw.id }]);
    const parts = await ops.split(await api.token('fgwOfficer'), share.id, [
      { orgUnitId: api.fixture.units.zgc.id },
      { orgUnitId: api.fixture.units.xyl.id },
    ]);
    const part = (key: 'zgc' | 'xyl') =>
      parts.find((p) => p.orgUnitId === api.fixture.units[key].id) as AssignmentRef;
    await api.dataSource.query(`UPDATE assignment SET created_at = $1 WHERE task_id = $2`, [
      new Date('2026-11-01T00:00:00Z'),
      task.id,
    ]);
    for (const [id, user] of [
      [part('zgc').id, 'zgcOfficer'],
      [part('xyl').id, 'xylOfficer'],
    ]) {
      dataOf(await api.gql(ACCEPT, { input: { assignmentId: id, version: 1 } }, await api.token(user)));
    }
    return { planId, task, share, zgc: part('zgc'), xyl: part('xyl') };
  }

  const report = async (id: string, user: string, percent: number | null, text = `进度${percent}%`) =>
    api.gql(
      SUBMIT,
      {
        input: {
          assignmentId: id,
          version: (await shareOf(id)).version,
          period: '2026-11',
          text,
          ...(percent !== null && { percent }),
          evidenceIds: [],
        },
      },
      await api.token(user),
    );

  /** 销号 of a part through the default flow; steps without approvers (学院路 has no head) are skipped. */
  async function closePart(id: string, officer: string, approvers: string[]) {
    const { version } = await shareOf(id);
    const request = dataOf(
      await api.gql(
        CLOSE_OUT,
        { input: { assignmentId: id, version, comment: '已完成' } },
        await api.token(officer),
      ),
    ).requestCloseOut;
    for (const user of approvers) {
      const input = { requestId: request.id, decision: 'APPROVE' as const, comment: '' };
      dataOf(await api.gql(DECIDE, { input }, await api.token(user)));
    }
  }

  const departmentFigures = async (planId: string) =>
    dataOf(await api.gql(LEADER_BOARD, { planId }, await api.token('leader'))).leaderBoard.units.edges.find(
      (e) => e.node.orgUnitId === api.fixture.units.fgw.id,
    )?.node;

  it('makes a split share the mean of its parts (closed = 100) and the task follow its lead share', async () => {
    const { planId, share, zgc, xyl } = await splitTask('进度汇总测试');
    // Nothing reported after 40 % of the time: the department's share trails, on its light and on the board.
    expect(await shareOf(share.id)).toMatchObject({ progressPercent: 0, light: 'YELLOW' });
    expect(await departmentFigures(planId)).toMatchObject({ yellow: 1, green: 0 });

    dataOf(await report(zgc.id, 'zgcOfficer', 60));
    dataOf(await report(xyl.id, 'xylOfficer', 0));
    expect(await shareOf(share.id)).toMatchObject({
      status: 'ASSIGNED',
      progressPercent: 30,
      light: 'GREEN',
      task: { status: 'IN_PROGRESS', progressPercent: 30 },
    });
    expect(await departmentFigures(planId)).toMatchObject({ yellow: 0, green: 1 });

    await closePart(xyl.id, 'xylOfficer', ['fgwHead', 'inspector', 'leader']);
    expect(await shareOf(xyl.id)).toMatchObject({ status: 'CLOSED', progressPercent: 100 });
    expect(await shareOf(share.id)).toMatchObject({
      progressPercent: 80,
      task: { status: 'IN_PROGRESS', progressPercent: 80 },
    });

    await closePart(zgc.id, 'zgcOfficer', ['zgcHead', 'fgwHead', 'inspector', 'leader']);
    expect(await shareOf(share.id)).toMatchObject({
      status: 'CLOSED',
      progressPercent: 100,
      task: { status: 'CLOSED', progressPercent: 100 },
    });
  });

  it('derives a split share’s percent in its department’s own report, and refuses another figure', async () => {
    const { share, zgc } = await splitTask('部门报送测试');
    dataOf(await report(zgc.id, 'zgcOfficer', 50));
    dataOf(
      await api.gql(
        ACCEPT,
        { input: { assignmentId: share.id, version: (await shareOf(share.id)).version } },
        await api.token('fgwOfficer'),
      ),
    );

    const refused = await report(share.id, 'fgwOfficer', 90);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'percent' });
    expect(refused.errors?.[0].message).toContain('25%');

    const own = dataOf(await report(share.id, 'fgwOfficer', null, '两个街道推进中')).submitProgress;
    expect(own).toEqual({ percent: 25, text: '两个街道推进中' });
    expect(await shareOf(share.id)).toMatchObject({ status: 'IN_PROGRESS', progressPercent: 25 });
    // The same figure may be sent; an unsplit share still needs one.
    dataOf(await report(share.id, 'fgwOfficer', 25, '同上'));
    const missing = await report(zgc.id, 'zgcOfficer', null);
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'percent' });
  });

  it('follows the parts when one is added or removed', async () => {
    const { share, zgc, xyl } = await splitTask('增减分工测试');
    dataOf(await report(zgc.id, 'zgcOfficer', 90));
    dataOf(await report(xyl.id, 'xylOfficer', 30));
    expect((await shareOf(share.id)).progressPercent).toBe(60);

    const [hd] = await taskOps(api).split(await api.token('fgwOfficer'), share.id, [
      { orgUnitId: api.fixture.units.hd.id },
    ]);
    expect(await shareOf(share.id)).toMatchObject({ progressPercent: 40, task: { progressPercent: 40 } });

    dataOf(await api.gql(UNASSIGN, { id: hd.id }, await api.token('fgwOfficer')));
    expect(await shareOf(share.id)).toMatchObject({ progressPercent: 60, task: { progressPercent: 60 } });
  });

  it('loses no update when two parts report at the same moment', async () => {
    for (const [a, b] of [
      [40, 80],
      [10, 100],
      [75, 25],
    ]) {
      const { share, zgc, xyl } = await splitTask(`并发报送测试${a}`);
      const results = await Promise.all([report(zgc.id, 'zgcOfficer', a), report(xyl.id, 'xylOfficer', b)]);
      for (const result of results) dataOf(result);
      const mean = Math.round((a + b) / 2);
      expect(await shareOf(share.id)).toMatchObject({
        progressPercent: mean,
        task: { progressPercent: mean },
      });
      const [{ n }] = await api.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM audit_event WHERE action = 'assignment.progress_rollup' AND entity_id = $1`,
        [share.id],
      );
      expect(n).toBe(2);
    }
  });

  it('backfills existing rows: closed shares at 100, split shares from their parts, tasks from their leads', async () => {
    const { task, share, zgc, xyl } = await splitTask('回填测试');
    // Rows as the code before the roll-up left them.
    await api.dataSource.query(
      `UPDATE assignment SET status = 'CLOSED', closed_at = now(), progress_percent = 20 WHERE id = $1`,
      [zgc.id],
    );
    await api.dataSource.query(`UPDATE assignment SET progress_percent = 45 WHERE id = $1`, [xyl.id]);
    await api.dataSource.query(`UPDATE assignment SET progress_percent = 0 WHERE id = $1`, [share.id]);
    await api.dataSource.query(`UPDATE task SET progress_percent = 0 WHERE id = $1`, [task.id]);
    const before = await shareOf(share.id);

    const runner = api.dataSource.createQueryRunner();
    try {
      const backfill = MIGRATIONS.find((m) => m.name === 'ProgressRollUp1765400000000');
      await new backfill!().up(runner);
    } finally {
      await runner.release();
    }
    expect(await shareOf(zgc.id)).toMatchObject({ status: 'CLOSED', progressPercent: 100 });
    const after = await shareOf(share.id);
    expect(after).toMatchObject({ progressPercent: 73, task: { progressPercent: 73 } });
    expect(after.version).toBe(before.version + 1);
  });
});
