import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import { SMTPServer } from 'smtp-server';
import { FixedClock } from '@zhezi/core';
import { EscalationEngine } from '@zhezi/deadline';
import {
  ChannelKind,
  DeliveryService,
  NotificationKind,
  NotificationService,
  verifyWebhookSignature,
  type PendingDelivery,
} from '@zhezi/notify';
import { graphql } from './gql';
import type {
  CreateNotificationChannelInput,
  NotificationsAddedSubscription,
  NotificationsCreateChannelMutation,
  NotificationsInboxQueryVariables,
} from './gql/graphql';
import { dataOf, outcomeOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';
// Node 20 has no global WebSocket.
import WebSocket from 'ws';

const INBOX = graphql(`
  query NotificationsInbox($first: Int, $after: String, $unreadOnly: Boolean! = false) {
    unreadNotificationCount
    myNotifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        cursor
        node {
          id
          kind
          title
          body
          createdAt
          readAt
          subjectType
          subjectId
          link
        }
      }
    }
  }
`);
const MARK_READ = graphql(`
  mutation NotificationsMarkRead($ids: [ID!]!) {
    markNotificationsRead(ids: $ids) {
      id
      title
      readAt
    }
  }
`);
const MARK_ALL_READ = graphql(`
  mutation NotificationsMarkAllRead {
    markAllNotificationsRead
  }
`);
const DELIVERIES = graphql(`
  query NotificationsDeliveries {
    myNotifications(first: 100) {
      edges {
        node {
          id
          title
          deliveries {
            id
            channelKind
            channelId
            target
            status
            attempts
            lastError
            sentAt
          }
        }
      }
    }
  }
`);
const ATTEMPT_LOGS = graphql(`
  query NotificationsAttemptLogs {
    myNotifications(first: 100) {
      edges {
        node {
          id
          deliveries {
            id
            attemptLog {
              ok
              statusCode
              error
            }
          }
        }
      }
    }
  }
`);
const CREATE_CHANNEL = graphql(`
  mutation NotificationsCreateChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      id
      orgUnitId
      kind
      name
      url
      active
      version
    }
  }
`);
const UPDATE_CHANNEL = graphql(`
  mutation NotificationsUpdateChannel($input: UpdateNotificationChannelInput!) {
    updateNotificationChannel(input: $input) {
      id
      active
      version
    }
  }
`);
const CHANNELS = graphql(`
  query NotificationsChannels($id: ID!) {
    notificationChannels(orgUnitId: $id) {
      id
      kind
      name
      url
      active
    }
  }
`);
const SEND_TEST = graphql(`
  mutation NotificationsSendTest($id: ID!) {
    sendTestNotification(channelId: $id) {
      channelId
      status
      attempts
      lastError
      title
      target
      attemptLog {
        ok
        statusCode
      }
    }
  }
`);
const CHANNEL_DELIVERIES = graphql(`
  query NotificationsChannelDeliveries($id: ID!) {
    notificationChannelDeliveries(channelId: $id) {
      totalCount
      edges {
        node {
          status
        }
      }
    }
  }
`);
const ADDED = graphql(`
  subscription NotificationsAdded {
    notificationAdded {
      id
      title
      kind
      subjectId
    }
  }
`);

type Added = NotificationsAddedSubscription['notificationAdded'];

interface HookRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Mail {
  to: string[];
  raw: string;
}

type Username = keyof TestApi['fixture']['users'];

const START = new Date('2026-03-02T02:00:00Z'); // Monday 10:00 in Beijing
const DUE = '2026-03-06T15:59:59.999Z'; // the end of that Friday
const WAIT_MS = 5000;

/** A local HTTP endpoint that records every request and answers with whatever `reply` says at the time. */
async function startHookServer() {
  const requests: HookRequest[] = [];
  const reply = { status: 200, body: '{"ok":true}' };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, requests, reply, base: `http://127.0.0.1:${port}` };
}

/** A plain SMTP server on an ephemeral port, collecting what it is sent. */
async function startSmtpServer() {
  const received: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 100,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('latin1'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, received, port: (server.server.address() as AddressInfo).port };
}

/** A header of a raw message, unfolded, with its RFC 2047 encoded words decoded (adjacent words as bytes). */
function mailHeader(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (!line) return undefined;
  const qp = (text: string) =>
    Buffer.from(
      text
        .replace(/_/g, ' ')
        .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    );
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/=\?[^?]+\?[BQ]\?[^?]*\?=(\s+=\?[^?]+\?[BQ]\?[^?]*\?=)*/gi, (run) =>
      Buffer.concat(
        [...run.matchAll(/=\?[^?]+\?([BQ])\?([^?]*)\?=/gi)].map(([, kind, text]) =>
          kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : qp(text),
        ),
      ).toString('utf8'),
    );
}

/** A graphql-ws client subscribed to `notificationAdded`, keeping what arrives for `waitFor`. */
function subscribe(url: string, authorization: string | null) {
  const received: Added[] = [];
  const listeners = new Set<() => void>();
  let failure: unknown = null;
  const changed = () => listeners.forEach((listener) => listener());
  const client: Client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { authorization } : {},
    retryAttempts: 0,
  });
  const unsubscribe = client.subscribe<NotificationsAddedSubscription>(
    { query: String(ADDED) },
    {
      // A refused subscription ends with one result carrying the errors (graphql-ws sends `error` only for
      // operations that do not validate).
      next: (result) => {
        if (result.errors) failure = result.errors;
        if (result.data) received.push(result.data.notificationAdded);
        changed();
      },
      error: (error) => {
        failure = error ?? 'error';
        changed();
      },
      complete: () => undefined,
    },
  );

  /** Resolves with whatever `check` finds once it finds something, or rejects after `ms`. */
  function until<T>(check: () => T | undefined, what: string, ms = WAIT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const tryNow = () => {
        const found = check();
        if (found === undefined) return;
        clearTimeout(timer);
        listeners.delete(tryNow);
        resolve(found);
      };
      const timer = setTimeout(() => {
        listeners.delete(tryNow);
        reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      }, ms);
      listeners.add(tryNow);
      tryNow();
    });
  }

  return {
    received,
    waitFor: (match: (n: Added) => boolean, what: string, ms?: number) =>
      until(() => received.find(match), what, ms),
    refused: () => until(() => (failure === null ? undefined : failure), 'the subscription to be refused'),
    async close() {
      unsubscribe();
      await client.dispose();
    },
  };
}

type Subscriber = ReturnType<typeof subscribe>;

describe('notifications (e2e over HTTP and graphql-ws)', () => {
  const clock = new FixedClock(START);
  let api: TestApi;
  let engine: EscalationEngine;
  let notifications: NotificationService;
  let delivery: DeliveryService;
  let hooks: Awaited<ReturnType<typeof startHookServer>>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const subscribers: Subscriber[] = [];

  beforeAll(async () => {
    [hooks, smtp] = await Promise.all([startHookServer(), startSmtpServer()]);
    api = await startTestApi({
      clock,
      config: {
        smtp: {
          host: '127.0.0.1',
          port: smtp.port,
          secure: false,
          user: null,
          password: null,
          from: 'test <noreply@test>',
        },
      },
    });
    engine = api.app.get(EscalationEngine);
    notifications = api.app.get(NotificationService);
    delivery = api.app.get(DeliveryService);
  });

  afterAll(async () => {
    await Promise.all(subscribers.map((s) => s.close()));
    await api?.close();
    if (hooks) {
      hooks.server.closeAllConnections(); // fetch keeps its connections alive
      await new Promise<void>((resolve) => hooks.server.close(() => resolve()));
    }
    if (smtp) await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
  });

  const userId = (username: Username) => api.fixture.users[username].id;

  /** Writes one notification fact in its own transaction, as a service would. */
  const notify = (users: Username[], title: string, dedupeKey: string) =>
    api.dataSource.transaction((manager) =>
      notifications.notify(manager, {
        userIds: users.map(userId),
        kind: NotificationKind.DIGEST,
        title,
        body: `${title}的内容`,
        subjectType: null,
        subjectId: null,
        path: null,
        dedupeKey,
      }),
    );

  const inbox = async (username: Username, variables: NotificationsInboxQueryVariables = {}) =>
    dataOf(await api.gql(INBOX, { first: 100, ...variables }, await api.token(username)));

  /** A share of a new task for a unit, due Friday, made on Monday. */
  async function freshShare(
    unit: 'zgc' | 'xyl' | 'hd' | 'qh' | 'fgw',
    title = '通知测试任务',
  ): Promise<string> {
    clock.set(START);
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const task = await ops.createTask(leader, {
      planId: api.fixture.plan.id,
      title,
      responsibleLeaderId: userId('leader'),
      dueAt: DUE,
    });
    const [share] = await ops.assignTask(leader, task.id, [
      { orgUnitId: api.fixture.units[unit].id, dueAt: DUE },
    ]);
    return share.id;
  }

  /** Moves the clock to the share's next planned escalation and fires it, as the BullMQ job would. */
  async function fireNext(assignmentId: string): Promise<PendingDelivery[]> {
    const due = await engine.stateOf(assignmentId);
    if (!due) throw new Error(`nothing planned for ${assignmentId}`);
    clock.set(due.nextAt);
    const result = await engine.fireDue(due.nextAt, 10_000);
    if (!result.fired.some((f) => f.assignmentId === assignmentId)) throw new Error('not fired');
    return result.deliveries;
  }

  const deliveryRow = async (id: string) =>
    (
      await api.dataSource.query<
        { status: string; attempts: number; last_error: string | null; sent_at: Date | null }[]
      >(`SELECT status, attempts, last_error, sent_at FROM notification_delivery WHERE id = $1`, [id])
    )[0];

  const attemptsOf = (id: string) =>
    api.dataSource.query<{ ok: boolean; status_code: number | null; error: string | null }[]>(
      `SELECT ok, status_code, error FROM delivery_attempt WHERE delivery_id = $1 ORDER BY id`,
      [id],
    );

  /** The notification a delivery carries, with its recipient's username, for reading it back over GraphQL. */
  async function carrierOf(
    deliveryId: string,
  ): Promise<{ notificationId: string; title: string; owner: Username }> {
    const [row] = await api.dataSource.query<{ id: string; title: string; user_id: string }[]>(
      `SELECT n.id, n.title, n.user_id FROM notification_delivery d JOIN notification n ON n.id = d.notification_id
       WHERE d.id = $1`,
      [deliveryId],
    );
    const owner = (Object.keys(api.fixture.users) as Username[]).find((u) => userId(u) === row.user_id)!;
    return { notificationId: row.id, title: row.title, owner };
  }

  it('lists my notifications newest first by cursor, counts the unread, and keeps read receipts', async () => {
    const at = (minute: number) => new Date(START.getTime() + minute * 60_000);
    for (const [minute, title] of [
      [1, '消息1'],
      [2, '消息2'],
      [3, '消息3'],
      [4, '消息4'],
      [5, '消息5a'],
      [5, '消息5b'], // the same instant: the id breaks the tie
    ] as const) {
      clock.set(at(minute));
      await notify(['swjOfficer'], title, `inbox:${title}`);
    }
    clock.set(at(4));
    await notify(['qhOfficer'], '别人的消息', 'inbox:other');

    const all = await inbox('swjOfficer');
    expect(all.unreadNotificationCount).toBe(6);
    expect(all.myNotifications.totalCount).toBe(6);
    const titles = all.myNotifications.edges.map((e) => e.node.title);
    expect(titles.slice(2)).toEqual(['消息4', '消息3', '消息2', '消息1']);
    expect(titles.slice(0, 2).sort()).toEqual(['消息5a', '消息5b']);
    expect(all.myNotifications.edges[0].node).toMatchObject({
      kind: 'DIGEST',
      readAt: null,
      createdAt: at(5).toISOString(),
    });

    // Page by two: the pages add up to the whole list, in order, with no repeats at the tie.
    const paged: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const { myNotifications } = await inbox('swjOfficer', { first: 2, after });
      expect(myNotifications.totalCount).toBe(6);
      expect(myNotifications.edges).toHaveLength(2);
      expect(myNotifications.pageInfo.hasNextPage).toBe(page < 2);
      paged.push(...myNotifications.edges.map((e) => e.node.title));
      after = myNotifications.pageInfo.endCursor;
    }
    expect(paged).toEqual(titles);
    const bad = await api.gql(INBOX, { first: 2, after: 'not-a-cursor' }, await api.token('swjOfficer'));
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });

    // Read receipts: the time of the first reading, kept.
    const byTitle = new Map(all.myNotifications.edges.map((e) => [e.node.title, e.node.id]));
    const swj = await api.token('swjOfficer');
    clock.set(at(30));
    const read = dataOf(
      await api.gql(MARK_READ, { ids: [byTitle.get('消息2')!, byTitle.get('消息4')!] }, swj),
    ).markNotificationsRead;
    expect(read.map((n) => n.readAt)).toEqual([at(30).toISOString(), at(30).toISOString()]);
    const unread = await inbox('swjOfficer', { unreadOnly: true });
    expect(unread.unreadNotificationCount).toBe(4);
    expect(unread.myNotifications.totalCount).toBe(4);
    const unreadTitles = unread.myNotifications.edges.map((e) => e.node.title);
    expect(unreadTitles).not.toContain('消息2');
    expect(unreadTitles).not.toContain('消息4');
    expect(unreadTitles.slice(2)).toEqual(['消息3', '消息1']);

    clock.set(at(40));
    const again = dataOf(
      await api.gql(MARK_READ, { ids: [byTitle.get('消息2')!] }, swj),
    ).markNotificationsRead;
    expect(again[0].readAt).toBe(at(30).toISOString());

    // Someone else's notification is NOT_FOUND, and nothing of the request is applied.
    const [other] = (await inbox('qhOfficer')).myNotifications.edges;
    const refused = await api.gql(MARK_READ, { ids: [byTitle.get('消息1')!, other.node.id] }, swj);
    expect(outcomeOf(refused)).toBe('NOT_FOUND');
    expect(outcomeOf(await api.gql(MARK_READ, { ids: ['4b6f2a52-55a6-4c9e-9f0e-3c8b7a1d2e3f'] }, swj))).toBe(
      'NOT_FOUND',
    );
    expect((await inbox('swjOfficer')).unreadNotificationCount).toBe(4);
    expect((await inbox('qhOfficer')).myNotifications.edges[0].node.readAt).toBeNull();
    expect(outcomeOf(await api.gql(INBOX, {}))).toBe('UNAUTHENTICATED');

    expect(dataOf(await api.gql(MARK_ALL_READ, {}, swj))).toEqual({
      markAllNotificationsRead: 4,
    });
    expect((await inbox('swjOfficer')).unreadNotificationCount).toBe(0);
    expect(dataOf(await api.gql(MARK_ALL_READ, {}, swj))).toEqual({ markAllNotificationsRead: 0 });
    expect((await inbox('qhOfficer')).unreadNotificationCount).toBe(1);

    const audit = await api.dataSource.query<{ action: string }[]>(
      `SELECT action FROM audit_event WHERE actor_id = $1 AND action LIKE 'notification.%' ORDER BY id`,
      [userId('swjOfficer')],
    );
    expect(audit.map((a) => a.action)).toEqual(['notification.read', 'notification.read_all']);
  });

  it('never tells the same fact to a person twice', async () => {
    const count = async (where: string, params: unknown[]) =>
      (
        await api.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM notification WHERE ${where}`,
          params,
        )
      )[0].n;

    await notify(['hdOfficer', 'hdOfficer'], '同一件事', 'dedupe:1');
    await notify(['hdOfficer'], '同一件事（重发）', 'dedupe:1');
    await api.dataSource.transaction(async (manager) => {
      const fact = {
        userIds: [userId('hdOfficer')],
        kind: NotificationKind.DIGEST,
        title: '同一事务内两次',
        body: '',
        subjectType: null,
        subjectId: null,
        path: null,
        dedupeKey: 'dedupe:2',
      };
      await notifications.notify(manager, fact);
      expect(await notifications.notify(manager, fact)).toEqual([]);
    });
    expect(await count('user_id = $1 AND dedupe_key LIKE $2', [userId('hdOfficer'), 'dedupe:%'])).toBe(2);
    expect(await count('dedupe_key = $1', ['dedupe:1'])).toBe(1);

    // The same slot's job, run twice (and twice at once), tells the unit once.
    const id = await freshShare('hd', '重复作业测试任务');
    const due = (await engine.stateOf(id))!;
    clock.set(due.nextAt);
    const fire = async () =>
      (await engine.fireDue(due.nextAt, 10_000)).fired.filter((f) => f.assignmentId === id);
    expect((await Promise.all([fire(), fire()])).flat()).toHaveLength(1);
    expect(await fire()).toEqual([]);
    expect(await count(`subject_id = $1 AND kind = 'ESCALATION'`, [id])).toBe(1);
  });

  it('pushes a new notification live to its recipient only, and refuses a subscription without a token', async () => {
    const xyl = subscribe(api.url.replace(/^http/, 'ws'), `Bearer ${await api.token('xylOfficer')}`);
    const hd = subscribe(api.url.replace(/^http/, 'ws'), `Bearer ${await api.token('hdOfficer')}`);
    subscribers.push(xyl, hd);

    // graphql-ws does not say when a subscription is in place: probe until one arrives, so none is missed.
    for (const [sub, user] of [
      [xyl, 'xylOfficer'],
      [hd, 'hdOfficer'],
    ] as const) {
      for (let attempt = 0; ; attempt++) {
        await notify([user], `探测${attempt}`, `probe:${user}:${attempt}`);
        try {
          await sub.waitFor((n) => n.title.startsWith('探测'), `a probe for ${user}`, 250);
          break;
        } catch (error) {
          if (attempt >= 20) throw error;
        }
      }
    }

    // A new share announces itself (新交办); then its first escalation fires.
    const id = await freshShare('xyl', '实时推送测试任务');
    const assigned = await xyl.waitFor((n) => n.subjectId === id, 'the 新交办 notification');
    expect(assigned).toMatchObject({ title: '【新交办】实时推送测试任务', kind: 'ASSIGNED' });
    await fireNext(id);
    const pushed = await xyl.waitFor((n) => n.subjectId === id && n.kind === 'ESCALATION', 'the escalation');
    const [row] = await api.dataSource.query<{ id: string }[]>(
      `SELECT id FROM notification WHERE subject_id = $1 AND user_id = $2 AND kind = 'ESCALATION'`,
      [id, userId('xylOfficer')],
    );
    expect(pushed).toEqual({
      id: row.id,
      title: '【提醒】实时推送测试任务',
      kind: 'ESCALATION',
      subjectId: id,
    });

    // What 海淀街道 receives next is its own probe, not 学院路街道's escalation.
    await notify(['hdOfficer'], '探测结束', 'probe:hdOfficer:end');
    await hd.waitFor((n) => n.title === '探测结束', 'the last probe');
    expect(hd.received.every((n) => n.title.startsWith('探测'))).toBe(true);
    expect(xyl.received.filter((n) => !n.title.startsWith('探测'))).toEqual([assigned, pushed]);

    for (const authorization of [null, 'Bearer not-a-token']) {
      const anonymous = subscribe(api.url.replace(/^http/, 'ws'), authorization);
      subscribers.push(anonymous);
      const refusal = await anonymous.refused();
      expect((refusal as { extensions: { code: string } }[]).map((e) => e.extensions.code)).toEqual([
        'UNAUTHENTICATED',
      ]);
      expect(anonymous.received).toEqual([]);
    }
  });

  const WEBHOOK_SECRET = 'webhook-secret-0123';
  let zgcWebhook: Promise<NotificationsCreateChannelMutation['createNotificationChannel']> | null = null;

  /** 中关村街道's webhook to the local server, set up by its head (once per file, whichever test asks first). */
  const zgcChannel = () =>
    (zgcWebhook ??= (async () => {
      const input: CreateNotificationChannelInput = {
        orgUnitId: api.fixture.units.zgc.id,
        kind: 'WEBHOOK',
        name: '中关村街道工作平台',
        url: `${hooks.base}/hook`,
        secret: WEBHOOK_SECRET,
      };
      return dataOf(await api.gql(CREATE_CHANNEL, { input }, await api.token('zgcHead')))
        .createNotificationChannel;
    })());

  it('lets a unit head set up a webhook, and queues one delivery per channel for each fact', async () => {
    const input: CreateNotificationChannelInput = {
      orgUnitId: api.fixture.units.zgc.id,
      kind: 'WEBHOOK',
      name: '别人的渠道',
      url: `${hooks.base}/hook`,
      secret: 'x',
    };
    expect(outcomeOf(await api.gql(CREATE_CHANNEL, { input }, await api.token('fgwHead')))).toBe('FORBIDDEN');
    expect(outcomeOf(await api.gql(CREATE_CHANNEL, { input }, await api.token('zgcOfficer')))).toBe(
      'FORBIDDEN',
    );
    const bad = await api.gql(
      CREATE_CHANNEL,
      { input: { ...input, kind: 'EMAIL' } },
      await api.token('zgcHead'),
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'kind' });

    const channel = await zgcChannel();
    const [audit] = await api.dataSource.query<{ action: string; after: Record<string, unknown> }[]>(
      `SELECT action, after FROM audit_event WHERE entity_id = $1 ORDER BY id`,
      [channel.id],
    );
    expect(audit.action).toBe('notificationChannel.create');
    expect(audit.after).toMatchObject({ kind: 'WEBHOOK', secretSet: true });
    expect(audit.after).not.toHaveProperty('secret');
    const listed = async (user: Username) =>
      dataOf(await api.gql(CHANNELS, { id: api.fixture.units.zgc.id }, await api.token(user)))
        .notificationChannels;
    // The address is a credential: in full for the head, masked for the unit's officers.
    expect(await listed('zgcHead')).toEqual([
      expect.objectContaining({ id: channel.id, url: `${hooks.base}/hook`, active: true }),
    ]);
    expect(await listed('zgcOfficer')).toEqual([
      expect.objectContaining({ id: channel.id, url: `${hooks.base}/***`, active: true }),
    ]);
    expect(
      outcomeOf(await api.gql(CHANNELS, { id: api.fixture.units.zgc.id }, await api.token('xylOfficer'))),
    ).toBe('FORBIDDEN');

    // The new share (新交办) and its first escalation each queue one delivery to the channel, whoever the
    // recipients; what the fire returns is what the worker enqueues, and the sweep finds it too.
    const id = await freshShare('zgc', '渠道测试任务');
    const fired = await fireNext(id);
    expect(fired).toEqual([{ id: expect.any(String) as string, channelKind: 'WEBHOOK' }]);
    const rows = await api.dataSource.query<{ id: string; kind: string; target: string; status: string }[]>(
      `SELECT d.id, n.kind, d.target, d.status FROM notification_delivery d
       JOIN notification n ON n.id = d.notification_id WHERE d.channel_id = $1 AND n.subject_id = $2
       ORDER BY d.created_at`,
      [channel.id, id],
    );
    expect(rows.map((r) => [r.kind, r.target, r.status])).toEqual([
      ['ASSIGNED', `${hooks.base}/hook`, 'PENDING'],
      ['ESCALATION', `${hooks.base}/hook`, 'PENDING'],
    ]);
    expect(rows[1].id).toBe(fired[0].id);
    const pending = await notifications.pendingDeliveries(clock.now(), 1000);
    expect(pending).toEqual(expect.arrayContaining(rows.map((r) => ({ id: r.id, channelKind: 'WEBHOOK' }))));

    // Switched off, the channel gets nothing; switched on again, it does.
    const head = await api.token('zgcHead');
    const off = dataOf(
      await api.gql(
        UPDATE_CHANNEL,
        { input: { id: channel.id, version: channel.version, active: false } },
        head,
      ),
    ).updateNotificationChannel;
    expect(await fireNext(id)).toEqual([]);
    const stale = await api.gql(
      UPDATE_CHANNEL,
      { input: { id: channel.id, version: channel.version, active: true } },
      head,
    );
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: off.version });
    const on = dataOf(
      await api.gql(UPDATE_CHANNEL, { input: { id: channel.id, version: off.version, active: true } }, head),
    ).updateNotificationChannel;
    channel.version = on.version;
    expect(await fireNext(id)).toEqual([{ id: expect.any(String) as string, channelKind: 'WEBHOOK' }]);
  });

  // A delivery is settled once, and every attempt is logged; retries and the dead-letter state follow.
  it('settles a sent delivery (SENT, one attempt logged)', async () => {
    await zgcChannel();
    const id = await freshShare('zgc', '投递结算测试任务');
    const [sent] = await fireNext(id);
    await expect(delivery.deliver(sent.id, false)).resolves.toBe('SENT');
  });

  it('delivers to a unit webhook, signed; retries a 500, dead-letters a 400 or the last attempt', async () => {
    const channel = await zgcChannel();
    const id = await freshShare('zgc', 'Webhook测试任务');
    const before = hooks.requests.length;

    // 200: sent once, signed, logged.
    hooks.reply.status = 200;
    const [first] = await fireNext(id);
    const sentAt = clock.now();
    expect(await delivery.deliver(first.id, false)).toBe('SENT');
    expect(hooks.requests).toHaveLength(before + 1);
    const request = hooks.requests[before];
    const timestamp = String(request.headers['x-zhezi-timestamp']);
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/hook');
    expect(timestamp).toBe(String(Math.floor(sentAt.getTime() / 1000)));
    expect(request.headers['x-zhezi-delivery']).toBe(first.id);
    const signature = String(request.headers['x-zhezi-signature']);
    expect(verifyWebhookSignature(WEBHOOK_SECRET, timestamp, request.body, signature)).toBe(true);
    expect(verifyWebhookSignature('another-secret', timestamp, request.body, signature)).toBe(false);
    expect(JSON.parse(request.body)).toMatchObject({
      id: first.id,
      title: '【提醒】Webhook测试任务',
      link: `http://localhost:3000/assignments/${id}`,
      sentAt: sentAt.toISOString(),
    });
    expect(await deliveryRow(first.id)).toMatchObject({ status: 'SENT', attempts: 1, last_error: null });
    expect(await attemptsOf(first.id)).toEqual([{ ok: true, status_code: 200, error: null }]);
    expect(await delivery.deliver(first.id, false)).toBe('SKIPPED'); // a duplicate job sends nothing
    expect(hooks.requests).toHaveLength(before + 1);

    // 500: retried while attempts are left, then dead.
    hooks.reply.status = 500;
    const [second] = await fireNext(id);
    expect(await delivery.deliver(second.id, false)).toBe('RETRY');
    expect(await deliveryRow(second.id)).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      last_error: 'HTTP 500',
    });
    expect(await attemptsOf(second.id)).toEqual([{ ok: false, status_code: 500, error: 'HTTP 500' }]);
    expect(await delivery.deliver(second.id, true)).toBe('DEAD');
    expect(await deliveryRow(second.id)).toMatchObject({ status: 'DEAD', attempts: 2, sent_at: null });
    expect((await attemptsOf(second.id)).map((a) => a.status_code)).toEqual([500, 500]);

    // 400: retrying would fail the same way.
    hooks.reply.status = 400;
    const [third] = await fireNext(id);
    expect(await delivery.deliver(third.id, false)).toBe('DEAD');
    expect(await deliveryRow(third.id)).toMatchObject({
      status: 'DEAD',
      attempts: 1,
      last_error: 'HTTP 400',
    });
    expect(hooks.requests).toHaveLength(before + 4);
    hooks.reply.status = 200;

    // The recipient sees each delivery's state on the notification.
    for (const [d, status, attempts, lastError] of [
      [first, 'SENT', 1, null],
      [second, 'DEAD', 2, 'HTTP 500'],
      [third, 'DEAD', 1, 'HTTP 400'],
    ] as const) {
      const carrier = await carrierOf(d.id);
      const seen = dataOf(
        await api.gql(DELIVERIES, {}, await api.token(carrier.owner)),
      ).myNotifications.edges.find((e) => e.node.id === carrier.notificationId)!;
      expect(seen.node.deliveries).toEqual([
        expect.objectContaining({
          id: d.id,
          channelKind: 'WEBHOOK',
          channelId: channel.id,
          // Only the unit's head reads the robot's address in full.
          target: carrier.owner === 'zgcHead' ? `${hooks.base}/hook` : `${hooks.base}/***`,
          status,
          attempts,
          lastError,
        }),
      ]);
    }
  });

  it('sends a test message to one channel at once, and lists it in the channel’s delivery log', async () => {
    clock.set(START);
    const head = await api.token('zgcHead');
    const input: CreateNotificationChannelInput = {
      orgUnitId: api.fixture.units.zgc.id,
      kind: 'WEBHOOK',
      name: '测试用渠道',
      url: `${hooks.base}/test-hook`,
      secret: WEBHOOK_SECRET,
    };
    const channel = dataOf(await api.gql(CREATE_CHANNEL, { input }, head)).createNotificationChannel;
    const unread = (await inbox('zgcHead')).unreadNotificationCount;
    const send = async () => dataOf(await api.gql(SEND_TEST, { id: channel.id }, head)).sendTestNotification;

    // Sent in the request, signed like any webhook message; the answer carries the attempt.
    const before = hooks.requests.length;
    hooks.reply.status = 200;
    expect(await send()).toEqual({
      channelId: channel.id,
      status: 'SENT',
      attempts: 1,
      lastError: null,
      title: '测试消息：测试用渠道',
      target: `${hooks.base}/test-hook`,
      attemptLog: [{ ok: true, statusCode: 200 }],
    });
    const request = hooks.requests[before];
    expect(request.url).toBe('/test-hook');
    const signature = String(request.headers['x-zhezi-signature']);
    const timestamp = String(request.headers['x-zhezi-timestamp']);
    expect(verifyWebhookSignature(WEBHOOK_SECRET, timestamp, request.body, signature)).toBe(true);
    expect(JSON.parse(request.body)).toMatchObject({ title: '测试消息：测试用渠道' });

    // A refused address is dead at once: a test message is never retried.
    clock.set(new Date(START.getTime() + 60_000));
    hooks.reply.status = 500;
    expect(await send()).toMatchObject({ status: 'DEAD', attempts: 1, lastError: 'HTTP 500' });
    hooks.reply.status = 200;
    expect(hooks.requests).toHaveLength(before + 2);

    const log = dataOf(
      await api.gql(CHANNEL_DELIVERIES, { id: channel.id }, head),
    ).notificationChannelDeliveries;
    expect(log.totalCount).toBe(2);
    expect(log.edges.map((e) => e.node.status)).toEqual(['DEAD', 'SENT']);
    // The tester's own copy needs no bell; the audit keeps the address masked.
    expect((await inbox('zgcHead')).unreadNotificationCount).toBe(unread);
    const audits = await api.dataSource.query<{ after: { target: string } }[]>(
      `SELECT after FROM audit_event WHERE entity_id = $1 AND action = 'notificationChannel.test'`,
      [channel.id],
    );
    expect(audits.map((a) => a.after.target)).toEqual([`${hooks.base}/***`, `${hooks.base}/***`]);
  });

  it('shows the recipient the attempt log of a delivery over GraphQL', async () => {
    await zgcChannel();
    const id = await freshShare('zgc', '投递记录测试任务');
    const [first] = await fireNext(id);
    hooks.reply.status = 500;
    expect(await delivery.deliver(first.id, false)).toBe('RETRY');
    hooks.reply.status = 200;
    expect(await delivery.deliver(first.id, false)).toBe('SENT');

    const carrier = await carrierOf(first.id);
    const { myNotifications } = dataOf(await api.gql(ATTEMPT_LOGS, {}, await api.token(carrier.owner)));
    const shown = myNotifications.edges
      .find((e) => e.node.id === carrier.notificationId)
      ?.node.deliveries.find((d) => d.id === first.id);
    expect(shown?.attemptLog).toEqual([
      { ok: false, statusCode: 500, error: expect.stringContaining('500') as string },
      { ok: true, statusCode: 200, error: null },
    ]);
  });

  it('signs DingTalk robot requests in the URL and reads the robot’s error codes', async () => {
    const secret = 'SEC0123456789abcdef';
    const url = `${hooks.base}/robot/send?access_token=tok123`;
    const input: CreateNotificationChannelInput = {
      orgUnitId: api.fixture.units.fgw.id,
      kind: 'DINGTALK',
      name: '发改委工作群',
      url,
      secret,
    };
    dataOf(await api.gql(CREATE_CHANNEL, { input }, await api.token('fgwHead')));
    const id = await freshShare('fgw', '钉钉推送测试任务');
    const before = hooks.requests.length;

    hooks.reply.body = '{"errcode":0,"errmsg":"ok"}';
    const [first] = (await fireNext(id)).filter((d) => d.channelKind === ChannelKind.DINGTALK);
    const sentAt = clock.now();
    expect(await delivery.deliver(first.id, false)).toBe('SENT');
    const request = hooks.requests[before];
    const query = new URL(request.url, hooks.base).searchParams;
    expect(new URL(request.url, hooks.base).pathname).toBe('/robot/send');
    expect(query.get('access_token')).toBe('tok123');
    expect(query.get('timestamp')).toBe(String(sentAt.getTime()));
    expect(query.get('sign')).toBe(
      createHmac('sha256', secret).update(`${sentAt.getTime()}\n${secret}`).digest('base64'),
    );
    expect(JSON.parse(request.body)).toMatchObject({
      msgtype: 'markdown',
      markdown: { title: '【提醒】钉钉推送测试任务' },
    });

    // The robot answers 200 with an error code: rate limits are retried, a bad signature is not.
    hooks.reply.body = '{"errcode":130101,"errmsg":"send too fast"}';
    const [second] = (await fireNext(id)).filter((d) => d.channelKind === ChannelKind.DINGTALK);
    expect(await delivery.deliver(second.id, false)).toBe('RETRY');
    hooks.reply.body = '{"errcode":310000,"errmsg":"sign not match"}';
    expect(await delivery.deliver(second.id, false)).toBe('DEAD');
    expect(await deliveryRow(second.id)).toMatchObject({
      status: 'DEAD',
      attempts: 2,
      last_error: 'code 310000: sign not match',
    });
    expect((await attemptsOf(second.id)).map((a) => [a.ok, a.status_code])).toEqual([
      [false, 200],
      [false, 200],
    ]);
    hooks.reply.body = '{"ok":true}';
  });

  it('emails a person with an address, the title as subject', async () => {
    const email = 'qh.officer@district.test';
    await api.dataSource.query(`UPDATE app_user SET email = $2 WHERE id = $1`, [userId('qhOfficer'), email]);
    const id = await freshShare('qh', '邮件通知测试任务');
    const deliveries = await fireNext(id);
    expect(deliveries).toEqual([{ id: expect.any(String) as string, channelKind: 'EMAIL' }]);
    const [row] = await api.dataSource.query<{ target: string }[]>(
      `SELECT target FROM notification_delivery WHERE id = $1`,
      [deliveries[0].id],
    );
    expect(row.target).toBe(email);

    expect(await delivery.deliver(deliveries[0].id, false)).toBe('SENT');
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail.to).toEqual([email]);
    expect(mailHeader(mail.raw, 'subject')).toBe('【提醒】邮件通知测试任务');
    expect(mailHeader(mail.raw, 'from')).toBe('test <noreply@test>');
    expect(await deliveryRow(deliveries[0].id)).toMatchObject({ status: 'SENT', attempts: 1 });
    expect(await attemptsOf(deliveries[0].id)).toEqual([{ ok: true, status_code: 250, error: null }]);
    expect(await delivery.deliver(deliveries[0].id, false)).toBe('SKIPPED');
    expect(smtp.received).toHaveLength(1);
  });
});
