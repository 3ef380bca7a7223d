import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { QueueRegistry } from '../apps/worker/src/queue.registry';
import { FixedClock, loadConfig } from '@zhezi/core';
import { JOB_OPTIONS, JobName, QueueName } from '@zhezi/jobs';
import { createTestDatabase, runId, TEST_REDIS_URL } from '@zhezi/testing';

describe('worker (real Redis and PostgreSQL)', () => {
  const clock = new FixedClock(new Date('2026-03-02T01:00:00Z'));
  let app: INestApplicationContext;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let prefix: string;
  let redis: Redis;

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = `zhezi-test-${runId()}-worker`;
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
    });
    app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config, clock }), {
      logger: false,
    });
    await app.init();
    redis = new Redis(TEST_REDIS_URL);
  });

  afterAll(async () => {
    redis.disconnect();
    await app.close();
    await db.drop();
  });

  it('registers the health check as a job scheduler', async () => {
    const schedulers = await app.get(QueueRegistry).get(QueueName.SYSTEM).getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain('health-check-every-minute');
  });

  it("schedules the boards' refresh for just after midnight, Beijing time", async () => {
    const schedulers = await app.get(QueueRegistry).get(QueueName.SYSTEM).getJobSchedulers();
    expect(schedulers.find((s) => s.key === 'board-refresh')).toMatchObject({
      name: JobName.BOARD_REFRESH,
      pattern: '5 0 0 * * *',
      tz: 'Asia/Shanghai',
    });
  });

  it('runs a health check job and leaves a heartbeat', async () => {
    const queue = app.get(QueueRegistry).get(QueueName.SYSTEM);
    const events = new QueueEvents(QueueName.SYSTEM, { connection: { url: TEST_REDIS_URL }, prefix });
    try {
      await events.waitUntilReady();
      const job = await queue.add(JobName.HEALTH_CHECK, {}, JOB_OPTIONS[JobName.HEALTH_CHECK]);
      await expect(job.waitUntilFinished(events, 10_000)).resolves.toEqual({
        at: '2026-03-02T01:00:00.000Z',
      });
      expect(await redis.get(`${prefix}:worker:heartbeat`)).toBe('2026-03-02T01:00:00.000Z');
    } finally {
      await events.close();
    }
  });
});
