/**
 * Scale-out benchmark: `npm run bench:scale [-- --assignments 100000 --rounds 2 | --quick]`.
 *
 * A throw-away database with a generated city (`generateCity`, N assignments), then two api replicas as separate
 * processes (`npm run start:api`'s way) behind Debian's HAProxy running docker/haproxy.cfg (tools/scale-out.ts).
 * Every board is read once through each replica (the read model and the leader board's cache warm up), then per
 * board, with the same 16-connection autocannon load as `bench:boards` (in a worker thread of this process):
 *   1. through HAProxy with the second replica out of rotation (`disable server`): one replica;
 *   2. straight to that replica, in the first round only (what the balancer costs, read against 1.);
 *   3. through HAProxy with both in rotation: two replicas;
 * for `--rounds` rounds (default 2). It reports requests per second and latency for each run,
 * the ratio 3 ÷ 1 per round and over all rounds, the cores each process used and the load average before each run.
 * Everything it makes is removed at the end, also after an error or Ctrl-C.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@zhezi/core';
import { createRedis } from '@zhezi/jobs';
import { generateCity } from '@zhezi/seed';
import {
  bodyOf,
  BOARDS,
  CLIENTS,
  findSubjects,
  latency,
  LoadGenerator,
  postGraphql,
  rate,
  signIn,
  spreadOf,
  type Board,
  type Spread,
} from './bench-boards';
import {
  Cleanup,
  cpuSample,
  cpuUse,
  createDatabase,
  deleteKeys,
  describeMachine,
  timed,
} from './bench-deadlines';
import { ensureHaproxy, startCluster, type Cluster } from './scale-out';

const RUN = `${process.pid}`;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WARM_UP_S = 2;
const MEASURE_S = 10;
/** Node-bound boards (cached or computed per request) and the stack's own floor; bench:boards has the rest. */
const MEASURED = [
  "leader board, one district's plan",
  'unit board (subdistrict officer)',
  'inspector board, first page',
  'reference: { viewer { id } }',
];

const log = (message: string) =>
  console.log(`[bench:scale ${new Date().toISOString().slice(11, 19)}] ${message}`);
const load1 = () => loadavg()[0];

type Setup = 'direct to one replica' | 'HAProxy, 1 replica' | 'HAProxy, 2 replicas';

interface RunFigures {
  setup: Setup;
  spread: Spread;
  failed: number;
  /** One-minute load average just before the run. */
  loadBefore: number;
  cores: {
    machine: number;
    replicas: number[];
    haproxy: number;
    postgres: number;
    loadGenerator: number;
    /** Whatever else ran meanwhile: a shared machine's noise. */
    other: number;
  };
}

/** Clock ticks (1/100 s) a process has used: utime + stime from /proc. */
function ticksOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** One autocannon run against `url`, with the cores each of our processes used meanwhile. */
async function measure(
  setup: Setup,
  url: string,
  job: { token: string; body: string },
  at: { cluster: Cluster; load: LoadGenerator; db: Client },
): Promise<RunFigures> {
  const pids = [...at.cluster.replicas.map((r) => r.process.pid), at.cluster.haproxy.pid];
  await at.load.run({ url, ...job, seconds: WARM_UP_S });
  const loadBefore = load1();
  const before = { sample: await cpuSample(at.db), ticks: pids.map(ticksOf), at: performance.now() };
  const run = await at.load.run({ url, ...job, seconds: MEASURE_S });
  const use = cpuUse(before.sample, await cpuSample(at.db));
  const seconds = (performance.now() - before.at) / 1000;
  const busy = pids.map((pid, i) => (ticksOf(pid) - before.ticks[i]) / 100 / seconds);
  const figures: RunFigures = {
    setup,
    spread: spreadOf(run),
    failed: run.failed,
    loadBefore,
    cores: {
      machine: use.machine,
      replicas: busy.slice(0, -1),
      haproxy: busy[busy.length - 1],
      postgres: use.postgres,
      loadGenerator: use.node,
      // cpuUse counts the replicas and HAProxy as "other": they are ours here.
      other: Math.max(0, use.other - busy.reduce((a, b) => a + b, 0)),
    },
  };
  log(
    `    ${setup}: ${rate(figures.spread.perSecond)}, p50/p95/p99 ${latency(figures.spread)}, ` +
      `load ${loadBefore.toFixed(2)}${run.failed ? `; ${run.failed} FAILED: ${run.firstError}` : ''}`,
  );
  return figures;
}

interface BoardResult {
  name: string;
  runs: RunFigures[];
}

/**
 * Straight to one replica, then `rounds` pairs of one replica and two behind HAProxy: on a shared machine the
 * pairs show how much of a difference is noise.
 */
async function benchBoard(
  board: Board & { body: string; token: string },
  rounds: number,
  at: { cluster: Cluster; load: LoadGenerator; db: Client },
): Promise<BoardResult> {
  const { cluster } = at;
  const job = { token: board.token, body: board.body };
  log(`  ${board.name}`);
  const runs: RunFigures[] = [];
  for (let round = 0; round < rounds; round++) {
    await cluster.setInRotation('api-2', false);
    runs.push(await measure('HAProxy, 1 replica', `${cluster.balancer}/graphql`, job, at));
    // Beside the first one-replica run, not first of all: the first run of a board also warms it up.
    if (!round)
      runs.push(await measure('direct to one replica', `${cluster.replicas[0].base}/graphql`, job, at));
    await cluster.setInRotation('api-2', true);
    runs.push(await measure('HAProxy, 2 replicas', `${cluster.balancer}/graphql`, job, at));
  }
  return { name: board.name, runs };
}

/** A two-replica run's requests per second over those of the one-replica run of its round. */
function pairRatio(runs: RunFigures[], at: number): number {
  const one = runs.slice(0, at).findLast((r) => r.setup === 'HAProxy, 1 replica');
  return runs[at].spread.perSecond / (one?.spread.perSecond ?? NaN);
}

/** Requests per second with two replicas over one, all rounds together. */
function throughputRatio(b: BoardResult): number {
  const total = (setup: Setup) =>
    b.runs.filter((r) => r.setup === setup).reduce((sum, r) => sum + r.spread.perSecond, 0);
  return total('HAProxy, 2 replicas') / total('HAProxy, 1 replica');
}

function table(results: BoardResult[]): string {
  const c = (n: number) => n.toFixed(2);
  const rows = results.flatMap((b) =>
    b.runs.map((r, i) =>
      [
        b.name,
        r.setup,
        rate(r.spread.perSecond),
        latency(r.spread),
        String(r.failed),
        `${c(r.cores.machine)}: replicas ${r.cores.replicas.map(c).join(' + ')}, haproxy ${c(r.cores.haproxy)}, ` +
          `pg ${c(r.cores.postgres)}, load generator ${c(r.cores.loadGenerator)}, other ${c(r.cores.other)}`,
        c(r.loadBefore),
        r.setup === 'HAProxy, 2 replicas' ? pairRatio(b.runs, i).toFixed(2) : '',
      ].join(' | '),
    ),
  );
  return [
    '| request | setup | req/s | p50 / p95 / p99 | failed | cores busy | load avg (1 min) before | 2 ÷ 1 replicas (req/s, this round) |',
    '|---|---|---:|---:|---:|---|---:|---:|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}

/** Undo steps that also run on Ctrl-C or SIGTERM: the database, the Redis keys and the processes go either way. */
function cleanupOnSignals(): Cleanup {
  const cleanup = new Cleanup();
  const stop = () => void cleanup.run().finally(() => process.exit(130));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  return cleanup;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      assignments: { type: 'string', default: '100000' },
      rounds: { type: 'string', default: '2' },
      quick: { type: 'boolean' },
    },
  });
  const n = values.quick ? 10_000 : Number(values.assignments);
  const rounds = values.quick ? 1 : Number(values.rounds);
  if (!Number.isInteger(n) || n < 1000 || !Number.isInteger(rounds) || rounds < 1) {
    throw new Error('usage: bench:scale [-- --assignments N --rounds R | --quick]  (N ≥ 1000, R ≥ 1)');
  }
  const haproxy = ensureHaproxy();
  if (!haproxy.found) throw new Error(haproxy.reason);
  const cleanup = cleanupOnSignals();
  try {
    const machine = await describeMachine();
    for (const line of machine) log(line);
    const name = `zhezi_bench_scale_${RUN}`;
    const prefix = `zhezi-bench-scale-${RUN}`;
    log(`N=${n}: database ${name}, Redis prefix ${prefix}, HAProxy ${haproxy.version}`);
    const url = await createDatabase(name, cleanup);
    const redis = createRedis(REDIS_URL);
    cleanup.add(`delete Redis keys ${prefix}:*`, async () => {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    });
    // The generator's statements are slow by design: no slow-statement log for them.
    const dataSource = await new DataSource(dataSourceOptions(url, 600_000)).initialize();
    const { value: city, ms: generateMs } = await timed(() =>
      dataSource.transaction((m) => generateCity(m, { assignments: n, seed: 1, now: new Date() })),
    );
    const subjects = await dataSource.query('ANALYZE').then(() => findSubjects(dataSource));
    await dataSource.destroy();
    log(`generated ${city.assignments} assignments in ${Math.round(generateMs)} ms`);

    const { value: cluster, ms: startMs } = await timed(() =>
      startCluster({
        databaseUrl: url,
        redisUrl: REDIS_URL,
        redisPrefix: prefix,
        workers: 0,
        // The first reads after generation compute the read model, which at 1M may take longer than the api's
        // 15 s; the measured requests take milliseconds.
        env: { DATABASE_STATEMENT_TIMEOUT_MS: '300000' },
      }),
    );
    cleanup.add('stop the replicas and HAProxy', () => cluster.stop());
    log(`2 replicas and HAProxy ready in ${Math.round(startMs)} ms; balancer at ${cluster.balancer}`);
    const tokens = await signIn(`${cluster.balancer}/graphql`, subjects);
    const boards = BOARDS.filter((b) => MEASURED.includes(b.name)).map((b) => ({
      ...b,
      body: bodyOf(b, subjects),
      token: tokens[b.reader],
    }));
    // The first read after generation computes the read model; then each replica caches its boards.
    for (const board of boards) {
      const firstReads: number[] = [];
      for (const replica of cluster.replicas) {
        const read = await timed(() => postGraphql(`${replica.base}/graphql`, board.body, board.token));
        firstReads.push(read.ms);
      }
      log(`  first reads of ${board.name}: ${firstReads.map((ms) => `${Math.round(ms)} ms`).join(', ')}`);
    }

    const load = new LoadGenerator();
    cleanup.add('stop the load worker', () => load.close());
    const db = new Client({ connectionString: url });
    await db.connect();
    cleanup.add('close the probe connection', () => db.end());
    const results: BoardResult[] = [];
    for (const board of boards) results.push(await benchBoard(board, rounds, { cluster, load, db }));

    console.log(
      `\n${machine.join('\n')}\nHAProxy ${haproxy.version}; N=${n} (generated in ${Math.round(generateMs / 1000)} s); ` +
        `${CLIENTS} connections, ${WARM_UP_S} s warm-up + ${MEASURE_S} s per run; replicas run with NODE_ENV=production, ` +
        `LOG_LEVEL=warn\n\n${table(results)}\n`,
    );
    for (const b of results) {
      log(
        `${b.name}: 2 replicas ÷ 1 = ${throughputRatio(b).toFixed(2)} (req/s, ${rounds} round(s) together)`,
      );
    }
    const failed = results.flatMap((b) =>
      b.runs.filter((r) => r.failed).map((r) => `${b.name} (${r.setup})`),
    );
    if (failed.length) throw new Error(`responses failed: ${failed.join('; ')}`);
  } finally {
    await cleanup.run();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
