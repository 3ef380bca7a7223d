import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { checkConnection } from '@zhezi/core';
import { QueueName } from '@zhezi/jobs';
import { HealthService } from '@zhezi/observability';
import { runId, TEST_REDIS_URL } from '@zhezi/testing';
import { QueueRegistry } from '../apps/worker/src/queue.registry';
import { graphql } from './gql';
import { dataOf, taskOps } from './support/ops';
import { startRedisCluster, type LocalRedisCluster } from './support/redis-cluster';
import { startTestApi, type TestApi } from './support/test-api';
import { WorkerProcess } from './support/worker-process';
import {
  Cleanup,
  fastWorkerConfig,
  freePort,
  insertPolicy,
  OffsetClock,
  startInProcessWorker,
  waitFor,
  twoDispatchPassesAfter,
} from './support/worker-services';

const CREATE_CHANNEL = graphql(`
  mutation RedisClusterCreateChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      id
    }
  }
`);

/**
 * The api and the worker on a Redis Cluster of three masters the test starts itself: a share made through the
 * API is posted to the unit's robot, its escalation fires through BullMQ's delayed jobs, each once; every queue
 * keeps its keys in one hash slot, on the master serving it; readiness and Bull Board work there too.
 */
describe('BullMQ on a Redis Cluster (three local masters)', () => {
  const cleanup = new Cleanup();
  const clock = new OffsetClock();
  const posts: string[] = [];
  let cluster: LocalRedisCluster;
  let api: TestApi;
  let worker: INestApplicationContext;
  let prefix: string;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    cleanup.add('stop the cluster and remove its files', () => cluster.stop());
    const hooks: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        posts.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    cleanup.add('close the robot', async () => {
      hooks.closeAllConnections();
      await new Promise<void>((resolve) => hooks.close(() => resolve()));
    });

    prefix = `zhezi-test-${runId()}-redis-cluster`;
    api = await startTestApi({ clock, config: { redisUrl: cluster.url, redisPrefix: prefix } });
    cleanup.add('close the API', () => api.close());
    const databaseUrl = (api.dataSource.options as { url: string }).url;
    worker = await startInProcessWorker(
      fastWorkerConfig({ databaseUrl, redisUrl: cluster.url, redisPrefix: prefix }),
      clock,
    );
    cleanup.add('close the worker', () => worker.close());
    const input = {
      orgUnitId: api.fixture.units.zgc.id,
      kind: 'WEBHOOK' as const,
      name: '街道工作群',
      url: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`,
    };
    dataOf(await api.gql(CREATE_CHANNEL, { input }, await api.token('zgcHead')));
  }, 60_000);

  // Everything started above is stopped and removed, in reverse order, even when a step failed.
  afterAll(() => cleanup.run(), 30_000);

  it('is reachable at start; the worker names a cluster that does not answer, or is none, and stops', async () => {
    expect(await checkConnection(cluster.url)).toBeUndefined();
    /** `npm run start:worker`'s output when it gives up at start. */
    const refusal = async (redisUrl: string) => {
      const databaseUrl = (api.dataSource.options as { url: string }).url;
      const child = new WorkerProcess({
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
      });
      cleanup.add('kill the worker process', () => child.kill());
      const stopped = () => Promise.resolve(!child.running);
      await waitFor('the worker stops', stopped, Boolean, { timeoutMs: 30_000 });
      return child.tail();
    };
    const closed = `redis-cluster://127.0.0.1:${await freePort()},127.0.0.1:${await freePort()}`;
    // The tests' own Redis is a single server, not a cluster.
    const single = `redis-cluster://${new URL(TEST_REDIS_URL).host}`;
    expect(await Promise.all([refusal(closed), refusal(single)])).toEqual([
      `Cannot connect to Redis at ${closed}: nothing is listening there (connection refused). ` +
        'Start Redis there, or set REDIS_URL to a server that runs.',
      `Cannot connect to Redis at ${single}: the nodes answer, but not as one cluster serving every slot. ` +
        `Check them with \`redis-cli --cluster check HOST:PORT\`, or name a cluster's nodes in REDIS_URL.`,
    ]);
  }, 40_000);

  it('posts the share and fires its escalation through the cluster, each once, in hash-tagged keys', async () => {
    const policyId = await insertPolicy(api.dataSource, '到期后2秒催办', [
      { offsetDuration: 'PT2S', action: 'URGE', recipients: ['UNIT_OFFICERS'] },
    ]);
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const dueAt = clock.now().toISOString();
    const task = await ops.createTask(leader, { planId: api.fixture.plan.id, title: '集群催办任务', dueAt });
    await api.dataSource.query(`UPDATE task SET escalation_policy_id = $2 WHERE id = $1`, [
      task.id,
      policyId,
    ]);
    const [share] = await ops.assignTask(leader, task.id, [{ orgUnitId: api.fixture.units.zgc.id, dueAt }]);

    const [fired] = await waitFor(
      'the escalation fires',
      () =>
        api.dataSource.query<{ fired_at: Date }[]>(
          `SELECT fired_at FROM escalation WHERE assignment_id = $1`,
          [share.id],
        ),
      (rows) => rows.length > 0,
      { timeoutMs: 15_000 },
    );
    const deliveries = () =>
      api.dataSource.query<{ kind: string; status: string; attempts: number }[]>(
        `SELECT n.kind, d.status, d.attempts FROM notification_delivery d
         JOIN notification n ON n.id = d.notification_id
         WHERE n.subject_id = $1 AND d.channel_id IS NOT NULL ORDER BY n.kind`,
        [share.id],
      );
    // The new share (新交办) and the escalation (催办) each reach the robot, once.
    await waitFor(
      'both robot deliveries are sent',
      deliveries,
      (rows) => rows.filter((d) => d.status === 'SENT').length >= 2,
    );
    // Two dispatch passes after the firing, which re-sweep anything unsent: nothing runs twice.
    const system = worker.get(QueueRegistry).get(QueueName.SYSTEM);
    await twoDispatchPassesAfter(system, fired.fired_at);
    const [counts] = await api.dataSource.query<{ escalations: number }[]>(
      `SELECT count(*)::int AS escalations FROM escalation WHERE assignment_id = $1`,
      [share.id],
    );
    expect(counts.escalations).toBe(1);
    expect(await deliveries()).toEqual([
      { kind: 'ASSIGNED', status: 'SENT', attempts: 1 },
      { kind: 'ESCALATION', status: 'SENT', attempts: 1 },
    ]);
    expect(posts.filter((body) => body.includes('集群催办任务'))).toHaveLength(2);
    const escalations = worker.get(QueueRegistry).get(QueueName.ESCALATIONS);
    const pending = await escalations.getJobCounts('wait', 'delayed', 'active', 'prioritized');
    expect(Object.values(pending).reduce((a, b) => a + b, 0)).toBe(0);

    // Every key in the cluster is a queue's under its hash tag (or the worker's heartbeat), and each queue lies
    // wholly on the master that serves its tag's slot.
    const any = cluster.node(cluster.ports[0]);
    const slots = await any.cluster('SLOTS');
    const masterOf = async (queue: string) => {
      const slot = await any.cluster('KEYSLOT', `{${prefix}:${queue}}`);
      return slots.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
    };
    const placed = new Map<string, Set<number>>();
    const strays: string[] = [];
    for (const port of cluster.ports) {
      for (const key of await cluster.node(port).keys('*')) {
        const [, tagPrefix, tagQueue, queue] = /^\{(.+):([a-z-]+)\}:([a-z-]+):/.exec(key) ?? [];
        if (tagPrefix === prefix && tagQueue === queue)
          placed.set(queue, (placed.get(queue) ?? new Set()).add(port));
        else if (key !== `${prefix}:worker:heartbeat`) strays.push(key);
      }
    }
    expect(strays).toEqual([]);
    expect([...placed.keys()]).toEqual(
      expect.arrayContaining([
        QueueName.SYSTEM,
        QueueName.DOMAIN_EVENTS,
        QueueName.ESCALATIONS,
        QueueName.NOTIFY_WEBHOOK,
      ]),
    );
    const expected = await Promise.all(
      [...placed.keys()].map(async (queue) => [queue, [await masterOf(queue)]]),
    );
    expect([...placed].map(([queue, ports]) => [queue, [...ports]])).toEqual(expected);
  }, 45_000);

  it('answers readiness and serves Bull Board from the cluster', async () => {
    const base = api.url.replace(/\/graphql$/, '');
    const ready = await fetch(`${base}/health/ready`);
    expect({ status: ready.status, body: await ready.json() }).toEqual({
      status: 200,
      body: { status: 'ok', checks: { postgres: 'ok', redis: 'ok', migrations: 'ok' } },
    });
    expect((await worker.get(HealthService).readiness()).checks.redis).toBe('ok');

    const admin = { authorization: `Bearer ${await api.token('admin')}` };
    const board = await fetch(`${base}/admin/queues/api/queues`, { headers: admin });
    expect(board.status).toBe(200);
    const { queues } = (await board.json()) as {
      queues: { name: string; counts: Record<string, number> }[];
    };
    expect(queues.map((q) => q.name).sort()).toEqual(Object.values(QueueName).sort());
    expect(queues.find((q) => q.name === (QueueName.SYSTEM as string))?.counts.completed).toBeGreaterThan(0);
    expect((await fetch(`${base}/admin/queues/api/redis/stats`, { headers: admin })).status).toBe(200);
  });
});
