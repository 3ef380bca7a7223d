import { FixedClock } from '@zhezi/core';
import { graphql } from './gql';
import type { SubmitProgressInput, TaskPriority } from './gql/graphql';
import { countRows, dataOf, outcomeOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const ACCEPT = graphql(`
  mutation ProgressReportsAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const SUBMIT = graphql(`
  mutation ProgressReportsSubmit($input: SubmitProgressInput!) {
    submitProgress(input: $input) {
      id
      period
      percent
      revision
      reason
      revisions {
        revision
        percent
        text
      }
    }
  }
`);
const SHARE = graphql(`
  query ProgressReportsShare($id: ID!) {
    assignment(id: $id) {
      status
      version
      progressPercent
      progressReports {
        period
        percent
        submittedBy {
          username
        }
      }
    }
  }
`);
const MISSING = graphql(`
  query ProgressReportsMissing($period: String!, $orgUnitId: ID) {
    missingReports(period: $period, orgUnitId: $orgUnitId) {
      totalCount
      edges {
        node {
          id
        }
      }
    }
  }
`);

describe('progress reports (进展报送)', () => {
  const clock = new FixedClock(new Date('2026-11-25T04:00:00Z'));
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ clock });
  });

  afterAll(() => api.close());

  /** A share of 中关村街道, split off 区发展改革委's, optionally accepted; returns it with its version. */
  async function zgcShare(accept = true, priority: TaskPriority = 'NORMAL') {
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const task = await ops.createTask(leader, {
      planId: api.fixture.plan.id,
      title: '进展报送测试',
      priority,
    });
    const [share] = await ops.assignTask(leader, task.id, [{ orgUnitId: api.fixture.units.fgw.id }]);
    const [part] = await ops.split(await api.token('fgwOfficer'), share.id, [
      { orgUnitId: api.fixture.units.zgc.id },
    ]);
    // The database stamps created_at with the real time; the shares are as old as the test's clock says.
    await api.dataSource.query(`UPDATE assignment SET created_at = $1 WHERE id = ANY($2)`, [
      new Date('2026-11-01T00:00:00Z'),
      [share.id, part.id],
    ]);
    if (!accept) return { id: part.id, version: 1 };
    const accepted = dataOf(
      await api.gql(ACCEPT, { input: { assignmentId: part.id, version: 1 } }, await api.token('zgcOfficer')),
    );
    return { id: part.id, version: accepted.acceptAssignment.version };
  }

  const submit = async (input: SubmitProgressInput, user = 'zgcOfficer') =>
    api.gql(SUBMIT, { input: { evidenceIds: [], ...input } }, await api.token(user));

  const shareOf = async (id: string) =>
    dataOf(await api.gql(SHARE, { id }, await api.token('zgcOfficer'))).assignment;

  it('starts the work, then replaces a resubmission within the period and keeps the earlier text', async () => {
    const share = await zgcShare();
    const first = dataOf(
      await submit({
        assignmentId: share.id,
        version: share.version,
        period: '2026-11',
        text: '已完成方案',
        percent: 30,
      }),
    ).submitProgress;
    expect(first).toMatchObject({ period: '2026-11', percent: 30, revision: 1, revisions: [] });
    let state = await shareOf(share.id);
    expect(state).toMatchObject({ status: 'IN_PROGRESS', progressPercent: 30 });

    const second = dataOf(
      await submit({
        assignmentId: share.id,
        version: state.version,
        period: '2026-11',
        text: '已开工',
        percent: 50,
      }),
    ).submitProgress;
    expect(second).toMatchObject({ id: first.id, percent: 50, revision: 2 });
    expect(second.revisions).toEqual([{ revision: 1, percent: 30, text: '已完成方案' }]);
    state = await shareOf(share.id);
    expect(state).toMatchObject({
      progressPercent: 50,
      // The report names who sent it (here the same officer twice).
      progressReports: [{ period: '2026-11', percent: 50, submittedBy: { username: 'zgcOfficer' } }],
    });

    const events = await api.dataSource.query<{ type: string }[]>(
      'SELECT type FROM outbox_event WHERE aggregate_id = $1 ORDER BY id',
      [share.id],
    );
    expect(events.map((e) => e.type)).toEqual([
      'AssignmentStatusChanged',
      'AssignmentStatusChanged',
      'ProgressSubmitted',
      'ProgressSubmitted',
    ]);
  });

  it('needs a reason to lower the percent', async () => {
    const share = await zgcShare();
    dataOf(
      await submit({
        assignmentId: share.id,
        version: share.version,
        period: '2026-11',
        text: '过半',
        percent: 60,
      }),
    );
    const { version } = await shareOf(share.id);
    const lowered = await submit({
      assignmentId: share.id,
      version,
      period: '2026-11',
      text: '返工',
      percent: 40,
    });
    expect(lowered.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const explained = await submit({
      assignmentId: share.id,
      version,
      period: '2026-11',
      text: '返工',
      percent: 40,
      reason: '验收发现质量问题，部分返工',
    });
    expect(dataOf(explained).submitProgress).toMatchObject({
      percent: 40,
      reason: '验收发现质量问题，部分返工',
    });
  });

  it.each([
    ['a period not begun', '2026-12'],
    ['a week for a monthly task', '2026-W48'],
    ['no period at all', '2026-1'],
  ])('refuses %s', async (_name, period) => {
    const share = await zgcShare();
    const result = await submit({
      assignmentId: share.id,
      version: share.version,
      period,
      text: '进展',
      percent: 10,
    });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period' });
  });

  it('takes weekly reports for urgent tasks', async () => {
    const share = await zgcShare(true, 'URGENT');
    const result = await submit({
      assignmentId: share.id,
      version: share.version,
      period: '2026-W48',
      text: '本周进展',
      percent: 10,
    });
    expect(dataOf(result).submitProgress.period).toBe('2026-W48');
  });

  it('refuses a report before 签收, from another unit, or with evidence that is not there — leaving nothing', async () => {
    const fresh = await zgcShare(false);
    const early = await submit({
      assignmentId: fresh.id,
      version: 1,
      period: '2026-11',
      text: '进展',
      percent: 10,
    });
    expect(early.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentStatus: 'ASSIGNED' });

    const share = await zgcShare();
    const input = {
      assignmentId: share.id,
      version: share.version,
      period: '2026-11',
      text: '进展',
      percent: 10,
    };
    expect(outcomeOf(await submit(input, 'xylOfficer'))).toBe('FORBIDDEN');
    const noEvidence = await submit({ ...input, evidenceIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(noEvidence.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evidenceIds' });
    expect(await countRows(api, 'progress_report', 'assignment_id = ANY($1)', [[fresh.id, share.id]])).toBe(
      0,
    );
    expect(await shareOf(share.id)).toMatchObject({ status: 'ACCEPTED', progressPercent: 0 });
  });

  it('lists missing reports of an ended period, and freezes reports once it has ended', async () => {
    const reported = await zgcShare();
    const silent = await zgcShare();
    dataOf(
      await submit({
        assignmentId: reported.id,
        version: reported.version,
        period: '2026-11',
        text: '进展',
        percent: 20,
      }),
    );
    const early = await api.gql(MISSING, { period: '2026-11' }, await api.token('inspector'));
    expect(early.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period' });

    clock.set(new Date('2026-12-02T02:00:00Z'));
    try {
      const missing = dataOf(
        await api.gql(MISSING, { period: '2026-11' }, await api.token('zgcOfficer')),
      ).missingReports.edges.map((e) => e.node.id);
      expect(missing).toContain(silent.id);
      expect(missing).not.toContain(reported.id);
      // The 督查室 works the list unit by unit.
      const inspector = await api.token('inspector');
      const ofUnit = async (orgUnitId: string) =>
        dataOf(await api.gql(MISSING, { period: '2026-11', orgUnitId }, inspector)).missingReports.edges.map(
          (e) => e.node.id,
        );
      expect(await ofUnit(api.fixture.units.zgc.id)).toContain(silent.id);
      expect(await ofUnit(api.fixture.units.xyl.id)).not.toContain(silent.id);

      const { version } = await shareOf(reported.id);
      const late = await submit({
        assignmentId: reported.id,
        version,
        period: '2026-11',
        text: '补充',
        percent: 30,
      });
      expect(late.errors?.[0].extensions.code).toBe('CONFLICT');
      // A report never sent may still come late; it then stops being missing.
      const { version: silentVersion } = await shareOf(silent.id);
      dataOf(
        await submit({
          assignmentId: silent.id,
          version: silentVersion,
          period: '2026-11',
          text: '补报',
          percent: 10,
        }),
      );
    } finally {
      clock.set(new Date('2026-11-25T04:00:00Z'));
    }
  });
});
