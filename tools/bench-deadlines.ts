/**
 * Deadline-engine benchmark: `npm run bench:deadlines [-- --sizes 100000,1000000 | --quick]`.
 *
 * For each size N it makes a throw-away database holding N open assignments and measures
 *   (a) EscalationReconciler.reconcile() from empty state (starts every ladder), then a second pass with nothing
 *       to change: the "reconciliation pass";
 *   (b) Redis memory before and after one Dispatcher.pass() with the default 5-minute horizon;
 *   (c) the enqueue rate of Dispatcher.enqueueSlots for 10,000 escalations due within one minute (one job per
 *       100 ms slot);
 *   (d) with the real worker (WorkerModule, in this process): the lateness (fired_at − planned_at) of 10,000
 *       escalations due within one minute, and the firing throughput of 10,000 due at the same instant.
 * A plain BullMQ baseline (addBulk + a no-op Worker at the escalations queue's concurrency) runs once.
 *
 * It prints figures and says which targets are met; it exits non-zero only on errors. Everything it makes
 * (databases, Redis keys under its own prefix, workers) is removed at the end, also after an error or Ctrl-C.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, Worker } from 'bullmq';
import { Cluster, type Redis } from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AccessModule } from '@zhezi/access';
import { AuditModule } from '@zhezi/audit';
import { APP_CONFIG, CoreModule, loadConfig, type AppConfig, type SqlLogger } from '@zhezi/core';
import { DeadlineModule, EscalationReconciler, type DueSlot } from '@zhezi/deadline';
import { createRedis, JOB_OPTIONS, JobName, QUEUE_CONCURRENCY, QueueName } from '@zhezi/jobs';
import { NotifyModule } from '@zhezi/notify';
import { OutboxModule } from '@zhezi/outbox';
import { migrateUp } from '../apps/cli/src/migrate';
import { Dispatcher, SLOT_MS } from '../apps/worker/src/dispatcher';
import { QueueRegistry } from '../apps/worker/src/queue.registry';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { REDIS } from '../apps/worker/src/worker.tokens';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN = `${process.pid}`;

/** The issue's targets. */
const TARGETS = { latenessP99Ms: 1000, reconcilePassMs: 5000, redisBytes: 100 * 1024 * 1024, ratio: 0.5 };

/** Jobs per enqueue / firing measurement, as the issue asks. */
const JOBS = 10_000;
/** The dispatcher enqueues in chunks of this size; the baseline adds the same way. */
const BULK = 1000;
/** Escalations of a firing scenario come due this long after it is set up: time to enqueue them first. */
const LEAD_MS = 20_000;
/** The baseline adds its jobs in about a second; this is plenty. */
const BASELINE_LEAD_MS = 5_000;
/** A district has a few thousand tasks; each is shared by many units (one share per unit and task). */
const MAX_TASKS = 4000;
const MIN_UNITS_PER_TASK = 25;

// ---------------------------------------------------------------------------------------------
// Options, clean-up, small helpers

interface Options {
  sizes: number[];
}

function parseOptions(argv: string[]): Options {
  if (argv.includes('--quick')) return { sizes: [10_000] };
  const at = argv.indexOf('--sizes');
  if (at < 0) return { sizes: [100_000, 1_000_000] };
  const sizes = (argv[at + 1] ?? '').split(',').map(Number);
  if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 1000)) {
    throw new Error('usage: bench:deadlines [-- --sizes 100000,1000000 | --quick]  (each size ≥ 1000)');
  }
  return { sizes };
}

/** Undo steps, run last-in first-out; each runs even if an earlier one fails. */
export class Cleanup {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];
  private running: Promise<void> | null = null;

  add(name: string, run: () => Promise<unknown>): () => Promise<void> {
    const step = { name, run };
    this.steps.push(step);
    // Running a step early (a worker closed before the next size) removes it from the list.
    return async () => {
      const at = this.steps.indexOf(step);
      if (at < 0) return;
      this.steps.splice(at, 1);
      await run();
    };
  }

  /** Callers during a run (Ctrl-C, then the failure it causes in main) wait for that same run. */
  run(): Promise<void> {
    this.running ??= this.runSteps().finally(() => (this.running = null));
    return this.running;
  }

  private async runSteps(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (error) {
        console.error(`clean-up "${step.name}" failed: ${(error as Error).message}`);
      }
    }
  }
}

const log = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** Polls until `done` accepts the probe's value, or the time is up; returns the last value either way. */
async function pollUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface Spread {
  p50: number;
  p99: number;
  max: number;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1] ?? NaN };
}

// ---------------------------------------------------------------------------------------------
// The machine

/** The commit measured, and whether the engine's sources differ from it. */
function codeVersion(): string {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  try {
    // Sources loaded at start are what runs: name uncommitted changes by a hash of their diff.
    const diff = git('diff', 'HEAD', '--', 'apps', 'libs', 'migrations');
    const hash = createHash('sha1').update(diff).digest('hex').slice(0, 8);
    return `${git('rev-parse', '--short', 'HEAD')}${diff ? ` + uncommitted changes (diff ${hash})` : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** The heap sizes this process was started with, from its command line or NODE_OPTIONS. */
function heapFlags(): string {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const heap = flags.filter((flag) => /^--max-(semi|old)-space-size=/.test(flag));
  return heap.length ? heap.join(' ') : "V8's default heap sizes";
}

export async function describeMachine(): Promise<string[]> {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const pg = await withServer(async (c) => (await c.query<{ v: string }>('SELECT version() AS v')).rows[0].v);
  const redis = createRedis(REDIS_URL);
  try {
    const info = await redis.info('server');
    const policy = (await redis.config('GET', 'maxmemory-policy')) as string[];
    return [
      `code: ${codeVersion()}; started ${new Date().toISOString()}, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
      `cpu: ${availableParallelism()} × ${cpu}; RAM ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version} (NODE_ENV=${process.env.NODE_ENV ?? 'unset'}; ${heapFlags()})`,
      `PostgreSQL: ${pg.split(' on ')[0]}`,
      `Redis: ${/redis_version:(\S+)/.exec(info)?.[1]} (maxmemory-policy ${policy[1]})`,
    ];
  } finally {
    redis.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// Databases and data

async function withServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function urlOf(database: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A migrated database of its own, dropped by the clean-up. */
export async function createDatabase(name: string, cleanup: Cleanup): Promise<string> {
  await withServer((c) => c.query(`CREATE DATABASE "${name}"`));
  cleanup.add(`drop database ${name}`, () =>
    withServer((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  );
  const url = urlOf(name);
  await migrateUp(url);
  return url;
}

interface Dataset {
  units: number;
  tasks: number;
}

/**
 * The organisation (a government, its inspectorate with an inspector, a leader, `units` units with one officer
 * each, a plan) and N open assignments on a few thousand tasks, all in SQL. Due dates spread over the year
 * from 15 days ahead, so every ladder's first step (5 workdays before) is still to come: a reconciliation then
 * has nothing overdue to fire, and the dispatcher's horizon holds only what is really due.
 */
export async function seed(db: Client, n: number): Promise<Dataset> {
  const tasks = Math.min(MAX_TASKS, Math.ceil(n / MIN_UNITS_PER_TASK));
  const units = Math.ceil(n / tasks);
  await db.query(`
    INSERT INTO org_unit (code, name, kind) VALUES ('G', '压测区人民政府', 'GOVERNMENT');
    INSERT INTO org_unit (code, name, kind, parent_id)
      SELECT 'I', '压测区督查室', 'INSPECTORATE', id FROM org_unit WHERE code = 'G';
    INSERT INTO app_user (username, display_name, password_hash, role, org_unit_id)
      SELECT 'inspector', '督查员', '!', 'INSPECTOR', id FROM org_unit WHERE code = 'I'
      UNION ALL SELECT 'leader', '副区长', '!', 'LEADER', id FROM org_unit WHERE code = 'G';
    INSERT INTO plan (title, kind, period_start, period_end)
      VALUES ('压测任务清单', 'TASK_LIST', now() - interval '1 year', now() + interval '2 years');`);
  await db.query(
    `INSERT INTO org_unit (code, name, kind, parent_id, sort_order)
     SELECT 'U' || u, '压测单位' || u, CASE WHEN u % 2 = 0 THEN 'DEPARTMENT' ELSE 'SUBDISTRICT' END,
            (SELECT id FROM org_unit WHERE code = 'G'), u
     FROM generate_series(0, $1 - 1) AS u`,
    [units],
  );
  await db.query(`
    INSERT INTO app_user (username, display_name, password_hash, role, org_unit_id)
    SELECT 'officer' || sort_order, name || '经办人', '!',
           CASE kind WHEN 'DEPARTMENT' THEN 'DEPARTMENT_OFFICER' ELSE 'SUBDISTRICT_OFFICER' END, id
    FROM org_unit WHERE code LIKE 'U%'`);
  // Pseudo-random but repeatable spreads: due 15–364 days ahead at 18:00 Beijing, created 1–90 days ago.
  await db.query(
    `INSERT INTO task (plan_id, code, title, due_at, status, responsible_leader_id, created_at, updated_at)
     SELECT (SELECT id FROM plan), 'T' || t, '压测任务' || t,
            date_trunc('day', now()) + (15 + (t * 7919) % 350) * interval '1 day' + interval '10 hours',
            'ASSIGNED', (SELECT id FROM app_user WHERE username = 'leader'),
            now() - (1 + (t * 31) % 90) * interval '1 day', now()
     FROM generate_series(0, $1 - 1) AS t`,
    [tasks],
  );
  // Share i: task i mod T, unit i div T (one share per unit and task); unit 0 leads; some shares due earlier.
  await db.query(
    `INSERT INTO assignment (task_id, org_unit_id, role, due_at, status, created_at, updated_at)
     SELECT t.id, u.id, CASE WHEN u.sort_order = 0 THEN 'LEAD' ELSE 'SUPPORT' END,
            t.due_at - (i % 3) * interval '1 day', (ARRAY['ASSIGNED', 'ACCEPTED', 'IN_PROGRESS'])[1 + i % 3],
            t.created_at, t.created_at
     FROM generate_series(0, $1 - 1) AS i
     JOIN task t ON t.code = 'T' || (i % $2)
     JOIN org_unit u ON u.code = 'U' || (i / $2)`,
    [n, tasks],
  );
  await db.query('ANALYZE');
  return { units, tasks };
}

/** Largest number of next steps planned for one instant: what one dispatch horizon may have to hold. */
async function peakInstant(db: Client): Promise<{ at: Date | null; count: number }> {
  const { rows } = await db.query<{ at: Date; count: number }>(
    `SELECT next_at AS at, count(*)::int AS count FROM escalation_state WHERE next_at IS NOT NULL
     GROUP BY next_at ORDER BY count(*) DESC LIMIT 1`,
  );
  return rows[0] ?? { at: null, count: 0 };
}

// ---------------------------------------------------------------------------------------------
// Nest contexts: the engine's services alone, or the whole worker

export function configFor(databaseUrl: string, redisPrefix: string): AppConfig {
  return loadConfig({
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    // Reconciliation batches of 10,000 rows are slow by design; their statements would flood the output.
    SLOW_QUERY_MS: '600000',
  });
}

/** The deadline engine and the Dispatcher without BullMQ workers or job schedulers. */
@Module({})
class EngineModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: EngineModule,
      imports: [
        CoreModule.forRoot({ config }),
        AccessModule,
        AuditModule,
        OutboxModule,
        DeadlineModule,
        NotifyModule,
      ],
      providers: [
        { provide: REDIS, inject: [APP_CONFIG], useFactory: (c: AppConfig) => createRedis(c.redisUrl) },
        QueueRegistry,
        Dispatcher,
      ],
    };
  }
}

export async function startEngine(config: AppConfig, cleanup: Cleanup): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(EngineModule.forRoot(config), { logger: ['error'] });
  cleanup.add('close the engine context', async () => {
    // The WorkerService closes these in the worker; here nothing else would.
    await app.get(QueueRegistry).closeAll();
    await app.get<Redis>(REDIS).quit();
    await app.close();
  });
  return app;
}

/** Deletes every key under `prefix:` (queues, job schedulers, events streams). */
export async function deleteKeys(redis: Redis | Cluster, prefix: string): Promise<number> {
  // One SCAN and multi-key DELs: a cluster would need both per master and per slot.
  if (redis instanceof Cluster) throw new Error('the benchmarks run on one Redis server, not a cluster');
  let deleted = 0;
  const stream = redis.scanStream({ match: `${prefix}:*`, count: 1000 });
  for await (const keys of stream as AsyncIterable<string[]>) {
    if (keys.length) deleted += await redis.del(...keys);
  }
  return deleted;
}

// ---------------------------------------------------------------------------------------------
// CPU: who was busy (the machine is shared by Node, PostgreSQL, Redis, and whatever else runs on it)

export interface CpuSample {
  at: number;
  machineBusy: number;
  nodeMicros: number;
  /** Ticks per pid of our database's backends: pool connections come and go between samples. */
  postgres: Map<number, number>;
  /**
   * Ticks of the postmaster's ended children (its cutime + cstime): parallel workers, which start and end within
   * a statement and are never in a sample, and backends that closed between two samples.
   */
  postgresEnded: number;
  redis: number;
}

/** The fields of /proc/<pid>/stat after the command name: [0] is the state, [1] the parent, [11] utime. */
const statOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
};

/** Clock ticks (utime + stime) per process that `wanted` accepts, by command name and pid. */
function ticksOf(wanted: (comm: string, pid: number) => boolean): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (!wanted(readFileSync(`/proc/${pid}/comm`, 'utf8').trim(), Number(pid))) continue;
      const fields = statOf(Number(pid));
      ticks.set(Number(pid), fields[11] + fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks;
}

const sum = (ticks: Map<number, number>) => [...ticks.values()].reduce((a, b) => a + b, 0);

/**
 * PostgreSQL counts the backends connected to our database and every process of the server that ended (parallel
 * workers above all, and autovacuum's); other databases' live sessions show as "other". The server runs on this
 * machine.
 */
export async function cpuSample(db: Client): Promise<CpuSample> {
  const { rows } = await db.query<{ pid: number; self: boolean }>(
    'SELECT pid, pid = pg_backend_pid() AS self FROM pg_stat_activity WHERE datname = current_database()',
  );
  const ours = new Set(rows.map((r) => r.pid));
  const postmaster = statOf(rows.find((r) => r.self)!.pid)[1];
  const ended = statOf(postmaster);
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  const { user: nodeUser, system: nodeSystem } = process.cpuUsage();
  return {
    at: performance.now(),
    machineBusy: user + nice + system + irq + softirq + steal,
    nodeMicros: nodeUser + nodeSystem,
    postgres: ticksOf((comm, pid) => comm === 'postgres' && ours.has(pid)),
    postgresEnded: ended[13] + ended[14],
    redis: sum(ticksOf((comm) => comm === 'redis-server')),
  };
}

/**
 * Ticks PostgreSQL used for us between two samples: our backends' (one that started meanwhile counts from zero)
 * and the processes that ended meanwhile, less what an ended backend of ours had used before the first sample.
 */
function postgresTicks(a: CpuSample, b: CpuSample): number {
  let ticks = b.postgresEnded - a.postgresEnded;
  for (const [pid, after] of b.postgres) ticks += after - (a.postgres.get(pid) ?? 0);
  for (const [pid, before] of a.postgres) if (!b.postgres.has(pid)) ticks -= before;
  return ticks;
}

/** Cores in use on average between two samples (ticks are 1/100 s). */
export interface CpuUse {
  machine: number;
  node: number;
  postgres: number;
  redis: number;
  /** Everything else: other databases' live backends, other processes (a shared machine's noise). */
  other: number;
}

export function cpuUse(a: CpuSample, b: CpuSample): CpuUse {
  const seconds = (b.at - a.at) / 1000;
  const use = {
    machine: (b.machineBusy - a.machineBusy) / 100 / seconds,
    node: (b.nodeMicros - a.nodeMicros) / 1e6 / seconds,
    postgres: postgresTicks(a, b) / 100 / seconds,
    redis: (b.redis - a.redis) / 100 / seconds,
  };
  return { ...use, other: Math.max(0, use.machine - use.node - use.postgres - use.redis) };
}

// ---------------------------------------------------------------------------------------------
// (a) reconciliation

/** The pass with nothing to change is repeated: on a shared machine one run can catch someone else's work. */
const PASSES = 3;

interface ReconcileFigures {
  startMs: number;
  started: number;
  /** The second pass onwards: every pass's time, in order, and the median. */
  passMs: number[];
  medianPassMs: number;
  scanned: number;
  changed: number;
  /** Who used the CPU during the median pass: the engine (node) or PostgreSQL. */
  cpu: CpuUse;
}

async function measureReconcile(engine: INestApplicationContext, db: Client): Promise<ReconcileFigures> {
  const escalations = engine.get(EscalationReconciler);
  log('(a) reconcile from empty state…');
  const first = await escalations.reconcile();
  log(`    started ${first.created} ladders in ${first.ms} ms; ${PASSES} passes with nothing to change…`);
  const passes: { ms: number; scanned: number; changed: number; cpu: CpuUse }[] = [];
  for (let i = 0; i < PASSES; i++) {
    const before = await cpuSample(db);
    const pass = await escalations.reconcile();
    passes.push({ ...pass, cpu: cpuUse(before, await cpuSample(db)) });
  }
  const median = [...passes].sort((a, b) => a.ms - b.ms)[Math.floor(PASSES / 2)];
  log(
    `    scanned ${median.scanned}, changed ${passes.map((p) => p.changed).join('/')}; ` +
      `${passes.map((p) => p.ms).join(' / ')} ms`,
  );
  return {
    startMs: first.ms,
    started: first.created,
    passMs: passes.map((p) => p.ms),
    medianPassMs: median.ms,
    scanned: median.scanned,
    changed: Math.max(...passes.map((p) => p.changed)),
    cpu: median.cpu,
  };
}

// ---------------------------------------------------------------------------------------------
// (b) Redis memory around a dispatch pass, (c) enqueue rate

interface Memory {
  used: number;
  /** Only our keys: what a pass costs, whatever else the shared Redis holds. */
  prefix: number;
}

async function memoryOf(redis: Redis, prefix: string): Promise<Memory> {
  const used = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
  let bytes = 0;
  const stream = redis.scanStream({ match: `${prefix}:*`, count: 1000 });
  for await (const keys of stream as AsyncIterable<string[]>) {
    if (!keys.length) continue;
    const pipeline = redis.pipeline();
    keys.forEach((key) => pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    for (const [, size] of (await pipeline.exec()) ?? []) bytes += Number(size ?? 0);
  }
  return { used, prefix: bytes };
}

interface DispatchFigures {
  before: Memory;
  after: Memory;
  enqueued: number;
  passMs: number;
}

async function measureDispatch(engine: INestApplicationContext, prefix: string): Promise<DispatchFigures> {
  const redis = engine.get<Redis>(REDIS);
  log('(b) Redis memory around a dispatch pass…');
  const before = await memoryOf(redis, prefix);
  const { value: report, ms: passMs } = await timed(() => engine.get(Dispatcher).pass());
  const after = await memoryOf(redis, prefix);
  // Nothing consumes these here; the next measurement starts from an empty queue.
  await engine.get(QueueRegistry).get(QueueName.ESCALATIONS).obliterate({ force: true });
  return { before, after, enqueued: report.escalations, passMs };
}

interface EnqueueFigures {
  escalations: number;
  jobs: number;
  ms: number;
  perSecond: number;
  bytesPerEscalation: number;
}

/** 10,000 escalations due within one minute an hour from now, so nothing fires while they are counted. */
async function measureEnqueue(engine: INestApplicationContext, prefix: string): Promise<EnqueueFigures> {
  log(`(c) enqueue rate for ${JOBS} escalations due within one minute…`);
  const first = Math.ceil((Date.now() + 3_600_000) / SLOT_MS) * SLOT_MS;
  const slotCount = 60_000 / SLOT_MS;
  const slots: DueSlot[] = Array.from({ length: slotCount }, (_, i) => ({
    at: first + i * SLOT_MS,
    count: Math.floor(JOBS / slotCount) + (i < JOBS % slotCount ? 1 : 0),
  }));
  const redis = engine.get<Redis>(REDIS);
  const before = await memoryOf(redis, prefix);
  const queue = engine.get(QueueRegistry).get(QueueName.ESCALATIONS);
  const { ms } = await timed(() => engine.get(Dispatcher).enqueueSlots(slots));
  const after = await memoryOf(redis, prefix);
  const jobs = await queue.getDelayedCount();
  await queue.obliterate({ force: true });
  return {
    escalations: JOBS,
    jobs,
    ms,
    perSecond: (JOBS / ms) * 1000,
    bytesPerEscalation: (after.prefix - before.prefix) / JOBS,
  };
}

// ---------------------------------------------------------------------------------------------
// (d) lateness and throughput with the real worker

interface FireFigures {
  due: number;
  fired: number;
  passMs: number;
  lateness: Spread;
  perSecond: number;
  cpu: CpuUse;
  sqlPerFiring: number;
}

export async function startWorker(config: AppConfig, cleanup: Cleanup) {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config }), {
    logger: ['error', 'warn'],
  });
  const close = cleanup.add('close the worker', () => app.close());
  return { app, close };
}

/**
 * The worker reconciles at start (and its hourly scheduler's first run is immediate): wait for both, so the
 * firing scenarios measure the steady state rather than a worker busy re-deriving N plans.
 */
export async function waitForStartupReconcile(worker: INestApplicationContext): Promise<number> {
  const system = worker.get(QueueRegistry).get(QueueName.SYSTEM);
  const started = performance.now();
  const running = async () => {
    const jobs = await system.getJobs(['active', 'wait', 'prioritized', 'delayed']);
    const soon = Date.now() + 60_000;
    return jobs.filter(
      (j) => j?.name === (JobName.ESCALATION_RECONCILE as string) && j.timestamp + (j.delay ?? 0) < soon,
    ).length;
  };
  const left = await pollUntil(running, (n) => n === 0, 30 * 60_000);
  if (left) throw new Error('the worker start-up reconciliation did not finish within 30 minutes');
  return performance.now() - started;
}

/** A one-level policy firing at the due time: plans the engine itself derives, so no reconcile undoes them. */
export async function benchPolicyVersion(db: Client): Promise<string> {
  const levels = [
    {
      offsetWorkdays: null,
      offsetDuration: 'PT0S',
      action: 'REMIND',
      recipients: ['UNIT_OFFICERS'],
      repeatWorkdays: null,
      repeatDuration: null,
    },
  ];
  const { rows } = await db.query<{ id: string }>(
    `WITH p AS (INSERT INTO escalation_policy (name) VALUES ('压测：到期即提醒') RETURNING id)
     INSERT INTO escalation_policy_version (policy_id, number, levels) SELECT id, 1, $1 FROM p RETURNING id`,
    [JSON.stringify(levels)],
  );
  return rows[0].id;
}

/**
 * Moves the chosen assignments' due dates to `t0` + i·spread/count and their ladders onto the bench policy
 * (a new cycle, version bumped): exactly what reconcile() would derive for them, so nothing re-plans them.
 */
async function planDue(db: Client, ids: string[], t0: Date, spreadMs: number, versionId: string) {
  await db.query(
    `WITH pick AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM unnest($1::uuid[]) AS id),
     moved AS (
       UPDATE assignment a SET due_at = $2::timestamptz + (pick.i * $3::float8 / $4) * interval '1 millisecond'
       FROM pick WHERE a.id = pick.id RETURNING a.id, a.due_at
     )
     UPDATE escalation_state s SET policy_version_id = $5, cycle = s.cycle + 1, cycle_started_at = now(),
       last_level = NULL, last_occurrence = NULL, last_acknowledged = false,
       next_level = 0, next_occurrence = 0, next_at = moved.due_at, version = s.version + 1, updated_at = now()
     FROM moved WHERE s.assignment_id = moved.id`,
    [ids, t0, spreadMs, ids.length, versionId],
  );
}

const sleepUntil = (at: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

/**
 * One scenario: plan `ids` due from LEAD_MS ahead over `spreadMs`, run a dispatch pass as the scheduler
 * would (it enqueues the horizon), then wait for the worker to fire them all and read the escalation rows.
 */
export async function fireScenario(
  worker: INestApplicationContext,
  db: Client,
  ids: string[],
  spreadMs: number,
  versionId: string,
): Promise<FireFigures> {
  const t0 = new Date(Date.now() + LEAD_MS);
  await planDue(db, ids, t0, spreadMs, versionId);
  const { ms: passMs } = await timed(() => worker.get(Dispatcher).pass());
  const count = async () =>
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM escalation WHERE assignment_id = ANY($1) AND policy_version_id = $2`,
        [ids, versionId],
      )
    ).rows[0].n;
  const sql = worker.get(DataSource).logger as SqlLogger;
  await sleepUntil(t0.getTime());
  const [cpuBefore, sqlBefore] = [await cpuSample(db), sql.queryCount];
  await pollUntil(count, (n) => n >= ids.length, spreadMs + 10 * 60_000);
  const [cpuAfter, sqlAfter] = [await cpuSample(db), sql.queryCount];
  const { rows } = await db.query<{ late: number; fired: Date }>(
    `SELECT extract(epoch FROM fired_at - planned_at) * 1000 AS late, fired_at AS fired
     FROM escalation WHERE assignment_id = ANY($1) AND policy_version_id = $2`,
    [ids, versionId],
  );
  const lastFired = Math.max(...rows.map((r) => r.fired.getTime()));
  return {
    due: ids.length,
    fired: rows.length,
    passMs,
    lateness: spread(rows.map((r) => Number(r.late))),
    perSecond: rows.length / ((lastFired - t0.getTime()) / 1000),
    cpu: cpuUse(cpuBefore, cpuAfter),
    sqlPerFiring: (sqlAfter - sqlBefore) / Math.max(1, rows.length),
  };
}

interface WorkerFigures {
  startupReconcileMs: number;
  minute: FireFigures;
  burst: FireFigures;
  /** Our Redis keys once both scenarios have fired: completed domain-event jobs are kept (count 10,000). */
  redisAfter: number;
}

async function measureWorker(
  config: AppConfig,
  db: Client,
  n: number,
  cleanup: Cleanup,
): Promise<WorkerFigures> {
  const cohort = Math.min(JOBS, Math.floor(n / 2));
  const { rows } = await db.query<{ id: string }>(
    `SELECT assignment_id AS id FROM escalation_state WHERE next_at IS NOT NULL ORDER BY assignment_id LIMIT $1`,
    [2 * cohort],
  );
  const ids = rows.map((r) => r.id);
  const versionId = await benchPolicyVersion(db);
  log('(d) starting the worker; waiting for its start-up reconciliation…');
  const { app, close } = await startWorker(config, cleanup);
  const startupReconcileMs = await waitForStartupReconcile(app);
  log(`    done in ${Math.round(startupReconcileMs)} ms; ${cohort} escalations due within one minute…`);
  const minute = await fireScenario(app, db, ids.slice(0, cohort), 60_000, versionId);
  log(`    fired ${minute.fired}, p99 ${Math.round(minute.lateness.p99)} ms; ${cohort} due at one instant…`);
  const burst = await fireScenario(app, db, ids.slice(cohort), 0, versionId);
  log(`    fired ${burst.fired} at ${burst.perSecond.toFixed(0)}/s; closing the worker`);
  // The relay publishes the last events a second later; let it, so the figure is what stays.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const redisAfter = (await memoryOf(app.get<Redis>(REDIS), config.redisPrefix)).prefix;
  await close();
  return { startupReconcileMs, minute, burst, redisAfter };
}

// ---------------------------------------------------------------------------------------------
// Baseline: plain BullMQ, no-op processor

interface BaselineFigures {
  addPerSecond: number;
  perSecond: number;
  lateness: Spread;
}

/**
 * The same number of delayed jobs, added in the same chunks with the same options and deterministic ids, due
 * from one instant over `spreadMs`, processed by a Worker of the escalations queue's concurrency doing nothing.
 */
async function measureBaseline(prefix: string, spreadMs: number, cleanup: Cleanup): Promise<BaselineFigures> {
  const concurrency = QUEUE_CONCURRENCY[QueueName.ESCALATIONS];
  log(`baseline: plain BullMQ, ${JOBS} jobs due over ${spreadMs} ms, concurrency ${concurrency}…`);
  const connection = createRedis(REDIS_URL);
  const queue = new Queue('baseline', { connection, prefix });
  const lateness: number[] = [];
  const t0 = Date.now() + BASELINE_LEAD_MS;
  const worker = new Worker(
    'baseline',
    (job) => {
      lateness.push(Date.now() - (job.data as { plannedAt: number }).plannedAt);
      return Promise.resolve();
    },
    { connection, prefix, concurrency, lockDuration: 10_000, stalledInterval: 5_000 },
  );
  const close = cleanup.add('close the baseline worker', async () => {
    await worker.close();
    await queue.close();
    await deleteKeys(connection, prefix);
    connection.disconnect();
  });
  let lastDone = 0;
  worker.on('completed', () => (lastDone = Date.now()));
  const { ms: addMs } = await timed(() => addBaselineJobs(queue, t0, spreadMs));
  await pollUntil(
    () => Promise.resolve(lateness.length),
    (done) => done >= JOBS,
    BASELINE_LEAD_MS + spreadMs + 5 * 60_000,
  );
  await close();
  return {
    addPerSecond: (JOBS / addMs) * 1000,
    perSecond: lateness.length / ((lastDone - t0) / 1000),
    lateness: spread(lateness),
  };
}

async function addBaselineJobs(queue: Queue, t0: number, spreadMs: number): Promise<void> {
  for (let i = 0; i < JOBS; i += BULK) {
    const now = Date.now();
    await queue.addBulk(
      Array.from({ length: Math.min(BULK, JOBS - i) }, (_, k) => {
        const plannedAt = t0 + Math.floor(((i + k) * spreadMs) / JOBS);
        return {
          name: JobName.ESCALATION_FIRE,
          data: { assignmentId: `00000000-0000-4000-8000-${String(i + k).padStart(12, '0')}`, plannedAt },
          opts: { ...JOB_OPTIONS[JobName.ESCALATION_FIRE], jobId: `base-${i + k}-1`, delay: plannedAt - now },
        };
      }),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// One size, and the report

interface SizeFigures {
  n: number;
  dataset: Dataset;
  seedMs: number;
  peak: { at: Date | null; count: number };
  reconcile: ReconcileFigures;
  dispatch: DispatchFigures;
  enqueue: EnqueueFigures;
  worker: WorkerFigures;
}

interface Baseline {
  minute: BaselineFigures;
  burst: BaselineFigures;
}

async function benchSize(n: number, cleanup: Cleanup): Promise<SizeFigures> {
  const sizeCleanup = new Cleanup();
  const done = cleanup.add(`clean up after N=${n}`, () => sizeCleanup.run());
  try {
    const name = `zhezi_bench_${RUN}_${n}`;
    const prefix = `zhezi-bench-${RUN}-${n}`;
    log(`N=${n}: database ${name}, Redis prefix ${prefix}`);
    const redis = createRedis(REDIS_URL);
    sizeCleanup.add(`delete Redis keys ${prefix}:*`, async () => {
      log(`deleted ${await deleteKeys(redis, prefix)} Redis keys under ${prefix}`);
      redis.disconnect();
    });
    const url = await createDatabase(name, sizeCleanup);
    const db = new Client({ connectionString: url });
    await db.connect();
    sizeCleanup.add('close the bench connection', () => db.end());

    const { value: dataset, ms: seedMs } = await timed(() => seed(db, n));
    log(
      `seeded ${n} assignments (${dataset.tasks} tasks × ${dataset.units} units) in ${Math.round(seedMs)} ms`,
    );
    const config = configFor(url, prefix);
    const engine = await startEngine(config, sizeCleanup);
    const reconcile = await measureReconcile(engine, db);
    const peak = await peakInstant(db);
    const dispatch = await measureDispatch(engine, prefix);
    const enqueue = await measureEnqueue(engine, prefix);
    const worker = await measureWorker(config, db, n, sizeCleanup);
    return { n, dataset, seedMs, peak, reconcile, dispatch, enqueue, worker };
  } finally {
    await done();
  }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MB`;
const ms = (value: number) => `${Math.round(value).toLocaleString('en')} ms`;
const rate = (value: number) => `${Math.round(value).toLocaleString('en')}/s`;
const late = (s: Spread) => `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}`;
export const cores = (c: CpuUse) =>
  `${c.machine.toFixed(2)}: node ${c.node.toFixed(2)}, pg ${c.postgres.toFixed(2)}, ` +
  `redis ${c.redis.toFixed(2)}, other ${c.other.toFixed(2)}`;
const processingRatio = (r: SizeFigures, b: Baseline) => r.worker.burst.perSecond / b.burst.perSecond;

/** A markdown table: one column per size, the baseline alongside. */
function table(results: SizeFigures[], baseline: Baseline): string {
  const row = (label: string, cell: (r: SizeFigures) => string) =>
    `| ${label} | ${results.map(cell).join(' | ')} |`;
  const { minute: bm, burst: bb } = baseline;
  return [
    `| | ${results.map((r) => `N = ${r.n.toLocaleString('en')}`).join(' | ')} |`,
    `|---|${results.map(() => '---:').join('|')}|`,
    row('dataset: tasks × units', (r) => `${r.dataset.tasks} × ${r.dataset.units}`),
    row('seed (generate_series + ANALYZE)', (r) => ms(r.seedMs)),
    row(
      'reconcile from empty (ladders started)',
      (r) => `${ms(r.reconcile.startMs)} (${r.reconcile.started})`,
    ),
    row(
      `**reconciliation pass** (nothing to change): median of ${PASSES} (each)`,
      (r) => `**${ms(r.reconcile.medianPassMs)}** (${r.reconcile.passMs.map(ms).join(', ')})`,
    ),
    row('  scanned / changed (most in one pass)', (r) => `${r.reconcile.scanned} / ${r.reconcile.changed}`),
    row('  cores busy (median pass)', (r) => cores(r.reconcile.cpu)),
    row(
      'largest batch planned for one instant',
      (r) => `${r.peak.count} (${r.peak.at?.toISOString() ?? '–'})`,
    ),
    row('dispatch pass: due in 5-min horizon', (r) => `${r.dispatch.enqueued} in ${ms(r.dispatch.passMs)}`),
    row(
      'Redis used_memory before → after pass',
      (r) => `${mb(r.dispatch.before.used)} → ${mb(r.dispatch.after.used)}`,
    ),
    row('Redis, our keys after pass', (r) => mb(r.dispatch.after.prefix)),
    row(
      `enqueue ${JOBS} escalations due within 1 min: per second (time; jobs)`,
      (r) => `${rate(r.enqueue.perSecond)} (${ms(r.enqueue.ms)}; ${r.enqueue.jobs} jobs)`,
    ),
    row('Redis per queued escalation', (r) => `${Math.round(r.enqueue.bytesPerEscalation)} B`),
    row('worker start-up reconcile (waited for)', (r) => ms(r.worker.startupReconcileMs)),
    row('**lateness p50 / p99 / max**, due within 1 min', (r) => `**${late(r.worker.minute.lateness)}**`),
    row(
      '  fired / due; dispatch pass',
      (r) => `${r.worker.minute.fired} / ${r.worker.minute.due}; ${ms(r.worker.minute.passMs)}`,
    ),
    row('  throughput (bounded by arrivals)', (r) => rate(r.worker.minute.perSecond)),
    row('  cores busy', (r) => cores(r.worker.minute.cpu)),
    row('**burst throughput**, all due at once', (r) => `**${rate(r.worker.burst.perSecond)}**`),
    row('  lateness p50 / p99 / max', (r) => late(r.worker.burst.lateness)),
    row(
      '  fired / due; SQL statements per firing',
      (r) => `${r.worker.burst.fired} / ${r.worker.burst.due}; ${r.worker.burst.sqlPerFiring.toFixed(1)}`,
    ),
    row('  cores busy', (r) => cores(r.worker.burst.cpu)),
    row('Redis, our keys after both scenarios', (r) => mb(r.worker.redisAfter)),
    row('baseline: add rate (ours)', (r) => `${rate(bb.addPerSecond)} (${rate(r.enqueue.perSecond)})`),
    row('baseline: lateness p50 / p99 / max, 1 min', () => late(bm.lateness)),
    row('baseline: no-op throughput, burst', () => rate(bb.perSecond)),
    row('**ratio ours / baseline, processing**', (r) => `**${processingRatio(r, baseline).toFixed(3)}**`),
    row('ratio ours / baseline, enqueue', (r) => (r.enqueue.perSecond / bb.addPerSecond).toFixed(2)),
  ].join('\n');
}

function verdicts(results: SizeFigures[], baseline: Baseline): string[] {
  const say = (ok: boolean, text: string) => `${ok ? 'MET   ' : 'MISSED'} N=${text}`;
  return results.flatMap((r) => {
    const ratio = processingRatio(r, baseline);
    const redis = Math.max(r.dispatch.after.prefix, r.worker.redisAfter);
    const p99 = r.worker.minute.lateness.p99;
    return [
      say(p99 < TARGETS.latenessP99Ms, `${r.n}: lateness p99 ${ms(p99)} (target < 1 s)`),
      say(
        r.reconcile.medianPassMs < TARGETS.reconcilePassMs,
        `${r.n}: reconciliation pass ${ms(r.reconcile.medianPassMs)} (< 5 s)`,
      ),
      say(redis < TARGETS.redisBytes, `${r.n}: Redis, our keys at most ${mb(redis)} (< 100 MB)`),
      say(ratio >= TARGETS.ratio, `${r.n}: processing throughput ratio ${ratio.toFixed(3)} (≥ 0.5)`),
    ];
  });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cleanup = new Cleanup();
  // Ctrl-C still drops the databases and Redis keys.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup.run().finally(() => process.exit(130)));
  }
  try {
    const machine = await describeMachine();
    machine.forEach((line) => log(line));
    const baseline: Baseline = {
      minute: await measureBaseline(`zhezi-bench-${RUN}-baseline-minute`, 60_000, cleanup),
      burst: await measureBaseline(`zhezi-bench-${RUN}-baseline-burst`, 0, cleanup),
    };
    const results: SizeFigures[] = [];
    for (const n of options.sizes) results.push(await benchSize(n, cleanup));
    console.log(`\n${machine.join('\n')}\n\n${table(results, baseline)}\n`);
    console.log(verdicts(results, baseline).join('\n'));
  } finally {
    await cleanup.run();
  }
}

// Importable for one-off profiling scripts; runs only as `npm run bench:deadlines`.
if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
