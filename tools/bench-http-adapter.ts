/**
 * HTTP adapter benchmark (issue 19): `npm run bench:http-adapter [-- --assignments 20000 --rounds 2
 * --seconds 10]`.
 *
 * One throw-away database with a small generated city; the real API (AppModule, in this process, on a free
 * port) is started on Express, then on Fastify, then on Fastify and Express again (A/B/B/A per pair of rounds,
 * so a load that drifts during the run weighs on both), and for each start autocannon (16 connections, in a
 * worker thread) POSTs, as the signed-in district leader:
 *   (a) `{ viewer { id } }` — the stack's own per-request cost (HTTP, auth, GraphQL);
 *   (b) the leader board of one district's plan — read once first, so its read model is cached.
 * Each is measured for `--seconds` after a 2 s warm-up; the load average is taken before and after each start's
 * measurements, and the busy cores that are neither this process, our database backends nor Redis ("other"),
 * since another benchmark may share the machine. On a shared machine req/s follows the neighbours' load; this
 * process's CPU time per request (the API and the load worker, which does the same work for both adapters)
 * follows it much less, so the summary gives both.
 *
 * Express is started as the server starts it (`configureHttp`: JSON body limit, the web-app fallback,
 * subscription message limit). Fastify gets the least GraphQL needs: `FastifyAdapter({ bodyLimit })` with the
 * same limit, no web-app serving (configureHttp is Express-only), no Bull Board (AdminQueuesModule mounts an
 * Express router). Both log at `warn` (pino-http still runs per request; lines would flood the output).
 * Users sign in over Express: on Fastify, `login` fails (the session cookie needs `reply.cookie`).
 *
 * After the figures, a few behaviour checks per adapter say what works on each as it stands: login, a request
 * over the request limits, a graphql-ws connection, /health/live, and a multipart upload.
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import type { AppConfig } from '@zhezi/core';
import { createRedis } from '@zhezi/jobs';
import { generateCity, GENERATED_PASSWORD } from '@zhezi/seed';
import { AdminQueuesModule } from '../apps/api/src/admin-queues.module';
import { AppModule } from '../apps/api/src/app.module';
import { configureHttp } from '../apps/api/src/http-setup';
import {
  BOARDS,
  bodyOf,
  CLIENTS,
  findSubjects,
  latency,
  LoadGenerator,
  postGraphql,
  rate,
  signIn,
  spreadOf,
  type BoardSubjects,
  type Spread,
} from './bench-boards';
import {
  Cleanup,
  configFor,
  cores,
  cpuSample,
  cpuUse,
  createDatabase,
  deleteKeys,
  describeMachine,
  timed,
  type CpuUse,
} from './bench-deadlines';

type Adapter = 'express' | 'fastify';
const WARM_UP_S = 2;
const RUN = `${process.pid}`;

const log = (message: string) =>
  console.log(`[bench:http-adapter ${new Date().toISOString().slice(11, 19)}] ${message}`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** What each start measures: the reference query and the leader board, both as the leader. */
const REQUESTS = [
  BOARDS.find((b) => b.reference),
  BOARDS.find((b) => b.reader === 'leader' && b.name.includes("one district's plan")),
].map((board) => {
  if (!board) throw new Error('bench-boards no longer exports the reference query or the leader board');
  return { name: board.reference ? '{ viewer { id } }' : 'leader board (cached)', board };
});

/** The API on a free port, on either adapter; closed by the clean-up. */
async function startApi(
  adapter: Adapter,
  config: AppConfig,
  cleanup: Cleanup,
): Promise<{ app: INestApplication; url: string; close: () => Promise<void> }> {
  let app: INestApplication;
  if (adapter === 'express') {
    const express = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config }), {
      logger: ['error', 'warn'],
    });
    await configureHttp(express);
    app = express;
  } else {
    const module = AppModule.forRoot({ config });
    module.imports = module.imports?.filter((m) => m !== AdminQueuesModule);
    app = await NestFactory.create<NestFastifyApplication>(
      module,
      new FastifyAdapter({ bodyLimit: config.files.graphqlMaxBodyBytes }),
      { logger: ['error', 'warn'] },
    );
    await app.init();
  }
  const close = cleanup.add(`close the API (${adapter})`, () => app.close());
  await app.listen(0, '127.0.0.1');
  return { app, url: `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql`, close };
}

interface Measured {
  adapter: Adapter;
  round: number;
  request: string;
  spread: Spread;
  cpu: CpuUse;
  failed: number;
  firstError: string | null;
}

interface Start {
  adapter: Adapter;
  round: number;
  loadBefore: string;
  loadAfter: string;
  figures: Measured[];
}

async function measureStart(
  adapter: Adapter,
  round: number,
  ctx: { config: AppConfig; subjects: BoardSubjects; token: string; load: LoadGenerator; db: Client },
  cleanup: Cleanup,
  seconds: number,
): Promise<Start> {
  const loadBefore = load();
  const { url, close } = await startApi(adapter, ctx.config, cleanup);
  try {
    const figures: Measured[] = [];
    for (const { name, board } of REQUESTS) {
      const body = bodyOf(board, ctx.subjects);
      await postGraphql(url, body, ctx.token);
      const job = { url, token: ctx.token, body };
      await ctx.load.run({ ...job, seconds: WARM_UP_S });
      const before = await cpuSample(ctx.db);
      const run = await ctx.load.run({ ...job, seconds });
      const cpu = cpuUse(before, await cpuSample(ctx.db));
      const m = { adapter, round, request: name, spread: spreadOf(run), cpu, ...run };
      figures.push(m);
      log(
        `  round ${round} ${adapter.padEnd(7)} ${name}: ${rate(m.spread.perSecond)}, p50/p95/p99 ` +
          `${latency(m.spread)}; cores ${cores(cpu)}` +
          (run.failed ? `; ${run.failed} FAILED: ${run.firstError}` : ''),
      );
    }
    return { adapter, round, loadBefore, loadAfter: load(), figures };
  } finally {
    // Requests autocannon gave up on at the end still run: closing the pool under them only logs errors.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await close();
  }
}

// ---------------------------------------------------------------------------------------------
// Behaviour checks: what answers as it should on each adapter, without porting

async function post(
  url: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; text: string; cookie: boolean }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  const cookie = response.headers.has('set-cookie');
  return { status: response.status, text: (await response.text()).slice(0, 160), cookie };
}

/** graphql-ws over the API's own HTTP server: is the upgrade accepted and the connection acknowledged? */
function wsAck(url: string, token: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const done = (outcome: string) => {
      clearTimeout(timer);
      socket.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => done('no answer in 5 s'), 5000);
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
    );
    socket.on('message', (data: Buffer) => done(`message ${data.toString().slice(0, 80)}`));
    socket.on('error', (error) => done(`error ${error.message}`));
  });
}

async function checks(
  adapter: Adapter,
  config: AppConfig,
  subjects: BoardSubjects,
  tokens: { leader: string; officer: string },
  cleanup: Cleanup,
): Promise<string[]> {
  const { url, close } = await startApi(adapter, config, cleanup);
  const base = url.replace(/\/graphql$/, '');
  try {
    const login = await post(url, {
      query: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      variables: { u: subjects.leader, p: GENERATED_PASSWORD },
    });
    // 21 fields answering to one name: small enough for Apollo's token limit, over maxRepeatedFields (20).
    const repeated = await post(url, { query: `{ viewer { ${'id '.repeat(21)}} }` }, tokens.leader);
    const health = await fetch(`${base}/health/live`);
    const form = new FormData();
    form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
    const upload = await fetch(`${base}/assignments/00000000-0000-4000-8000-000000000000/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.officer}` },
      body: form,
    });
    const unknown = await fetch(`${base}/evidence/00000000-0000-4000-8000-000000000000`, {
      headers: { authorization: `Bearer ${tokens.officer}` },
    });
    const cookie = login.cookie ? 'Set-Cookie sent' : 'no Set-Cookie';
    return [
      `${cookie}; login (expect 200 with a token and a Set-Cookie): HTTP ${login.status} ${login.text}`,
      `21 repeated fields (expect HTTP 400 QUERY_TOO_COMPLEX): HTTP ${repeated.status} ${repeated.text}`,
      `graphql-ws connection_init: ${await wsAck(url, tokens.leader)}`,
      `GET /health/live: HTTP ${health.status} ${(await health.text()).slice(0, 80)}, ` +
        `X-Request-Id ${health.headers.get('x-request-id')}`,
      `GET /evidence/<unknown id> (expect 404 NOT_FOUND from AppErrorFilter): HTTP ${unknown.status} ` +
        (await unknown.text()).slice(0, 120),
      `multipart upload to an unknown assignment (expect 404 after multer): HTTP ${upload.status} ` +
        (await upload.text()).slice(0, 160),
    ].map((line) => `${adapter}: ${line}`);
  } finally {
    await close();
  }
}

// ---------------------------------------------------------------------------------------------

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function summary(starts: Start[]): string[] {
  const lines: string[] = [];
  const pairs: string[] = [];
  for (const { name } of REQUESTS) {
    const of = (adapter: Adapter) =>
      starts.flatMap((s) => s.figures).filter((m) => m.adapter === adapter && m.request === name);
    const mean = (ms: Measured[], pick: (s: Spread) => number) =>
      ms.reduce((sum, m) => sum + pick(m.spread), 0) / ms.length;
    const [e, f] = [of('express'), of('fastify')];
    const cpuMs = (ms: Measured[]) =>
      ms.reduce((sum, m) => sum + (m.cpu.node / m.spread.perSecond) * 1000, 0) / ms.length;
    const row = (adapter: Adapter, ms: Measured[]) =>
      `| ${name} | ${adapter} | ${ms.map((m) => rate(m.spread.perSecond)).join(', ')} | ` +
      `${rate(mean(ms, (s) => s.perSecond))} | ${mean(ms, (s) => s.p50).toFixed(1)} / ` +
      `${mean(ms, (s) => s.p95).toFixed(1)} / ${mean(ms, (s) => s.p99).toFixed(1)} ms | ` +
      `${cpuMs(ms).toFixed(2)} ms |`;
    lines.push(row('express', e), row('fastify', f));
    // Each round's pair ran back to back, under much the same neighbours: their ratios, middle one reported.
    const paired = (pick: (m: Measured) => number) =>
      median(e.map((em) => pick(f.find((fm) => fm.round === em.round) ?? em) / pick(em))).toFixed(2);
    pairs.push(
      `${name}: req/s ${paired((m) => m.spread.perSecond)}, p50 ${paired((m) => m.spread.p50)}, ` +
        `p95 ${paired((m) => m.spread.p95)}, CPU per request ${paired((m) => m.cpu.node / m.spread.perSecond)}`,
    );
    const ratio = (pick: (s: Spread) => number) => (mean(f, pick) / mean(e, pick)).toFixed(2);
    lines.push(
      `| ${name} | **fastify ÷ express** | | **${ratio((s) => s.perSecond)}** | ` +
        `${ratio((s) => s.p50)} / ${ratio((s) => s.p95)} / ${ratio((s) => s.p99)} | ` +
        `**${(cpuMs(f) / cpuMs(e)).toFixed(2)}** |`,
    );
  }
  return [
    '| request | adapter | req/s per start | mean req/s | mean p50 / p95 / p99 | process CPU per request |',
    '|---|---|---|---:|---:|---:|',
    ...lines,
    '',
    'fastify ÷ express, median of the rounds (each round ran both, one after the other):',
    ...pairs,
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      assignments: { type: 'string', default: '20000' },
      rounds: { type: 'string', default: '2' },
      seconds: { type: 'string', default: '10' },
    },
  });
  const [n, rounds, seconds] = [values.assignments, values.rounds, values.seconds].map(Number);
  const cleanup = new Cleanup();
  const stop = () => void cleanup.run().finally(() => process.exit(130));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    const machine = await describeMachine();
    for (const line of machine) log(line);
    const name = `zhezi_bench_http_${RUN}`;
    const prefix = `zhezi-bench-http-${RUN}`;
    const dbUrl = await createDatabase(name, cleanup);
    const base = configFor(dbUrl, prefix);
    const config = { ...base, observability: { ...base.observability, logLevel: 'warn' } };
    const redis = createRedis(config.redisUrl);
    cleanup.add(`delete Redis keys ${prefix}:*`, async () => {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    });
    const loadGenerator = new LoadGenerator();
    cleanup.add('stop the load worker', () => loadGenerator.close());
    const db = new Client({ connectionString: dbUrl });
    await db.connect();
    cleanup.add('close the probe connection', () => db.end());

    // The city, and the users' tokens, through an Express start (login needs the cookie).
    const setup = await startApi('express', config, cleanup);
    const dataSource = setup.app.get(DataSource);
    const { value: city, ms: generateMs } = await timed(() =>
      dataSource.transaction((m) => generateCity(m, { assignments: n, seed: 1, now: new Date() })),
    );
    await dataSource.query('ANALYZE');
    log(`generated ${city.assignments} assignments, ${city.tasks} tasks in ${Math.round(generateMs)} ms`);
    const subjects = await findSubjects(dataSource);
    const tokens = await signIn(setup.url, subjects);
    await setup.close();

    const ctx = { config, subjects, token: tokens.leader, load: loadGenerator, db };
    const starts: Start[] = [];
    for (let round = 1; round <= rounds; round++) {
      const order: Adapter[] = round % 2 ? ['express', 'fastify'] : ['fastify', 'express'];
      for (const adapter of order) {
        const start = await measureStart(adapter, round, ctx, cleanup, seconds);
        log(`  round ${round} ${adapter}: load average before ${start.loadBefore}, after ${start.loadAfter}`);
        starts.push(start);
      }
    }
    const behaviour = [
      ...(await checks('express', config, subjects, tokens, cleanup)),
      ...(await checks('fastify', config, subjects, tokens, cleanup)),
    ];

    console.log(
      `\n${machine.join('\n')}\n${n.toLocaleString('en')} assignments; ${CLIENTS} connections, ` +
        `${WARM_UP_S} s warm-up + ${seconds} s per measurement; ${rounds} rounds (A/B, then B/A)\n`,
    );
    for (const s of starts) {
      console.log(`round ${s.round} ${s.adapter}: load average ${s.loadBefore} → ${s.loadAfter}`);
    }
    console.log(`\n${summary(starts).join('\n')}\n\nBehaviour as it stands:\n${behaviour.join('\n')}`);
    const failed = starts.flatMap((s) => s.figures).filter((m) => m.failed);
    if (failed.length) {
      throw new Error(
        `responses failed: ${failed.map((m) => `${m.adapter} ${m.request}: ${m.firstError}`).join('; ')}`,
      );
    }
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
