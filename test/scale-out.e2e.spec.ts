import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { DataSource } from 'typeorm';
import { JOB_OPTIONS, JobName, QUEUE_OF, QueueName } from '@zhezi/jobs';
import { createTestDatabase, FIXTURE_PASSWORD, runId, TEST_REDIS_URL, type Fixture } from '@zhezi/testing';
import { ensureHaproxy, REPLICA_NAMES, startCluster, type Cluster, type Replica } from '../tools/scale-out';
import { graphql } from './gql';
import type { TypedDocumentString } from './gql/graphql';
import { ASSIGN_TASK, CREATE_PLAN, CREATE_TASK, dataOf } from './support/ops';
import type { GqlResult } from './support/test-api';
import {
  Cleanup,
  deleteRedisKeys,
  escalationCounts,
  insertAssignments,
  insertPolicy,
  openDatabase,
  seedFixture,
  waitFor,
} from './support/worker-services';

const LOGIN = graphql(`
  mutation ScaleOutLogin($u: String!, $p: String!) {
    login(username: $u, password: $p) {
      token
    }
  }
`);
const LEADER_BOARD = graphql(`
  query ScaleOutLeaderBoard($planId: ID) {
    leaderBoard(planId: $planId) {
      totals {
        assigned
      }
    }
  }
`);
const CREATE_CHANNEL = graphql(`
  mutation ScaleOutCreateChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      id
    }
  }
`);
const NOTIFICATION_ADDED = graphql(`
  subscription ScaleOutNotificationAdded {
    notificationAdded {
      id
      kind
      subjectId
    }
  }
`);
const BOARD_CHANGED = graphql(`
  subscription ScaleOutBoardChanged($planId: ID) {
    boardChanged(planId: $planId) {
      planId
    }
  }
`);

/** Shares whose escalation ladders the two workers fire: two steps each, two recipients and one webhook per step. */
const SHARES = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Decided when the file loads: a run that cannot have HAProxy says so once and skips; CI must have it.
const haproxy = ensureHaproxy();
if (!haproxy.found && process.env.CI) throw new Error(`the scale-out test must run in CI: ${haproxy.reason}`);
if (!haproxy.found) console.warn(`test/scale-out.e2e.spec.ts skipped: ${haproxy.reason}`);

/**
 * The same code as four processes — two api replicas and two workers, started as `npm run start:api` /
 * `start:worker` start them — behind Debian's HAProxy running docker/haproxy.cfg, on one PostgreSQL database and
 * one Redis prefix. What a deployment of several replicas relies on: requests spread over both, a board cached
 * by one replica never outlives a change made through the other, a subscription hears changes made through
 * either, and every escalation, notification and webhook happens once however the two workers share the jobs.
 */
(haproxy.found ? describe : describe.skip)('scale-out: 2 api + 2 worker processes behind HAProxy', () => {
  const cleanup = new Cleanup();
  let cluster: Cluster;
  let ds: DataSource;
  let fixture: Fixture;
  let hooks: Awaited<ReturnType<typeof startHookServer>>;
  let redisPrefix: string;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    const db = await createTestDatabase();
    cleanup.add(`drop ${db.name}`, () => db.drop());
    ds = await openDatabase(db.url);
    cleanup.add('close the test connection', () => ds.destroy());
    fixture = await seedFixture(ds);
    hooks = await startHookServer();
    cleanup.add('stop the webhook server', () => hooks.close());
    redisPrefix = `zhezi-test-${runId()}-scale-out`;
    cleanup.add(`delete Redis keys ${redisPrefix}`, () => deleteRedisKeys(TEST_REDIS_URL, redisPrefix));
    cluster = await startCluster({
      databaseUrl: db.url,
      redisUrl: TEST_REDIS_URL,
      redisPrefix,
      workers: 2,
      // Passes every second, five seconds ahead: the ladders below come due within seconds.
      env: { ESCALATION_DISPATCH_EVERY_MS: '1000', ESCALATION_HORIZON_MS: '5000' },
    });
    cleanup.add('stop the cluster', () => cluster.stop());
  }, 120_000);

  afterAll(() => cleanup.run());

  /** A typed operation against one base (the balancer or a replica); the replica that answered comes along. */
  async function gql<R, V>(base: string, query: TypedDocumentString<R, V>, variables: V, token?: string) {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query: String(query), variables }),
    });
    const replica = response.headers.get('x-zhezi-replica');
    return { replica, ...((await response.json()) as GqlResult<R>) };
  }

  /** Signs a fixture user in through the balancer, once. */
  async function token(username: keyof Fixture['users']): Promise<string> {
    let known = tokens.get(username);
    if (!known) {
      const login = await gql(cluster.balancer, LOGIN, { u: username, p: FIXTURE_PASSWORD });
      known = dataOf(login).login.token;
      tokens.set(username, known);
    }
    return known;
  }

  /** A plan of the leader's with one task shared to `unit`; returns the plan and the share. */
  async function planWithShare(base: string, title: string, unit: keyof Fixture['units']) {
    const leader = await token('leader');
    const input = {
      title,
      kind: 'TASK_LIST' as const,
      periodStart: '2025-12-31T16:00:00.000Z',
      periodEnd: '2030-12-31T15:59:59.000Z',
    };
    const planId = dataOf(await gql(base, CREATE_PLAN, { input }, leader)).createPlan.id;
    return { planId, shareId: await share(base, planId, `${title}任务`, unit) };
  }

  /** A new task in the plan, shared to `unit` through `base`; returns the share's id. */
  async function share(base: string, planId: string, title: string, unit: keyof Fixture['units']) {
    const leader = await token('leader');
    const dueAt = '2030-06-30T15:59:59.000Z';
    const task = dataOf(await gql(base, CREATE_TASK, { input: { planId, title, dueAt } }, leader)).createTask;
    const input = {
      taskId: task.id,
      leadUnits: [{ orgUnitId: fixture.units[unit].id, dueAt }],
      supportUnits: [],
    };
    return dataOf(await gql(base, ASSIGN_TASK, { input }, leader)).assignTask[0].id;
  }

  const otherThan = (name: string): Replica => cluster.replicas.find((r) => r.name !== name)!;

  it('spreads requests over both replicas, each only while its /health/ready answers', async () => {
    const served = async (requests: number) => {
      const counts: Record<string, number> = {};
      for (let i = 0; i < requests; i++) {
        const response = await fetch(`${cluster.balancer}/health/ready`);
        expect(response.status).toBe(200);
        const name = response.headers.get('x-zhezi-replica') ?? 'none';
        counts[name] = (counts[name] ?? 0) + 1;
      }
      return counts;
    };
    expect(await served(10)).toEqual({ 'api-1': 5, 'api-2': 5 });
    expect(await cluster.states()).toEqual({ 'api-1': 'UP', 'api-2': 'UP' });

    // A replica that stops answering (frozen here) leaves the rotation after two failed checks, and returns.
    const frozen = cluster.replicas[1].process.pid;
    process.kill(frozen, 'SIGSTOP');
    try {
      await waitFor(
        'HAProxy marks api-2 DOWN',
        () => cluster.states(),
        (s) => s['api-2'] === 'DOWN',
        {
          timeoutMs: 15_000,
        },
      );
      expect(await served(4)).toEqual({ 'api-1': 4 });
    } finally {
      process.kill(frozen, 'SIGCONT');
    }
    await waitFor(
      'HAProxy marks api-2 UP again',
      () => cluster.states(),
      (s) => s['api-2'] === 'UP',
    );
    expect(Object.keys(await served(4)).sort()).toEqual(['api-1', 'api-2']);

    // HAProxy says it forwarded the request (X-Forwarded-For): metrics are not for whoever reaches the balancer.
    expect((await fetch(`${cluster.balancer}/metrics`)).status).toBe(403);
    expect((await fetch(`${cluster.replicas[0].base}/metrics`)).status).toBe(200);
  }, 40_000);

  it('drops a board one replica has cached as soon as a change commits through the other', async () => {
    const [a, b] = cluster.replicas;
    const leader = await token('leader');
    const { planId } = await planWithShare(cluster.balancer, '缓存失效测试清单', 'hd');
    const assigned = async (base: string) =>
      dataOf(await gql(base, LEADER_BOARD, { planId }, leader)).leaderBoard.totals.assigned;
    // Read twice on A (the second is a hit) and once on B: both hold the board with one share.
    expect([await assigned(a.base), await assigned(a.base), await assigned(b.base)]).toEqual([1, 1, 1]);

    await share(b.base, planId, '经由另一副本交办的任务', 'xyl');
    // No waiting: the cache is valid only while the read model's revisions are those it was computed from.
    expect(await assigned(a.base)).toBe(2);
    const throughBalancer = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const result = await gql(cluster.balancer, LEADER_BOARD, { planId }, leader);
        return `${result.replica}:${dataOf(result).leaderBoard.totals.assigned}`;
      }),
    );
    expect(throughBalancer.sort()).toEqual(['api-1:2', 'api-1:2', 'api-2:2', 'api-2:2']);
  });

  it('delivers subscriptions on one replica for changes made through the other', async () => {
    const leader = await token('leader');
    const officer = await token('xylOfficer');
    // Through the balancer, a WebSocket lands on some replica X; the change then goes through the other one.
    const balanced = subscribe(cluster.balancer, officer, NOTIFICATION_ADDED, {});
    cleanup.add('close the balanced subscription', () => balanced.close());
    const x = await balanced.replica;
    expect(REPLICA_NAMES).toContain(x);
    const onX = cluster.replicas.find((r) => r.name === x)!;
    const y = otherThan(x);
    const { planId, shareId: probeShare } = await planWithShare(cluster.balancer, '订阅测试清单', 'hd');
    const notifications = subscribe(onX.base, officer, NOTIFICATION_ADDED, {});
    const boards = subscribe(onX.base, leader, BOARD_CHANGED, { planId });
    cleanup.add('close the subscriptions on X', () => Promise.all([notifications.close(), boards.close()]));
    const all = [balanced, notifications, boards];

    // A server listens once the subscription has reached it, which the client is not told: probe until all hear.
    for (let tries = 0; all.some((s) => !s.received.length) && tries < 40; tries++) {
      await probeNotification(ds, fixture.users.xylOfficer.id);
      await ds.query(`UPDATE assignment SET progress_percent = progress_percent + 1 WHERE id = $1`, [
        probeShare,
      ]);
      await sleep(250);
    }
    expect(all.map((s) => s.received.length > 0)).toEqual([true, true, true]);
    await sleep(1500); // the board stream's one-second debounce of the last probe
    for (const s of all) s.received.length = 0;

    const shareId = await share(y.base, planId, '另一副本交办的任务', 'xyl');
    const heard = (s: (typeof all)[number]) => s.received.length > 0;
    await waitFor(
      'all three subscriptions hear the change',
      () => Promise.resolve(all.map(heard)),
      (h) => !h.includes(false),
      {
        timeoutMs: 10_000,
      },
    );
    await sleep(1500); // anything said twice would arrive by now
    const assignedTo = (s: typeof balanced) =>
      s.received.map((r) => r.notificationAdded).filter((n) => n.subjectId === shareId);
    expect(assignedTo(balanced)).toEqual([
      { id: expect.any(String) as string, kind: 'ASSIGNED', subjectId: shareId },
    ]);
    expect(assignedTo(notifications)).toEqual(assignedTo(balanced));
    expect([...new Set(boards.received.map((r) => r.boardChanged.planId))]).toEqual([planId]);
  }, 40_000);

  it('fires every escalation, notification and webhook exactly once with two workers', async () => {
    // 中关村街道 (no share of the other tests) has an officer and a head, and a webhook its head sets up through
    // the balancer.
    const input = {
      orgUnitId: fixture.units.zgc.id,
      kind: 'WEBHOOK' as const,
      name: '中关村街道工作平台',
      url: `${hooks.base}/hook`,
    };
    dataOf(await gql(cluster.balancer, CREATE_CHANNEL, { input }, await token('zgcHead')));
    const policyId = await insertPolicy(ds, '提醒后到期催办', [
      { offsetDuration: '-PT1H', action: 'REMIND', recipients: ['UNIT_OFFICERS', 'UNIT_HEAD'] },
      { offsetDuration: 'PT0S', action: 'URGE', recipients: ['UNIT_OFFICERS', 'UNIT_HEAD'] },
    ]);
    // Three batches due 4, 6 and 8 s from now: each reminder is already past (fires when its ladder starts), each
    // urging comes due while both workers' dispatchers run.
    const now = Date.now();
    for (const [i, offset] of [4000, 6000, 8000].entries()) {
      await insertAssignments(ds, {
        count: SHARES / 3,
        planId: fixture.plan.id,
        unitId: fixture.units.zgc.id,
        policyId,
        firstDueAt: new Date(now + offset),
        createdAt: new Date(now - 2 * 3600_000),
        codePrefix: `SCALE${i}`,
      });
    }
    // What the hourly reconciliation does for rows written outside the API, twice at once: both workers take one.
    const system = new Queue(QueueName.SYSTEM, { connection: { url: TEST_REDIS_URL }, prefix: redisPrefix });
    cleanup.add('close the system queue', () => system.close());
    const reconcile = JobName.ESCALATION_RECONCILE;
    expect(QUEUE_OF[reconcile]).toBe(QueueName.SYSTEM);
    await system.addBulk(
      [1, 2].map((i) => ({
        name: reconcile,
        data: {},
        opts: { ...JOB_OPTIONS[reconcile], jobId: `reconcile-scale-out-${i}` },
      })),
    );

    const steps = 2 * SHARES;
    const settled = () =>
      ds.query<{ escalations: number; notifications: number; sent: number; pending: number }[]>(
        `SELECT (SELECT count(*)::int FROM escalation) AS escalations,
                (SELECT count(*)::int FROM notification WHERE kind = 'ESCALATION') AS notifications,
                (SELECT count(*)::int FROM notification_delivery d JOIN notification n ON n.id = d.notification_id
                 WHERE n.kind = 'ESCALATION' AND d.status = 'SENT') AS sent,
                (SELECT count(*)::int FROM escalation_state s JOIN assignment a ON a.id = s.assignment_id
                 WHERE a.org_unit_id = $1 AND s.next_at IS NOT NULL) AS pending`,
        [fixture.units.zgc.id],
      );
    await waitFor(
      'every step fires and every webhook is sent',
      async () => (await settled())[0],
      (s) => s.escalations >= steps && s.sent >= steps && hooks.requests.length >= steps,
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    await sleep(3000); // three more dispatch passes on each worker: a duplicate would show now
    const [after] = await settled();
    expect(after).toEqual({ escalations: steps, notifications: 2 * steps, sent: steps, pending: 0 });
    expect(await escalationCounts(ds)).toEqual({ fired: steps, duplicated: 0 });
    const perStep = await ds.query<{ notifications: number; deliveries: number; steps: number }[]>(
      `WITH n AS (SELECT dedupe_key, count(*)::int AS notifications FROM notification
                  WHERE kind = 'ESCALATION' GROUP BY dedupe_key),
            d AS (SELECT n.dedupe_key, count(*)::int AS deliveries FROM notification_delivery d
                  JOIN notification n ON n.id = d.notification_id WHERE d.attempts = 1 GROUP BY n.dedupe_key)
       SELECT coalesce(n.notifications, 0) AS notifications, coalesce(d.deliveries, 0) AS deliveries,
              count(*)::int AS steps
       FROM escalation e LEFT JOIN n ON n.dedupe_key = 'escalation:' || e.id
         LEFT JOIN d ON d.dedupe_key = 'escalation:' || e.id
       GROUP BY 1, 2`,
    );
    expect(perStep).toEqual([{ notifications: 2, deliveries: 1, steps }]);
    // The webhook's side: one POST per delivery, none twice.
    const deliveryIds = hooks.requests.map((r) => r.delivery);
    expect(deliveryIds).toHaveLength(steps);
    expect(new Set(deliveryIds).size).toBe(steps);

    // Both workers' own counts add up to the same totals, however they shared the work.
    const byWorker = await Promise.all(cluster.workers.map((w) => workerCounts(w.base)));
    expect(byWorker.reduce((sum, w) => sum + w.fired, 0)).toBe(steps);
    expect(byWorker.reduce((sum, w) => sum + w.sent, 0)).toBe(steps);
    console.info(
      `scale-out: ${steps} steps fired by the two workers as ${byWorker.map((w) => w.fired).join(' + ')}, ` +
        `webhooks sent ${byWorker.map((w) => w.sent).join(' + ')} ` +
        `(duplicate jobs found already done: ${byWorker.map((w) => w.skipped).join(' + ')})`,
    );
  }, 60_000);
});

/** A notification written the way NotificationService writes one (row, then NOTIFY), for readiness probes. */
async function probeNotification(ds: DataSource, userId: string): Promise<void> {
  const [row] = await ds.query<{ id: string }[]>(
    `INSERT INTO notification (user_id, kind, title, body, dedupe_key, created_at)
     VALUES ($1, 'DIGEST', '探测', '探测', 'probe:' || gen_random_uuid(), now()) RETURNING id`,
    [userId],
  );
  await ds.query(`SELECT pg_notify('zhezi_notification', $1)`, [`${userId}:${row.id}`]);
}

interface Subscription<T> {
  received: T[];
  /** The replica that accepted the WebSocket (HAProxy's X-Zhezi-Replica on the upgrade answer). */
  replica: Promise<string>;
  close(): Promise<void>;
}

/** A graphql-ws subscription to `base`, collecting what it is sent. */
function subscribe<T, V>(
  base: string,
  token: string,
  query: TypedDocumentString<T, V>,
  variables: V,
): Subscription<T> {
  const received: T[] = [];
  let served: (name: string) => void = () => undefined;
  const replica = new Promise<string>((resolve) => (served = resolve));
  class RecordingSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      this.once('upgrade', (response) => served(String(response.headers['x-zhezi-replica'] ?? 'direct')));
    }
  }
  const client = createClient({
    url: `${base.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: RecordingSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  const stop = client.subscribe<T>(
    { query: String(query), variables: variables as Record<string, unknown> },
    { next: (r) => r.data && received.push(r.data), error: () => undefined, complete: () => undefined },
  );
  return {
    received,
    replica,
    close: async () => {
      stop();
      await client.dispose();
    },
  };
}

/** What one worker says it did, from its /metrics (loopback needs no token). */
async function workerCounts(base: string): Promise<{ fired: number; sent: number; skipped: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const sum = (pattern: RegExp) =>
    text
      .split('\n')
      .filter((line) => pattern.test(line))
      .reduce((total, line) => total + Number(line.split(' ').pop()), 0);
  return {
    fired: sum(/^zhezi_escalations_fired_total /),
    sent: sum(/^zhezi_notification_deliveries_total\{.*outcome="SENT"/),
    skipped: sum(/^zhezi_notification_deliveries_total\{.*outcome="SKIPPED"/),
  };
}

/** A local webhook receiver answering 200, recording each request's delivery id. */
async function startHookServer() {
  const requests: { delivery: string }[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push({ delivery: String(req.headers['x-zhezi-delivery']) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
