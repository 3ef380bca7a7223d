import { FixedClock } from '@zhezi/core';
import { graphql } from './gql';
import type { ApprovalDecisionKind } from './gql/graphql';
import { dataOf, outcomeOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const ACCEPT = graphql(`
  mutation ApprovalNotificationsAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const CLOSE_OUT = graphql(`
  mutation ApprovalNotificationsRequestCloseOut($input: RequestCloseOutInput!) {
    requestCloseOut(input: $input) {
      id
    }
  }
`);
const EXTEND = graphql(`
  mutation ApprovalNotificationsRequestExtension($input: RequestExtensionInput!) {
    requestExtension(input: $input) {
      id
    }
  }
`);
const DECIDE = graphql(`
  mutation ApprovalNotificationsDecide($input: DecideApprovalInput!) {
    decideApproval(input: $input) {
      status
    }
  }
`);
const WITHDRAW = graphql(`
  mutation ApprovalNotificationsWithdraw($id: ID!) {
    withdrawApproval(requestId: $id) {
      status
    }
  }
`);
const CREATE_CHANNEL = graphql(`
  mutation ApprovalNotificationsCreateChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      id
    }
  }
`);
const NOTIFICATIONS = graphql(`
  query ApprovalNotificationsMine {
    myNotifications(first: 50) {
      edges {
        node {
          id
          kind
          title
          body
          subjectType
          subjectId
          link
        }
      }
    }
  }
`);
const STEPS = graphql(`
  query ApprovalNotificationsSteps($id: ID!) {
    approvalRequest(id: $id) {
      status
      steps {
        name
        status
      }
    }
  }
`);
const SHARE_REQUESTS = graphql(`
  query ApprovalNotificationsShareRequests($id: ID!) {
    assignment(id: $id) {
      version
      approvalRequests {
        id
        kind
        status
        steps {
          status
        }
      }
    }
  }
`);
const ASSIGNMENT_REQUESTS = graphql(`
  query ApprovalNotificationsAssignmentRequests($first: Int) {
    myAssignments(first: $first) {
      edges {
        node {
          approvalRequests {
            id
            steps {
              status
            }
          }
        }
      }
    }
  }
`);

type Username = keyof TestApi['fixture']['users'];

describe('approvals tell approvers and requesters (e2e over HTTP)', () => {
  const clock = new FixedClock(new Date('2026-11-25T04:00:00Z'));
  let api: TestApi;
  let channelId: string;

  beforeAll(async () => {
    api = await startTestApi({ clock });
    const input = {
      orgUnitId: api.fixture.units.zgc.id,
      kind: 'WEBHOOK' as const,
      name: '中关村街道工作群',
      url: 'http://127.0.0.1:9/hook',
    };
    channelId = dataOf(await api.gql(CREATE_CHANNEL, { input }, await api.token('zgcHead')))
      .createNotificationChannel.id;
  });

  afterAll(() => api.close());

  /** A task led by 区发展改革委 with 王副区长 responsible, split to 中关村街道, which has signed for its part. */
  async function acceptedPart(title: string) {
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const task = await ops.createTask(leader, {
      planId: api.fixture.plan.id,
      title,
      responsibleLeaderId: api.fixture.users.leader.id,
      dueAt: '2026-12-31T15:59:59.000Z',
    });
    const [share] = await ops.assignTask(leader, task.id, [
      { orgUnitId: api.fixture.units.fgw.id, dueAt: '2026-12-31T15:59:59.000Z' },
    ]);
    const [part] = await ops.split(await api.token('fgwOfficer'), share.id, [
      { orgUnitId: api.fixture.units.zgc.id, dueAt: '2026-12-15T15:59:59.000Z' },
    ]);
    dataOf(
      await api.gql(ACCEPT, { input: { assignmentId: part.id, version: 1 } }, await api.token('zgcOfficer')),
    );
    return part.id;
  }

  const versionOf = async (partId: string) =>
    dataOf(await api.gql(SHARE_REQUESTS, { id: partId }, await api.token('zgcOfficer'))).assignment.version;

  const requestCloseOut = async (partId: string) =>
    dataOf(
      await api.gql(
        CLOSE_OUT,
        { input: { assignmentId: partId, version: await versionOf(partId), comment: '已完成' } },
        await api.token('zgcOfficer'),
      ),
    ).requestCloseOut.id;

  const decide = async (
    user: Username,
    requestId: string,
    decision: ApprovalDecisionKind = 'APPROVE',
    comment = '',
  ) =>
    dataOf(await api.gql(DECIDE, { input: { requestId, decision, comment } }, await api.token(user)))
      .decideApproval;

  /** The APPROVAL notifications a user has about one request, oldest first. */
  const told = async (user: Username, requestId: string) =>
    dataOf(await api.gql(NOTIFICATIONS, {}, await api.token(user)))
      .myNotifications.edges.map((e) => e.node)
      .filter((n) => n.kind === 'APPROVAL' && n.subjectId === requestId)
      .reverse();

  it('tells each step its turn and the requester the rejection with its comment; later steps are not reached', async () => {
    const partId = await acceptedPart('审批通知测试任务');
    const requestId = await requestCloseOut(partId);

    // Only the first step's approver hears of it, with a link to the request.
    const [first] = await told('zgcHead', requestId);
    expect(first).toMatchObject({
      title: '【待审批】销号：审批通知测试任务',
      subjectType: 'ApprovalRequest',
      link: `/approvals/${requestId}`,
    });
    expect(first.body).toContain('中关村街道提交的销号申请“审批通知测试任务”已到“承办单位负责人审核”');
    expect(first.body).toContain('说明：已完成');
    for (const user of ['fgwHead', 'inspector', 'leader', 'zgcOfficer'] as const)
      expect(await told(user, requestId)).toEqual([]);

    await decide('zgcHead', requestId);
    expect((await told('fgwHead', requestId)).map((n) => n.title)).toEqual([
      '【待审批】销号：审批通知测试任务',
    ]);
    expect(await told('inspector', requestId)).toEqual([]);
    await decide('fgwHead', requestId);
    expect(await told('inspector', requestId)).toHaveLength(1);
    await decide('inspector', requestId, 'REJECT', '缺少验收材料');

    const [rejected] = await told('zgcOfficer', requestId);
    expect(rejected.title).toBe('【审批退回】销号：审批通知测试任务');
    expect(rejected.body).toContain('在“督查室审核”被督查员李退回');
    expect(rejected.body).toContain('意见：缺少验收材料');
    expect(await told('leader', requestId)).toEqual([]);

    const steps = dataOf(await api.gql(STEPS, { id: requestId }, await api.token('zgcOfficer')))
      .approvalRequest.steps;
    expect(steps.map((s) => s.status)).toEqual(['APPROVED', 'APPROVED', 'REJECTED', 'NOT_REACHED']);

    // The unit's robot hears of its head's turn and of the rejection, once each, through the outbox.
    const deliveries = await api.dataSource.query<{ title: string }[]>(
      `SELECT n.title FROM notification_delivery d JOIN notification n ON n.id = d.notification_id
       WHERE d.channel_id = $1 AND n.subject_id = $2 ORDER BY d.created_at`,
      [channelId, requestId],
    );
    expect(deliveries.map((d) => d.title)).toEqual([
      '【待审批】销号：审批通知测试任务',
      '【审批退回】销号：审批通知测试任务',
    ]);
    const [{ n }] = await api.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM outbox_event e JOIN notification x ON x.id = e.aggregate_id
       WHERE e.type = 'DeliveriesCreated' AND x.subject_id = $1`,
      [requestId],
    );
    expect(n).toBe(2);
  });

  it('tells the requester of an approval, and lists a share’s requests newest first', async () => {
    const partId = await acceptedPart('审批通过通知测试任务');
    const extension = dataOf(
      await api.gql(
        EXTEND,
        {
          input: {
            assignmentId: partId,
            version: await versionOf(partId),
            newDueAt: '2026-12-25T15:59:59.000Z',
            reason: '施工受降雪影响',
            comment: '',
          },
        },
        await api.token('zgcOfficer'),
      ),
    ).requestExtension.id;
    const [asked] = await told('zgcHead', extension);
    expect(asked.body).toContain('申请延至2026年12月25日；说明：施工受降雪影响');
    for (const user of ['zgcHead', 'inspector', 'leader'] as const) await decide(user, extension);
    expect((await told('zgcOfficer', extension)).map((n) => [n.title, n.body])).toEqual([
      [
        '【审批通过】延期：审批通过通知测试任务',
        '中关村街道提交的延期申请“审批通过通知测试任务”已审批通过。',
      ],
    ]);

    clock.set(new Date('2026-11-25T05:00:00Z'));
    const closeOut = await requestCloseOut(partId);
    expect(dataOf(await api.gql(WITHDRAW, { id: closeOut }, await api.token('zgcOfficer')))).toBeTruthy();

    const listed = async (user: Username) => api.gql(SHARE_REQUESTS, { id: partId }, await api.token(user));
    const mine = dataOf(await listed('zgcOfficer')).assignment.approvalRequests;
    expect(mine.map((r) => [r.id, r.kind, r.status])).toEqual([
      [closeOut, 'CLOSE_OUT', 'WITHDRAWN'],
      [extension, 'EXTENSION', 'APPROVED'],
    ]);
    expect(mine[0].steps.map((s) => s.status)).toEqual([
      'NOT_REACHED',
      'NOT_REACHED',
      'NOT_REACHED',
      'NOT_REACHED',
    ]);
    // The department that split the part sees them too; another subdistrict sees neither share nor requests.
    expect(dataOf(await listed('fgwOfficer')).assignment.approvalRequests).toHaveLength(2);
    expect(outcomeOf(await listed('xylOfficer'))).toBe('FORBIDDEN');

    // One batch per level, not one query per share: a page of one share costs what a page of all does.
    const zgc = await api.token('zgcOfficer');
    const cost = async (first: number) => {
      const before = api.queryCount();
      const page = dataOf(await api.gql(ASSIGNMENT_REQUESTS, { first }, zgc));
      return { shares: page.myAssignments.edges.length, statements: api.queryCount() - before };
    };
    const one = await cost(1);
    const all = await cost(50);
    expect([one.shares, all.shares]).toEqual([1, 2]);
    expect(all.statements).toBe(one.statements);
  });
});
