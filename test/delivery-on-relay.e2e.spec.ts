import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { APP_CONFIG, loadConfig, type AppConfig } from '@zhezi/core';
import { QueueName } from '@zhezi/jobs';
import { runId, TEST_REDIS_URL } from '@zhezi/testing';
import { QueueRegistry } from '../apps/worker/src/queue.registry';
import { graphql } from './gql';
import { dataOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';
import {
  Cleanup,
  deleteRedisKeys,
  OffsetClock,
  startInProcessWorker,
  waitFor,
} from './support/worker-services';

const CREATE_CHANNEL = graphql(`
  mutation DeliveryOnRelayCreateChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      id
    }
  }
`);
/** Far below the dispatcher's 60 s pass, with room for a loaded machine. */
const DELIVERED_WITHIN_MS = 8000;

/**
 * A notification the API raises reaches the unit's webhook when its outbox event is relayed, not at the
 * dispatcher's next pass (60 s by default, as here).
 */
describe('deliveries start when the outbox event is relayed (API + worker)', () => {
  const cleanup = new Cleanup();
  const posts: { at: number; body: string }[] = [];
  let api: TestApi;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        posts.push({ at: Date.now(), body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.add('hook server', async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

    api = await startTestApi();
    cleanup.add('api', () => api.close());
    const prefix = `zhezi-test-${runId()}-relay-deliveries`;
    const config: AppConfig = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: api.app.get<AppConfig>(APP_CONFIG).databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
    });
    expect(config.deadlines.dispatchEveryMs).toBe(60_000);
    cleanup.add('redis keys', () => deleteRedisKeys(TEST_REDIS_URL, prefix));
    worker = await startInProcessWorker(config, new OffsetClock());
    await worker.init();
    cleanup.add('worker', () => worker.close());

    const input = {
      orgUnitId: api.fixture.units.zgc.id,
      kind: 'WEBHOOK' as const,
      name: '街道工作群',
      url: hookUrl,
    };
    dataOf(await api.gql(CREATE_CHANNEL, { input }, await api.token('zgcHead')));
    // The start-up reconciliation and the first dispatch pass sweep unsent deliveries: let them finish first,
    // so that only the relay can carry what follows.
    const system = worker.get(QueueRegistry).get(QueueName.SYSTEM);
    await waitFor(
      'the start-up passes',
      async () => (await system.getJobs(['completed'])).map((job) => job.name),
      (names) => names.includes('escalation-reconcile') && names.includes('escalation-dispatch'),
      { timeoutMs: 30_000 },
    );
  });

  afterAll(() => cleanup.run());

  it('posts a new share (新交办) to the unit webhook within seconds of the commit', async () => {
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const dueAt = new Date(Date.now() + 30 * 24 * 3600_000).toISOString();
    const task = await ops.createTask(leader, {
      planId: api.fixture.plan.id,
      title: '即时投递测试任务',
      dueAt,
    });
    const committed = Date.now();
    const [share] = await ops.assignTask(leader, task.id, [{ orgUnitId: api.fixture.units.zgc.id, dueAt }]);

    const [post] = await waitFor(
      'the webhook POST',
      () => Promise.resolve(posts.filter((p) => p.body.includes('即时投递测试任务'))),
      (found) => found.length > 0,
      { timeoutMs: DELIVERED_WITHIN_MS },
    );
    expect(post.at - committed).toBeLessThan(DELIVERED_WITHIN_MS);
    expect(JSON.parse(post.body)).toMatchObject({
      title: '【新交办】即时投递测试任务',
      link: `http://localhost:3000/assignments/${share.id}`,
    });
    // The attempt is logged once the robot has answered.
    const [row] = await waitFor(
      'the delivery to be settled',
      () =>
        api.dataSource.query<{ status: string; attempts: number }[]>(
          `SELECT d.status, d.attempts FROM notification_delivery d JOIN notification n ON n.id = d.notification_id
           WHERE n.subject_id = $1 AND d.channel_id IS NOT NULL`,
          [share.id],
        ),
      (rows) => rows[0]?.status !== 'PENDING',
    );
    expect(row).toEqual({ status: 'SENT', attempts: 1 });
  });
});
