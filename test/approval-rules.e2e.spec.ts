import { FixedClock } from '@zhezi/core';
import { graphql } from './gql';
import type { ApprovalRulesStepFragment } from './gql/graphql';
import { dataOf, outcomeOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

graphql(`
  fragment ApprovalRulesStep on ApprovalStep {
    name
    mode
    status
    approvers {
      username
    }
  }
`);

const ACCEPT = graphql(`
  mutation ApprovalRulesAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const CLOSE_OUT = graphql(`
  mutation ApprovalRulesRequestCloseOut($input: RequestCloseOutInput!) {
    requestCloseOut(input: $input) {
      id
      steps {
        ...ApprovalRulesStep
      }
    }
  }
`);
const EXTEND = graphql(`
  mutation ApprovalRulesRequestExtension($input: RequestExtensionInput!) {
    requestExtension(input: $input) {
      id
    }
  }
`);
const DECIDE = graphql(`
  mutation ApprovalRulesDecide($input: DecideApprovalInput!) {
    decideApproval(input: $input) {
      status
    }
  }
`);
const WITHDRAW = graphql(`
  mutation ApprovalRulesWithdraw($id: ID!) {
    withdrawApproval(requestId: $id) {
      status
    }
  }
`);
const VERSION = graphql(`
  query ApprovalRulesVersion($id: ID!) {
    assignment(id: $id) {
      version
      status
    }
  }
`);

type Username = keyof TestApi['fixture']['users'] | 'mayor' | 'deputy2';

const NOW = new Date('2026-11-25T04:00:00Z');
const DUE = '2026-12-15T15:59:59.000Z';

describe('approval rules: one open request per kind, who signs off, who withdraws (e2e over HTTP)', () => {
  const clock = new FixedClock(NOW);
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ clock });
    // Two more district leaders: the 区长 and another deputy (the fixture's leader is a 副区长 without a title).
    await api.dataSource.query(
      `INSERT INTO app_user (username, display_name, title, password_hash, role, org_unit_id)
       SELECT v.username, v.display_name, v.title, u.password_hash, 'LEADER', u.org_unit_id
       FROM app_user u, (VALUES ('mayor', '区长甲', '区长'), ('deputy2', '副区长乙', '副区长'))
         AS v(username, display_name, title)
       WHERE u.username = 'leader'`,
    );
  });

  afterAll(() => api.close());

  beforeEach(() => clock.set(NOW));

  /** A task for 中关村街道 alone, signed for; with or without a responsible leader. */
  async function acceptedShare(title: string, responsibleLeader: boolean) {
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const task = await ops.createTask(leader, {
      planId: api.fixture.plan.id,
      title,
      dueAt: DUE,
      ...(responsibleLeader && { responsibleLeaderId: api.fixture.users.leader.id }),
    });
    const [share] = await ops.assignTask(leader, task.id, [
      { orgUnitId: api.fixture.units.zgc.id, dueAt: DUE },
    ]);
    dataOf(
      await api.gql(ACCEPT, { input: { assignmentId: share.id, version: 1 } }, await api.token('zgcOfficer')),
    );
    return share.id;
  }

  const versionOf = async (id: string) =>
    dataOf(await api.gql(VERSION, { id }, await api.token('leader'))).assignment.version;

  const closeOut = async (id: string, user: Username = 'zgcOfficer') =>
    api.gql(
      CLOSE_OUT,
      { input: { assignmentId: id, version: await versionOf(id), comment: '已完成' } },
      await api.token(user),
    );

  const extend = async (id: string, user: Username = 'zgcOfficer', newDueAt = '2026-12-25T15:59:59.000Z') =>
    api.gql(
      EXTEND,
      {
        input: {
          assignmentId: id,
          version: await versionOf(id),
          newDueAt,
          reason: '受天气影响',
          comment: '',
        },
      },
      await api.token(user),
    );

  const decide = async (user: Username, requestId: string) =>
    api.gql(DECIDE, { input: { requestId, decision: 'APPROVE', comment: '' } }, await api.token(user));

  const withdraw = async (user: Username, requestId: string) =>
    api.gql(WITHDRAW, { id: requestId }, await api.token(user));

  it('refuses a second open request of a kind with CONFLICT naming the pending one', async () => {
    const id = await acceptedShare('重复申请测试任务', true);
    const first = dataOf(await extend(id)).requestExtension.id;
    const second = await extend(id, 'zgcOfficer', '2026-12-28T15:59:59.000Z');
    expect(second.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', pendingRequestId: first });
    expect(second.errors?.[0].message).toContain('已有一项延期申请在审批中（当前在“承办单位负责人审核”）');

    // Another kind is another key; a second close-out names the first, not just the share's status.
    const closing = dataOf(await closeOut(id)).requestCloseOut.id;
    const again = await closeOut(id);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', pendingRequestId: closing });
    expect(again.errors?.[0].message).toContain('已有一项销号申请在审批中');

    // Once the first is withdrawn, a new one may be opened.
    dataOf(await withdraw('zgcOfficer', first));
    expect(outcomeOf(await extend(id))).toBe('ok');
  });

  it('sends a task without a responsible leader to the 区长, or failing one, to any one leader', async () => {
    const stepOf = (steps: ApprovalRulesStepFragment[]) => steps.find((s) => s.name === '责任领导审定')!;
    const id = await acceptedShare('无责任领导测试任务', false);
    const request = dataOf(await closeOut(id)).requestCloseOut;
    expect(stepOf(request.steps)).toMatchObject({ mode: 'ANY', approvers: [{ username: 'mayor' }] });

    // With no 区长 on record, every leader is asked and the first approval decides.
    await api.dataSource.query(`UPDATE app_user SET title = '副区长' WHERE username = 'mayor'`);
    try {
      const other = await acceptedShare('无区长测试任务', false);
      const open = dataOf(await closeOut(other)).requestCloseOut;
      const leaders = stepOf(open.steps);
      expect(leaders.mode).toBe('ANY');
      expect(leaders.approvers.map((a) => a.username).sort()).toEqual(['deputy2', 'leader', 'mayor']);
      for (const user of ['zgcHead', 'inspector'] as const) dataOf(await decide(user, open.id));
      expect(dataOf(await decide('deputy2', open.id)).decideApproval.status).toBe('APPROVED');
    } finally {
      await api.dataSource.query(`UPDATE app_user SET title = '区长' WHERE username = 'mayor'`);
    }
  });

  it('lets only the requester’s side withdraw: the unit its own, the 督查室 the extension it opened', async () => {
    // The unit's own close-out: the officer who asked, or a colleague (here its head).
    const own = await acceptedShare('撤回规则测试任务', true);
    const closing = dataOf(await closeOut(own)).requestCloseOut.id;
    expect(outcomeOf(await withdraw('inspector', closing))).toBe('FORBIDDEN');
    expect(dataOf(await withdraw('zgcHead', closing)).withdrawApproval.status).toBe('WITHDRAWN');

    // Past the deadline the 督查室 opens the extension: the unit sees it but may not take it back.
    const overdue = await acceptedShare('逾期延期撤回测试任务', true);
    clock.set(new Date('2026-12-20T02:00:00Z'));
    const opened = dataOf(await extend(overdue, 'inspector', '2026-12-30T15:59:59.000Z')).requestExtension.id;
    for (const user of ['zgcOfficer', 'zgcHead'] as const)
      expect(outcomeOf(await withdraw(user, opened))).toBe('FORBIDDEN');
    expect(dataOf(await withdraw('inspector', opened)).withdrawApproval.status).toBe('WITHDRAWN');
  });
});
