import { FixedClock } from '@zhezi/core';
import { graphql } from './gql';
import type { TypedDocumentString } from './gql/graphql';
import { dataOf, outcomeOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const CREATE_CHANNEL = graphql(`
  mutation NotificationChannelSecretsCreateChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      id
      url
    }
  }
`);
const CHANNELS = graphql(`
  query NotificationChannelSecretsChannels($id: ID!) {
    notificationChannels(orgUnitId: $id) {
      id
      kind
      name
      url
      active
    }
  }
`);
const ACCEPT = graphql(`
  mutation NotificationChannelSecretsAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const EXTEND = graphql(`
  mutation NotificationChannelSecretsRequestExtension($input: RequestExtensionInput!) {
    requestExtension(input: $input) {
      id
    }
  }
`);
const DECIDE = graphql(`
  mutation NotificationChannelSecretsDecide($input: DecideApprovalInput!) {
    decideApproval(input: $input) {
      status
    }
  }
`);
const DELIVERIES = graphql(`
  query NotificationChannelSecretsDeliveries {
    myNotifications(first: 50) {
      edges {
        node {
          subjectId
          title
          deliveries {
            channelId
            target
          }
        }
      }
    }
  }
`);
const TRAIL = graphql(`
  query NotificationChannelSecretsTrail($id: ID!) {
    auditTrail(entityId: $id) {
      action
      after
    }
  }
`);

const TOKEN = 'TOKEN-6f1c2d9e0a';
const SECRET = 'SEC-8b7a6c5d4e';
const ROBOT_URL = `https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`;
const MASKED = 'https://oapi.dingtalk.com/***';

type Username = keyof TestApi['fixture']['users'];

/** A robot's address is a credential: only admins and the unit's head read it; nobody reads its secret. */
describe('notification channel addresses and secrets (e2e over HTTP)', () => {
  const clock = new FixedClock(new Date('2026-11-25T04:00:00Z'));
  let api: TestApi;
  let channelId: string;

  beforeAll(async () => {
    api = await startTestApi({ clock });
    const input = {
      orgUnitId: api.fixture.units.zgc.id,
      kind: 'DINGTALK' as const,
      name: '中关村街道钉钉群',
      url: ROBOT_URL,
      secret: SECRET,
    };
    const created = dataOf(
      await api.gql(CREATE_CHANNEL, { input }, await api.token('zgcHead')),
    ).createNotificationChannel;
    expect(created.url).toBe(ROBOT_URL);
    channelId = created.id;
  });

  afterAll(() => api.close());

  const gqlAs = async <R, V>(user: Username, query: TypedDocumentString<R, V>, variables: V) =>
    api.gql(query, variables, await api.token(user));

  it('lists the address in full to admins and the unit head, masked to officers, leaders and inspectors', async () => {
    const urlSeenBy = async (user: Username) => {
      const result = await gqlAs(user, CHANNELS, { id: api.fixture.units.zgc.id });
      expect(JSON.stringify(result)).not.toContain(SECRET);
      return dataOf(result).notificationChannels.map((c) => [c.id, c.url]);
    };
    for (const user of ['zgcHead', 'admin'] as const)
      expect(await urlSeenBy(user)).toEqual([[channelId, ROBOT_URL]]);
    for (const user of ['zgcOfficer', 'leader', 'inspector'] as const)
      expect(await urlSeenBy(user)).toEqual([[channelId, MASKED]]);
    expect(outcomeOf(await gqlAs('xylOfficer', CHANNELS, { id: api.fixture.units.zgc.id }))).toBe(
      'FORBIDDEN',
    );

    // The secret is no field at all, for anyone (an unknown field on purpose: a plain string).
    const asked = await api.gql(
      `query($id: ID!) { notificationChannels(orgUnitId: $id) { secret } }`,
      { id: api.fixture.units.zgc.id },
      await api.token('admin'),
    );
    expect(outcomeOf(asked)).toBe('GRAPHQL_VALIDATION_FAILED');

    // The unit's officers read the channel's audit trail: neither the token nor the secret is in it.
    const trail = await gqlAs('zgcOfficer', TRAIL, { id: channelId });
    expect(dataOf(trail).auditTrail).toEqual([
      expect.objectContaining({
        action: 'notificationChannel.create',
        after: expect.objectContaining({ url: MASKED, secretSet: true }) as unknown,
      }),
    ]);
    expect(JSON.stringify(trail)).not.toContain(TOKEN);
    expect(JSON.stringify(trail)).not.toContain(SECRET);
  });

  it('masks a robot delivery’s target for an officer, not for the unit head', async () => {
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const dueAt = '2026-12-15T15:59:59.000Z';
    const task = await ops.createTask(leader, {
      planId: api.fixture.plan.id,
      title: '渠道地址测试任务',
      responsibleLeaderId: api.fixture.users.leader.id,
      dueAt,
    });
    const [share] = await ops.assignTask(leader, task.id, [{ orgUnitId: api.fixture.units.zgc.id, dueAt }]);
    dataOf(await gqlAs('zgcOfficer', ACCEPT, { input: { assignmentId: share.id, version: 1 } }));
    const input = {
      assignmentId: share.id,
      version: 2,
      newDueAt: '2026-12-25T15:59:59.000Z',
      reason: '受天气影响',
      comment: '',
    };
    const requestId = dataOf(await gqlAs('zgcOfficer', EXTEND, { input })).requestExtension.id;
    // The head's turn reaches him and the unit's robot; the approval reaches the officer and the robot.
    for (const user of ['zgcHead', 'inspector', 'leader'] as const)
      dataOf(await gqlAs(user, DECIDE, { input: { requestId, decision: 'APPROVE', comment: '' } }));

    const targetsSeenBy = async (user: Username) => {
      const result = await gqlAs(user, DELIVERIES, {});
      const { edges } = dataOf(result).myNotifications;
      return edges
        .filter((e) => e.node.subjectId === requestId)
        .flatMap((e) => e.node.deliveries.map((d) => [d.channelId, d.target]));
    };
    expect(await targetsSeenBy('zgcHead')).toEqual([[channelId, ROBOT_URL]]);
    expect(await targetsSeenBy('zgcOfficer')).toEqual([[channelId, MASKED]]);
  });
});
