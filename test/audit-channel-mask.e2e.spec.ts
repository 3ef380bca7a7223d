import { writeAuditEvent } from '@zhezi/audit';
import { FixedClock } from '@zhezi/core';
import { graphql } from './gql';
import { dataOf } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const NOW = new Date('2026-11-25T04:00:00Z');
const CREATE_CHANNEL = graphql(`
  mutation AuditChannelMaskCreateChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      id
    }
  }
`);
const TRAIL = graphql(`
  query AuditChannelMaskTrail($id: ID!) {
    auditTrail(entityId: $id) {
      action
      before
      after
    }
  }
`);
const VERIFY = graphql(`
  query AuditChannelMaskVerify {
    verifyAuditChain {
      ok
    }
  }
`);

const TOKEN = 'TOKEN-0a9b8c7d6e';
const OLD_URL = `https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`;
const NEW_URL = `https://open.feishu.cn/open-apis/bot/v2/hook/${TOKEN}`;

type Username = keyof TestApi['fixture']['users'];

/**
 * Channel events written before addresses were masked at write time still hold them in full; the chain
 * forbids rewriting them, so the trail masks them on read for whoever does not manage the unit's channels.
 */
describe('channel addresses in old audit rows (e2e over HTTP)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ clock: new FixedClock(NOW) });
  });

  afterAll(() => api.close());

  const trailAs = async (user: Username, id: string) =>
    dataOf(await api.gql(TRAIL, { id }, await api.token(user))).auditTrail;

  it('masks a full address for officers and leaders, shows it to the unit head and admins', async () => {
    const { zgc } = api.fixture.units;
    const { id: channelId } = dataOf(
      await api.gql(
        CREATE_CHANNEL,
        {
          input: { orgUnitId: zgc.id, kind: 'DINGTALK', name: '中关村街道钉钉群', url: OLD_URL },
        },
        await api.token('zgcHead'),
      ),
    ).createNotificationChannel;
    // As the service wrote it before the masking change: the address in full, on the chain.
    await api.dataSource.transaction((manager) =>
      writeAuditEvent(
        manager,
        NOW,
        { userId: null, displayName: '系统' },
        {
          action: 'notificationChannel.update',
          entityType: 'NotificationChannel',
          entityId: channelId,
          unitIds: [zgc.id],
          before: { id: channelId, orgUnitId: zgc.id, url: OLD_URL },
          after: { id: channelId, orgUnitId: zgc.id, url: NEW_URL, target: NEW_URL },
        },
      ),
    );

    for (const user of ['zgcOfficer', 'leader', 'inspector'] as const) {
      const trail = await trailAs(user, channelId);
      expect(JSON.stringify(trail)).not.toContain(TOKEN);
      expect(trail.at(-1)).toMatchObject({
        before: { url: 'https://oapi.dingtalk.com/***' },
        after: { url: 'https://open.feishu.cn/***', target: 'https://open.feishu.cn/***' },
      });
    }
    for (const user of ['zgcHead', 'admin'] as const) {
      expect((await trailAs(user, channelId)).at(-1)).toMatchObject({
        before: { url: OLD_URL },
        after: { url: NEW_URL, target: NEW_URL },
      });
    }
    const verified = dataOf(await api.gql(VERIFY, {}, await api.token('admin')));
    expect(verified.verifyAuditChain.ok).toBe(true);
  });
});
