import ExcelJS from 'exceljs';
import { FixedClock } from '@zhezi/core';
import { graphql } from './gql';
import type { OrgUnitsUnitFieldsFragment, TypedDocumentString } from './gql/graphql';
import { dataOf, outcomeOf, taskOps, type AssignmentRef } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const NOW = new Date('2026-11-25T04:00:00Z');
const DUE = '2026-12-15T15:59:59.000Z';
const PERIOD = '2026-11';

graphql(`
  fragment OrgUnitsUnitFields on OrgUnit {
    id
    name
    kind
    parentId
    aliases
    active
    mergedIntoId
    version
  }
`);
const CREATE_UNIT = graphql(`
  mutation OrgUnitsCreateUnit($input: CreateOrgUnitInput!) {
    createOrgUnit(input: $input) {
      ...OrgUnitsUnitFields
    }
  }
`);
const UPDATE_UNIT = graphql(`
  mutation OrgUnitsUpdateUnit($input: UpdateOrgUnitInput!) {
    updateOrgUnit(input: $input) {
      ...OrgUnitsUnitFields
    }
  }
`);
const DEACTIVATE = graphql(`
  mutation OrgUnitsDeactivate($input: OrgUnitVersionInput!) {
    deactivateOrgUnit(input: $input) {
      ...OrgUnitsUnitFields
    }
  }
`);
const MERGE = graphql(`
  mutation OrgUnitsMerge($input: MergeOrgUnitsInput!) {
    mergeOrgUnits(input: $input) {
      from {
        ...OrgUnitsUnitFields
      }
      into {
        ...OrgUnitsUnitFields
      }
      movedShares
      mergedShares
      movedUsers
    }
  }
`);
const UNITS = graphql(`
  query OrgUnitsList($all: Boolean) {
    orgUnits(includeInactive: $all) {
      id
      name
      active
    }
  }
`);
const ASSIGN = graphql(`
  mutation OrgUnitsAssignTask($input: AssignTaskInput!) {
    assignTask(input: $input) {
      id
    }
  }
`);
const ACCEPT = graphql(`
  mutation OrgUnitsAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const SUBMIT = graphql(`
  mutation OrgUnitsSubmitProgress($input: SubmitProgressInput!) {
    submitProgress(input: $input) {
      id
      revision
    }
  }
`);
const ESCALATE = graphql(`
  mutation OrgUnitsEscalate($id: ID!) {
    escalateNow(assignmentId: $id, reason: "提前催办") {
      id
    }
  }
`);
const OPEN_NOTICE = graphql(`
  mutation OrgUnitsOpenNotice($input: OpenSupervisionNoticeInput!) {
    openSupervisionNotice(input: $input) {
      id
    }
  }
`);
const CHANNEL = graphql(`
  mutation OrgUnitsCreateChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      id
    }
  }
`);
const CHANNELS = graphql(`
  query OrgUnitsChannels($id: ID!) {
    notificationChannels(orgUnitId: $id) {
      id
    }
  }
`);
const SET_KEYWORD = graphql(`
  mutation OrgUnitsSetKeyword($input: SetUnitKeywordInput!) {
    setUnitKeyword(input: $input) {
      id
    }
  }
`);
const KEYWORDS = graphql(`
  query OrgUnitsKeywords($id: ID) {
    unitKeywords(orgUnitId: $id, first: 100) {
      edges {
        node {
          keyword
          weight
        }
      }
    }
  }
`);
const IMPORT = graphql(`
  mutation OrgUnitsImport($input: ImportTaskListInput!) {
    importTaskList(input: $input) {
      plan {
        id
      }
    }
  }
`);
const DRAFTS = graphql(`
  query OrgUnitsDrafts($planId: ID!) {
    draftTasks(planId: $planId, first: 100) {
      edges {
        node {
          code
          leadUnits {
            name
          }
          supportUnits {
            name
          }
        }
      }
    }
  }
`);
const MY_LIST = graphql(`
  query OrgUnitsMyAssignments {
    myAssignments(first: 100) {
      edges {
        node {
          id
          taskId
          status
        }
      }
    }
  }
`);
const SHARES = graphql(`
  query OrgUnitsShares($id: ID!) {
    task(id: $id) {
      progressPercent
      assignments {
        id
        role
        status
        progressPercent
        dueAt
        orgUnit {
          name
          active
        }
        progressReports {
          period
          text
          revision
          revisions {
            revision
            text
          }
        }
        escalations {
          id
        }
        supervisionNotices {
          id
        }
      }
    }
  }
`);
const LEADER_BOARD = graphql(`
  query OrgUnitsLeaderBoard($planId: ID) {
    leaderBoard(planId: $planId) {
      units(first: 50) {
        edges {
          node {
            orgUnit {
              name
            }
            assigned
            open
          }
        }
      }
    }
  }
`);
const VIEWER = graphql(`
  query OrgUnitsViewer {
    viewer {
      orgUnit {
        name
      }
    }
  }
`);
const VERIFY = graphql(`
  query OrgUnitsVerifyAuditChain {
    verifyAuditChain {
      ok
    }
  }
`);

/** A unit as the API answers it, and as `unit()` reads its row. */
type Unit = OrgUnitsUnitFieldsFragment;

const HEADER = ['序号', '任务名称', '任务内容', '牵头单位', '配合单位', '责任领导', '完成时限'];

async function workbook(rows: string[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('折子工程');
  for (const row of [HEADER, ...rows]) sheet.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

describe('org units: create, rename, move, deactivate and merge (e2e over HTTP)', () => {
  const clock = new FixedClock(NOW);
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ clock });
  });

  afterAll(() => api.close());

  const as = async <R, V>(user: string, doc: TypedDocumentString<R, V>, variables: V) =>
    api.gql(doc, variables, await api.token(user));

  const unit = async (id: string): Promise<Unit> => {
    const [row] = await api.dataSource.query<Unit[]>(
      `SELECT id, name, kind, parent_id AS "parentId", aliases, active, merged_into_id AS "mergedIntoId", version
       FROM org_unit WHERE id = $1`,
      [id],
    );
    return row;
  };

  const importRows = async (rows: string[][]) =>
    as('leader', IMPORT, {
      input: { file: { fileName: '折子工程.xlsx', content: await workbook(rows) }, year: 2026 },
    });

  const draftsOf = async (planId: string) =>
    dataOf(await as('leader', DRAFTS, { planId })).draftTasks.edges.map((e) => e.node);

  const taskOf = async (taskId: string) => dataOf(await as('admin', SHARES, { id: taskId })).task;
  const sharesOf = async (taskId: string) => (await taskOf(taskId)).assignments;

  /** A task assigned to the given units, every share signed for by its unit's officer. */
  async function task(
    title: string,
    lead: string[],
    support: string[] = [],
    officers: Record<string, string> = {},
  ) {
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const created = await ops.createTask(leader, { planId: api.fixture.plan.id, title, dueAt: DUE });
    const shares: AssignmentRef[] = await ops.assignTask(
      leader,
      created.id,
      lead.map((orgUnitId) => ({ orgUnitId })),
      support.map((orgUnitId) => ({ orgUnitId })),
    );
    for (const share of shares) {
      const officer = officers[share.orgUnitId];
      if (officer) dataOf(await as(officer, ACCEPT, { input: { assignmentId: share.id, version: 1 } }));
    }
    return { taskId: created.id, shares };
  }

  const report = (user: string, assignmentId: string, text: string, percent: number) =>
    as(user, SUBMIT, { input: { assignmentId, version: 2, period: PERIOD, text, percent, evidenceIds: [] } });

  it('creates a unit and keeps the tree free of cycles', async () => {
    const { gov, jw } = api.fixture.units;
    const created = dataOf(
      await as('admin', CREATE_UNIT, {
        input: {
          code: 'D090',
          name: '区数据局',
          kind: 'DEPARTMENT',
          parentId: gov.id,
          aliases: ['区大数据局'],
        },
      }),
    ).createOrgUnit;
    expect(created).toMatchObject({ name: '区数据局', aliases: ['区大数据局'], active: true, version: 1 });

    // A name (or alias) two units would answer to is refused.
    const clash = await as('admin', CREATE_UNIT, {
      input: { code: 'D091', name: '区教委', kind: 'DEPARTMENT', parentId: gov.id },
    });
    expect(clash.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });

    // Putting 区教委 under the new unit is fine; the new unit under 区教委 would then be a cycle.
    const moved = dataOf(
      await as('admin', UPDATE_UNIT, {
        input: { id: jw.id, version: (await unit(jw.id)).version, parentId: created.id },
      }),
    ).updateOrgUnit;
    expect(moved.parentId).toBe(created.id);
    const cycle = await as('admin', UPDATE_UNIT, {
      input: { id: created.id, version: created.version, parentId: jw.id },
    });
    expect(cycle.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentId' });
    dataOf(
      await as('admin', UPDATE_UNIT, { input: { id: jw.id, version: moved.version, parentId: gov.id } }),
    );
  });

  it('renames a unit: the old name becomes an alias that imports still resolve; a stale version is refused', async () => {
    const { jw } = api.fixture.units;
    const before = await unit(jw.id);
    const renamed = dataOf(
      await as('admin', UPDATE_UNIT, {
        input: { id: jw.id, version: before.version, name: '区教育委员会' },
      }),
    ).updateOrgUnit;
    expect(renamed).toMatchObject({ name: '区教育委员会', aliases: ['区教委'], version: before.version + 1 });
    const stale = await as('admin', UPDATE_UNIT, {
      input: { id: jw.id, version: before.version, name: '区教工委' },
    });
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: renamed.version });

    const planId = dataOf(await importRows([['1', '建设学校', '', '区教委', '', '', '2026年6月底前']]))
      .importTaskList.plan.id;
    expect((await draftsOf(planId))[0].leadUnits).toEqual([{ name: '区教育委员会' }]);
  });

  it('refuses to deactivate a unit with open work, listing it; deactivates one without', async () => {
    const { jw, gov } = api.fixture.units;
    await task('教委在办任务', [jw.id]);
    const refused = await as('admin', DEACTIVATE, {
      input: { id: jw.id, version: (await unit(jw.id)).version },
    });
    expect(refused.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'UNIT_HAS_OPEN_WORK',
      open: { openShares: 1 },
    });
    expect((await unit(jw.id)).active).toBe(true);

    const idle = dataOf(
      await as('admin', CREATE_UNIT, {
        input: { code: 'D092', name: '区临时办', kind: 'DEPARTMENT', parentId: gov.id },
      }),
    ).createOrgUnit;
    const done = dataOf(
      await as('admin', DEACTIVATE, {
        input: { id: idle.id, version: idle.version },
      }),
    ).deactivateOrgUnit;
    expect(done.active).toBe(false);
    const listed = dataOf(await as('admin', UNITS, {})).orgUnits;
    expect(listed.map((u) => u.name)).not.toContain('区临时办');
    const all = dataOf(await as('admin', UNITS, { all: true })).orgUnits;
    expect(all.map((u) => u.name)).toContain('区临时办');
    // An inactive unit takes no new work.
    const ops = taskOps(api);
    const created = await ops.createTask(await api.token('leader'), {
      planId: api.fixture.plan.id,
      title: '给已停用单位',
      dueAt: DUE,
    });
    const assign = await as('leader', ASSIGN, {
      input: { taskId: created.id, leadUnits: [{ orgUnitId: idle.id }], supportUnits: [] },
    });
    expect(assign.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'leadUnits.0.orgUnitId',
    });
  });

  it('merges 区水务局 into 区发展改革委: shares, drafts, channels, keywords and users move, in one audited step', async () => {
    const { fgw, swj } = api.fixture.units;
    const officers = { [fgw.id]: 'fgwOfficer', [swj.id]: 'swjOfficer' };
    // One task both hold a share of, with reports for the same month from both, an escalation and a notice.
    const shared = await task('河道治理与项目审批', [fgw.id], [swj.id], officers);
    const fgwShare = shared.shares.find((s) => s.orgUnitId === fgw.id)!;
    const swjShare = shared.shares.find((s) => s.orgUnitId === swj.id)!;
    dataOf(await report('fgwOfficer', fgwShare.id, '发改委：项目已立项', 60));
    dataOf(await report('swjOfficer', swjShare.id, '水务局：河道清淤过半', 40));
    dataOf(await as('inspector', ESCALATE, { id: swjShare.id }));
    dataOf(
      await as('inspector', OPEN_NOTICE, {
        input: { assignmentId: swjShare.id, reason: '进度滞后', responseWorkdays: 3 },
      }),
    );
    // A task the water bureau alone holds, and one it closed long ago.
    const own = await task('污水管网建设', [swj.id], [], officers);
    const old = await task('2025年防汛', [swj.id]);
    await api.dataSource.query(
      `UPDATE assignment SET status = 'CLOSED', closed_at = $2, progress_percent = 100 WHERE id = $1`,
      [old.shares[0].id, new Date('2026-06-30T08:00:00Z')],
    );
    // Drafts, a robot, keyword rules (one both units carry).
    const draftPlan = dataOf(
      await importRows([
        ['1', '水系连通', '', '区水务局', '区发改委', '', '2026年9月底前'],
        ['2', '节水改造', '', '区发改委', '区水务局', '', '2026年9月底前'],
      ]),
    ).importTaskList.plan.id;
    const robot = dataOf(
      await as('admin', CHANNEL, {
        input: {
          orgUnitId: swj.id,
          kind: 'DINGTALK',
          name: '水务局钉钉群',
          url: 'https://oapi.dingtalk.com/robot/send?access_token=x',
        },
      }),
    ).createNotificationChannel;
    for (const [orgUnitId, keyword, weight] of [
      [swj.id, '河道', 3],
      [swj.id, '水系', 2],
      [fgw.id, '水系', 1],
    ] as const) {
      dataOf(await as('admin', SET_KEYWORD, { input: { orgUnitId, keyword, weight } }));
    }
    // Warm the leader board's cache: both units are on it.
    const boardNames = async () =>
      dataOf(await as('leader', LEADER_BOARD, { planId: api.fixture.plan.id })).leaderBoard.units.edges.map(
        (e) => e.node,
      );
    expect((await boardNames()).map((u) => u.orgUnit.name)).toEqual(
      expect.arrayContaining(['区水务局', '区发展改革委']),
    );

    const [from, into] = [await unit(swj.id), await unit(fgw.id)];
    const stale = await as('admin', MERGE, {
      input: { fromId: swj.id, fromVersion: from.version + 1, intoId: fgw.id, intoVersion: into.version },
    });
    expect(outcomeOf(stale)).toBe('CONFLICT');
    const merged = dataOf(
      await as('admin', MERGE, {
        input: { fromId: swj.id, fromVersion: from.version, intoId: fgw.id, intoVersion: into.version },
      }),
    ).mergeOrgUnits;
    expect(merged).toMatchObject({ movedShares: 2, mergedShares: 1, movedUsers: 1 });
    expect(merged.from).toMatchObject({ active: false, mergedIntoId: fgw.id, name: '区水务局' });
    expect(merged.into.aliases).toEqual(expect.arrayContaining(['区发改委', '区水务局']));

    // Every open share is on the surviving unit's list.
    const list = dataOf(await as('fgwOfficer', MY_LIST, {})).myAssignments.edges.map((e) => e.node.taskId);
    expect(list).toEqual(expect.arrayContaining([shared.taskId, own.taskId]));
    expect(list).not.toContain(old.taskId);

    // The shared task has one share, with both units' histories: the less advanced state, the lower progress.
    const [share, ...others] = await sharesOf(shared.taskId);
    expect(others).toHaveLength(0);
    expect(share).toMatchObject({
      id: fgwShare.id,
      role: 'LEAD',
      progressPercent: 40,
      orgUnit: { name: '区发展改革委' },
    });
    expect(share.progressReports).toHaveLength(1);
    expect(share.progressReports[0]).toMatchObject({
      period: PERIOD,
      text: '发改委：项目已立项',
      revision: 2,
    });
    expect(share.progressReports[0].revisions).toEqual([
      expect.objectContaining({ revision: 1, text: '水务局：河道清淤过半' }),
    ]);
    expect(share.escalations).toHaveLength(1);
    // The task follows its lead share's merged progress (it read 60 before).
    expect((await taskOf(shared.taskId)).progressPercent).toBe(40);
    expect(share.supervisionNotices).toHaveLength(1);

    // Closed history stays under the name it was closed under.
    expect((await sharesOf(old.taskId))[0]).toMatchObject({
      status: 'CLOSED',
      orgUnit: { name: '区水务局', active: false },
    });

    // Drafts, robot, keywords and the officer moved.
    expect(await draftsOf(draftPlan)).toEqual([
      expect.objectContaining({ leadUnits: [{ name: '区发展改革委' }], supportUnits: [] }),
      expect.objectContaining({ leadUnits: [{ name: '区发展改革委' }], supportUnits: [] }),
    ]);
    const channels = dataOf(await as('admin', CHANNELS, { id: fgw.id })).notificationChannels;
    expect(channels.map((c) => c.id)).toContain(robot.id);
    const keywords = dataOf(await as('admin', KEYWORDS, { id: fgw.id })).unitKeywords.edges.map((e) => [
      e.node.keyword,
      e.node.weight,
    ]);
    expect(keywords).toEqual(
      expect.arrayContaining([
        ['河道', 3],
        ['水系', 2],
      ]),
    );
    expect(dataOf(await as('swjOfficer', VIEWER, {})).viewer.orgUnit.name).toBe('区发展改革委');

    // The leader board shows one unit, holding the open work of both.
    const board = await boardNames();
    expect(board.map((u) => u.orgUnit.name)).not.toContain('区水务局');
    expect(board.find((u) => u.orgUnit.name === '区发展改革委')).toMatchObject({ open: 2 });

    // The old name still resolves in an Excel import; the merged unit is no longer offered.
    const after = dataOf(await importRows([['1', '河湖长制', '', '区水务局', '', '', '2026年12月底前']]))
      .importTaskList.plan.id;
    expect((await draftsOf(after))[0].leadUnits).toEqual([{ name: '区发展改革委' }]);

    // One audited step, and the chain holds.
    const [{ n }] = await api.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'orgUnit.merge' AND entity_id = $1`,
      [swj.id],
    );
    expect(n).toBe(1);
    expect(dataOf(await as('admin', VERIFY, {})).verifyAuditChain.ok).toBe(true);
  });

  it('refuses a merge of two shares of one task while an approval is pending on one of them', async () => {
    const { gov } = api.fixture.units;
    const make = async (code: string, name: string) =>
      dataOf(
        await as('admin', CREATE_UNIT, {
          input: { code, name, kind: 'DEPARTMENT', parentId: gov.id },
        }),
      ).createOrgUnit;
    const [a, b] = [await make('D093', '区科委甲'), await make('D094', '区经信局乙')];
    const { shares } = await task('科技与信息化', [a.id], [b.id]);
    await api.dataSource.query(
      `INSERT INTO approval_request (kind, task_id, assignment_id, requested_by_id, requester_unit_id, status,
         current_step, created_at)
       SELECT 'EXTENSION', a.task_id, a.id, $2, a.org_unit_id, 'PENDING', 0, now()
       FROM assignment a WHERE a.id = $1`,
      [shares[0].id, api.fixture.users.admin.id],
    );
    const refused = await as('admin', MERGE, {
      input: { fromId: a.id, fromVersion: a.version, intoId: b.id, intoVersion: b.version },
    });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'MERGE_BLOCKED' });
  });
});
