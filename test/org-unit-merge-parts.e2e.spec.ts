import { FixedClock } from '@zhezi/core';
import { graphql } from './gql';
import type { TypedDocumentString } from './gql/graphql';
import { dataOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const NOW = new Date('2026-11-25T04:00:00Z');
const DUE = '2026-12-15T15:59:59.000Z';
const PERIOD = '2026-11';

const MERGE = graphql(`
  mutation OrgUnitMergePartsMerge($input: MergeOrgUnitsInput!) {
    mergeOrgUnits(input: $input) {
      movedShares
      mergedShares
    }
  }
`);
const ACCEPT = graphql(`
  mutation OrgUnitMergePartsAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const SUBMIT = graphql(`
  mutation OrgUnitMergePartsSubmitProgress($input: SubmitProgressInput!) {
    submitProgress(input: $input) {
      id
    }
  }
`);
const SHARES = graphql(`
  query OrgUnitMergePartsShares($id: ID!) {
    task(id: $id) {
      assignments {
        id
        orgUnitId
        parentId
        status
        progressPercent
      }
    }
  }
`);
const VERIFY = graphql(`
  query OrgUnitMergePartsVerifyAuditChain {
    verifyAuditChain {
      ok
    }
  }
`);

/**
 * Subdistricts hold parts of one task split off by different departments. A unit holds one share of a task
 * (the schema says so), so two parts become one only when they come from the same department; parts from two
 * departments are refused rather than folded, which would take one department's part away from it.
 */
describe('merging subdistricts that hold parts of one task (e2e over HTTP)', () => {
  const clock = new FixedClock(NOW);
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ clock });
  });

  afterAll(() => api.close());

  const as = async <R, V>(user: string, doc: TypedDocumentString<R, V>, variables: V) =>
    api.gql(doc, variables, await api.token(user));

  const versionOf = async (table: 'org_unit' | 'assignment', id: string) =>
    (await api.dataSource.query<{ version: number }[]>(`SELECT version FROM ${table} WHERE id = $1`, [id]))[0]
      .version;

  const merge = async (fromId: string, intoId: string) =>
    as('admin', MERGE, {
      input: {
        fromId,
        intoId,
        fromVersion: await versionOf('org_unit', fromId),
        intoVersion: await versionOf('org_unit', intoId),
      },
    });

  const sharesAs = async (user: string, taskId: string) =>
    dataOf(await as(user, SHARES, { id: taskId })).task.assignments;

  const accept = async (user: string, assignmentId: string) =>
    dataOf(
      await as(user, ACCEPT, {
        input: { assignmentId, version: await versionOf('assignment', assignmentId) },
      }),
    );

  const report = async (user: string, assignmentId: string, percent: number) =>
    dataOf(
      await as(user, SUBMIT, {
        input: {
          assignmentId,
          version: await versionOf('assignment', assignmentId),
          period: PERIOD,
          text: `完成${percent}%`,
          percent,
          evidenceIds: [],
        },
      }),
    );

  it('folds parts from the same department, refuses parts from two, and leaves closed parts behind', async () => {
    const { fgw, swj, zgc, xyl, hd, qh } = api.fixture.units;
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const task = await ops.createTask(leader, { planId: api.fixture.plan.id, title: '河道整治', dueAt: DUE });
    const [swjShare, fgwShare] = await ops.assignTask(leader, task.id, [
      { orgUnitId: swj.id },
      { orgUnitId: fgw.id },
    ]);
    const swjParts = await ops.split(
      leader,
      swjShare.id,
      [zgc.id, xyl.id, hd.id].map((orgUnitId) => ({ orgUnitId })),
    );
    const [qhPart] = await ops.split(leader, fgwShare.id, [{ orgUnitId: qh.id }]);
    const [zgcPart, xylPart, hdPart] = swjParts.map((p) => p.id);
    await accept('xylOfficer', xylPart);
    await report('xylOfficer', xylPart, 70);
    await accept('hdOfficer', hdPart);
    await report('hdOfficer', hdPart, 40);
    await accept('qhOfficer', qhPart.id);
    await report('qhOfficer', qhPart.id, 30);
    // 中关村 has closed its part.
    await api.dataSource.query(
      `UPDATE assignment SET status = 'CLOSED', closed_at = $2, progress_percent = 100 WHERE id = $1`,
      [zgcPart, new Date('2026-11-20T08:00:00Z')],
    );

    // 清河's part is the development commission's, 学院路's the water bureau's: folding them would take the
    // commission's part away from it. Refused, naming the task; nothing moved.
    const refused = await merge(qh.id, xyl.id);
    expect(refused.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'MERGE_BLOCKED',
      blocked: [{ code: task.code, reason: 'SPLIT_BY_OTHER_UNIT' }],
    });
    expect((await sharesAs('fgwOfficer', task.id)).map((s) => s.id).sort()).toEqual(
      [fgwShare.id, qhPart.id].sort(),
    );
    expect(await versionOf('org_unit', qh.id)).toBe(qh.version);

    // 中关村's part is closed: it stays there, under its name and its department.
    expect(dataOf(await merge(zgc.id, xyl.id)).mergeOrgUnits).toEqual({ movedShares: 0, mergedShares: 0 });
    // 海淀街道's and 学院路's parts are both the water bureau's: one part, at the lower figure.
    expect(dataOf(await merge(hd.id, xyl.id)).mergeOrgUnits).toEqual({ movedShares: 1, mergedShares: 1 });
    let shares = await sharesAs('admin', task.id);
    expect(shares.filter((s) => s.orgUnitId === zgc.id)).toEqual([
      { id: zgcPart, orgUnitId: zgc.id, parentId: swjShare.id, status: 'CLOSED', progressPercent: 100 },
    ]);
    expect(shares.filter((s) => s.orgUnitId === xyl.id)).toEqual([
      expect.objectContaining({ id: xylPart, parentId: swjShare.id, progressPercent: 40 }),
    ]);
    expect(shares.some((s) => s.id === hdPart)).toBe(false);

    // The water bureau still sees its parts and its share follows them (closed 100, open 40 → 70, then 90).
    expect((await sharesAs('swjOfficer', task.id)).map((s) => s.id).sort()).toEqual(
      [swjShare.id, zgcPart, xylPart].sort(),
    );
    expect(shares.find((s) => s.id === swjShare.id)!.progressPercent).toBe(70);
    await report('xylOfficer', xylPart, 80);
    shares = await sharesAs('admin', task.id);
    expect(shares.find((s) => s.id === swjShare.id)!.progressPercent).toBe(90);
    expect(shares.find((s) => s.id === fgwShare.id)!.progressPercent).toBe(30);
    expect(dataOf(await as('admin', VERIFY, {})).verifyAuditChain.ok).toBe(true);
  });
});
