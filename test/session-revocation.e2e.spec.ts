import { createClient } from 'graphql-ws';
// Node 20 has no global WebSocket.
import WebSocket from 'ws';
import { NotificationKind, NotificationService } from '@zhezi/notify';
import { graphql } from './gql';
import type { SessionRevocationNotificationAddedSubscription } from './gql/graphql';
import { dataOf } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const NOTIFICATIONS = graphql(`
  subscription SessionRevocationNotificationAdded {
    notificationAdded {
      title
    }
  }
`);
const DISABLE = graphql(`
  mutation SessionRevocationDisableUser($id: ID!) {
    disableUser(id: $id) {
      id
    }
  }
`);
const SIGN_OUT_EVERYWHERE = graphql(`
  mutation SessionRevocationSignOutEverywhere {
    signOutEverywhere
  }
`);

const WAIT_MS = 10_000;

/** Resolves once `check` holds, polling; rejects after `ms`. */
async function eventually(check: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('revoked sessions beyond GraphQL over HTTP', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(() => api.close());

  it('a live subscription ends at the next event once the user is disabled', async () => {
    const user = api.fixture.users.qhOfficer;
    const token = await api.token('qhOfficer');
    const received: string[] = [];
    let closed: { code: number; reason: string } | null = null;
    const client = createClient({
      url: api.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      on: { closed: (event) => (closed = event as { code: number; reason: string }) },
    });
    client.subscribe<SessionRevocationNotificationAddedSubscription>(
      { query: String(NOTIFICATIONS) },
      {
        next: (result) => result.data && received.push(result.data.notificationAdded.title),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    const notifications = api.app.get(NotificationService);
    const notify = (title: string) =>
      api.dataSource.transaction((manager) =>
        notifications.notify(manager, {
          userIds: [user.id],
          kind: NotificationKind.DIGEST,
          title,
          body: title,
          subjectType: null,
          subjectId: null,
          path: null,
          dedupeKey: title,
        }),
      );
    try {
      // graphql-ws does not say when a subscription is in place: probe until one arrives.
      for (let attempt = 0; received.length === 0; attempt++) {
        await notify(`探测${attempt}`);
        await eventually(() => received.length > 0, 'a probe', 250).catch((error: unknown) => {
          if (attempt >= 20) throw error;
        });
      }
      const admin = await api.token('admin');
      dataOf(await api.gql(DISABLE, { id: user.id }, admin));
      const before = received.length;
      await notify('停用后的通知');
      await eventually(() => closed !== null, 'the socket to close');
      expect(received).toHaveLength(before);
      expect(closed!.reason).toContain('停用');
    } finally {
      await client.dispose();
    }
  });

  it('the queue board refuses its cookie once the admin signs out everywhere', async () => {
    const token = await api.token('admin');
    const base = api.url.replace(/\/graphql$/, '');
    const first = await fetch(`${base}/admin/queues?token=${token}`, { redirect: 'manual' });
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie')!.split(';')[0];
    expect((await fetch(`${base}/admin/queues`, { headers: { cookie } })).status).toBe(200);

    dataOf(await api.gql(SIGN_OUT_EVERYWHERE, {}, token));
    expect((await fetch(`${base}/admin/queues`, { headers: { cookie } })).status).toBe(401);
    const bearer = await fetch(`${base}/admin/queues`, { headers: { authorization: `Bearer ${token}` } });
    expect(bearer.status).toBe(401);
  });
});
