import ExcelJS from 'exceljs';
import { FixedClock } from '@zhezi/core';
import { graphql } from './gql';
import type { TypedDocumentString } from './gql/graphql';
import { dataOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const NOW = new Date('2026-11-25T04:00:00Z');
const DUE = '2026-12-15T15:59:59.000Z';

const SET_PORTFOLIO = graphql(`
  mutation LeaderPortfoliosSet($input: SetLeaderPortfolioInput!) {
    setLeaderPortfolio(input: $input) {
      leader {
        username
      }
      orgUnits {
        name
      }
    }
  }
`);
const PORTFOLIOS = graphql(`
  query LeaderPortfoliosList {
    leaderPortfolios {
      leader {
        username
      }
      orgUnits {
        name
      }
    }
  }
`);
const TASK = graphql(`
  query LeaderPortfoliosTask($id: ID!) {
    task(id: $id) {
      responsibleLeader {
        username
      }
    }
  }
`);
const ACCEPT = graphql(`
  mutation LeaderPortfoliosAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const EXTEND = graphql(`
  mutation LeaderPortfoliosRequestExtension($input: RequestExtensionInput!) {
    requestExtension(input: $input) {
      id
      steps {
        name
        approvers {
          username
        }
      }
    }
  }
`);
const IMPORT = graphql(`
  mutation LeaderPortfoliosImport($input: ImportTaskListInput!) {
    importTaskList(input: $input) {
      plan {
        id
      }
    }
  }
`);
const DRAFTS = graphql(`
  query LeaderPortfoliosDrafts($planId: ID!) {
    draftTasks(planId: $planId, first: 100) {
      edges {
        node {
          code
          responsibleLeader {
            username
          }
        }
      }
    }
  }
`);
const DRAFT_ISSUES = graphql(`
  query LeaderPortfoliosDraftIssues($planId: ID!) {
    draftTasks(planId: $planId, first: 10) {
      edges {
        node {
          responsibleLeader {
            username
          }
          issues {
            kind
            phrase
            message
          }
        }
      }
    }
  }
`);
const HEADER = ['序号', '任务名称', '任务内容', '牵头单位', '配合单位', '责任领导', '完成时限'];

async function workbook(rows: string[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('折子工程');
  for (const row of [HEADER, ...rows]) sheet.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

describe("leaders' portfolios (分管): default leader, imports, approvals (e2e over HTTP)", () => {
  const clock = new FixedClock(NOW);
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ clock });
    // A 区长 besides the fixture's leader (a 副区长): the portfolio must win over the 区长 fallback.
    await api.dataSource.query(
      `INSERT INTO app_user (username, display_name, title, password_hash, role, org_unit_id)
       SELECT 'mayor', '区长甲', '区长', password_hash, 'LEADER', org_unit_id FROM app_user WHERE username = 'leader'`,
    );
  });

  afterAll(() => api.close());

  const as = async <R, V>(user: string, doc: TypedDocumentString<R, V>, variables: V) =>
    api.gql(doc, variables, await api.token(user));

  const setPortfolio = (leaderId: string, orgUnitIds: string[]) =>
    as('admin', SET_PORTFOLIO, { input: { leaderId, orgUnitIds } });

  async function assigned(title: string, lead: string) {
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const task = await ops.createTask(leader, { planId: api.fixture.plan.id, title, dueAt: DUE });
    const [share] = await ops.assignTask(leader, task.id, [{ orgUnitId: lead, dueAt: DUE }]);
    return { taskId: task.id, shareId: share.id };
  }

  const leaderOf = async (taskId: string) =>
    dataOf(await as('leader', TASK, { id: taskId })).task.responsibleLeader?.username ?? null;

  it('admins set a portfolio; a unit passes from one leader to another; everyone may read them', async () => {
    const { leader } = api.fixture.users;
    const mayor = (
      await api.dataSource.query<{ id: string }[]>(`SELECT id FROM app_user WHERE username = 'mayor'`)
    )[0];
    const { fgw, swj, jw } = api.fixture.units;
    dataOf(await setPortfolio(mayor.id, [fgw.id, jw.id]));
    const set = dataOf(await setPortfolio(leader.id, [swj.id, jw.id])).setLeaderPortfolio;
    expect(set).toEqual({
      leader: { username: 'leader' },
      orgUnits: [{ name: '区水务局' }, { name: '区教委' }],
    });

    const all = dataOf(await as('fgwOfficer', PORTFOLIOS, {})).leaderPortfolios;
    // Read back in the org chart's order.
    expect(all).toEqual([
      { leader: { username: 'leader' }, orgUnits: [{ name: '区教委' }, { name: '区水务局' }] },
      { leader: { username: 'mayor' }, orgUnits: [{ name: '区发展改革委' }] },
    ]);
    const refused = await as('fgwHead', SET_PORTFOLIO, { input: { leaderId: leader.id, orgUnitIds: [] } });
    expect(refused.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const notLeader = await setPortfolio(api.fixture.users.fgwHead.id, [fgw.id]);
    expect(notLeader.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'leaderId' });
  });

  it('makes the overseeing leader the responsible leader of a task assigned without one', async () => {
    const { swj, zgc } = api.fixture.units;
    expect(await leaderOf((await assigned('水务局牵头，未指定领导', swj.id)).taskId)).toBe('leader');
    // A unit no one oversees leaves the task without one.
    expect(await leaderOf((await assigned('街道牵头，未指定领导', zgc.id)).taskId)).toBeNull();
  });

  it('resolves 分管副区长 in an imported table to the leader overseeing the row’s lead unit', async () => {
    const content = await workbook([
      ['1', '河道治理', '', '区水务局', '', '分管副区长', '2026年6月底前'],
      ['2', '项目审批', '', '区发改委', '', '分管区领导', '2026年6月底前'],
      // A title one serving leader holds is that leader.
      ['3', '教育督导', '', '区教委', '', '区长', '2026年6月底前'],
    ]);
    const planId = dataOf(
      await as('leader', IMPORT, {
        input: { file: { fileName: '分管.xlsx', content }, year: 2026 },
      }),
    ).importTaskList.plan.id;
    const drafts = dataOf(await as('leader', DRAFTS, { planId })).draftTasks.edges.map((e) => [
      e.node.code,
      e.node.responsibleLeader?.username,
    ]);
    expect(drafts).toEqual([
      ['1', 'leader'],
      ['2', 'mayor'],
      ['3', 'mayor'],
    ]);

    // A lead unit no one oversees is not guessed: the draft asks the leader to choose, the file imports.
    const orphan = await workbook([['1', '街巷整治', '', '中关村街道', '', '分管副区长', '2026年6月底前']]);
    const orphanPlan = dataOf(
      await as('leader', IMPORT, {
        input: { file: { fileName: '无分管.xlsx', content: orphan }, year: 2026 },
      }),
    ).importTaskList.plan.id;
    const [draft] = dataOf(await as('leader', DRAFT_ISSUES, { planId: orphanPlan })).draftTasks.edges.map(
      (e) => e.node,
    );
    expect(draft.responsibleLeader).toBeNull();
    expect(draft.issues.map((i) => [i.kind, i.phrase])).toEqual([['AMBIGUOUS_LEADER', '分管副区长']]);
    expect(draft.issues[0].message).toContain('中关村街道尚未设置分管区领导');
  });

  it('sends RESPONSIBLE_LEADER to the leader overseeing the lead unit before the 区长', async () => {
    const { jw } = api.fixture.units;
    // Assigned while no one oversaw 区教委, so the task names no leader; the portfolio is set afterwards.
    await api.dataSource.query(`DELETE FROM leader_portfolio WHERE org_unit_id = $1`, [jw.id]);
    const { taskId, shareId } = await assigned('教委牵头，审批时按分管', jw.id);
    expect(await leaderOf(taskId)).toBeNull();
    dataOf(await setPortfolio(api.fixture.users.leader.id, [api.fixture.units.swj.id, jw.id]));

    // The fixture has no 区教委 officer: one is added to ask for the extension.
    await api.dataSource.query(
      `INSERT INTO app_user (username, display_name, password_hash, role, org_unit_id)
       SELECT 'jwOfficer', '教委经办人', password_hash, 'DEPARTMENT_OFFICER', $1 FROM app_user WHERE username = 'leader'`,
      [jw.id],
    );
    dataOf(await as('jwOfficer', ACCEPT, { input: { assignmentId: shareId, version: 1 } }));
    const request = dataOf(
      await as('jwOfficer', EXTEND, {
        input: {
          assignmentId: shareId,
          version: 2,
          newDueAt: '2026-12-25T15:59:59.000Z',
          reason: '受天气影响',
          comment: '',
        },
      }),
    ).requestExtension;
    expect(request.steps.find((s) => s.name === '责任领导审定')?.approvers).toEqual([{ username: 'leader' }]);
  });
});
