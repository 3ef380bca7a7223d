import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueueEvents } from 'bullmq';
import { QueueRegistry } from '../apps/worker/src/queue.registry';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { loadConfig } from '@zhezi/core';
import { QueueName } from '@zhezi/jobs';
import { OutboxRelay } from '@zhezi/outbox';
import { runId, TEST_REDIS_URL } from '@zhezi/testing';
import { graphql } from './gql';
import { dataOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const ACCEPT = graphql(`
  mutation OutboxRelayAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      id
    }
  }
`);

describe('outbox relay (real PostgreSQL and Redis)', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let events: QueueEvents;
  const prefix = `zhezi-test-${runId()}-outbox`;

  beforeAll(async () => {
    api = await startTestApi();
    const { url } = api.dataSource.options as { url: string };
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
    });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config }), { logger: false });
    await worker.init();
    events = new QueueEvents(QueueName.DOMAIN_EVENTS, { connection: { url: TEST_REDIS_URL }, prefix });
    await events.waitUntilReady();
  });

  afterAll(async () => {
    await events.close();
    await worker.close();
    await api.close();
  });

  it('publishes committed events once each, in order, and marks them sent', async () => {
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const shares = [];
    for (let i = 0; i < 3; i++) {
      const task = await ops.createTask(leader, { planId: api.fixture.plan.id, title: `事件测试任务${i}` });
      shares.push(...(await ops.assignTask(leader, task.id, [{ orgUnitId: api.fixture.units.fgw.id }])));
    }
    for (const share of shares) {
      dataOf(
        await api.gql(
          ACCEPT,
          { input: { assignmentId: share.id, version: 1 } },
          await api.token('fgwOfficer'),
        ),
      );
    }

    const queue = worker.get(QueueRegistry).get(QueueName.DOMAIN_EVENTS);
    await worker.get(OutboxRelay).publishPending(queue);
    const rows = await api.dataSource.query<{ id: string; published_at: Date | null }[]>(
      'SELECT id, published_at FROM outbox_event ORDER BY id',
    );
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.published_at !== null)).toBe(true);

    const jobs = await Promise.all(rows.map((r) => queue.getJob(`outbox-${r.id}`)));
    const results = await Promise.all(jobs.map((job) => job!.waitUntilFinished(events, 10_000)));
    // Each status change also re-queues the share's next escalation if it is near (here it is not).
    expect(results).toEqual(
      shares.map((s) => ({ type: 'AssignmentStatusChanged', aggregateId: s.id, queued: false })),
    );
    const finished = await Promise.all(
      rows.map(async (r) => (await queue.getJob(`outbox-${r.id}`))!.processedOn!),
    );
    expect(finished).toEqual([...finished].sort((a, b) => a - b));

    // A relay that lost its marks (a crash after sending) sends again, and the job ids absorb the repeat.
    await api.dataSource.query('UPDATE outbox_event SET published_at = NULL');
    await worker.get(OutboxRelay).publishPending(queue);
    const counts = await queue.getJobCounts('completed', 'waiting', 'active', 'delayed');
    expect(counts.completed + counts.waiting + counts.active + counts.delayed).toBe(3);
  });
});
