/**
 * Board benchmark: `npm run bench:boards [-- --sizes 100000,1000000 | --quick] [--rounds 3] [--only REGEX]
 * [--show-sql]`.
 *
 * For each size N it makes a throw-away database, generates a city into it (`generateCity`: 16 districts, 992
 * units, N assignments), starts the real API (AppModule over HTTP, in this process, on a free port), signs in a
 * district leader, an inspector, a subdistrict officer and a department officer, and for each board request:
 *   (a) the API: autocannon with 16 connections POSTing the GraphQL request for 10 s after a 2 s warm-up, in a
 *       worker thread so the load generator does not share the API's event loop; every response is checked for
 *       GraphQL `errors`;
 *       — as a client meets it, answered from the kept board responses (BoardResponses) while nothing changes;
 *   (b) the same with those responses turned off for the run: every request executed, as after each change;
 *   (c) the SQL floor: the statements (with their parameters) an executed request ran, captured from the
 *       DataSource's logger, replayed one after another through a `pg` Pool by 16 concurrent clients for the
 *       same time — the database's share of a request, without Nest, GraphQL, JSON or HTTP.
 *   (d) the thinnest Node API over the same SQL: a bare `node:http` server in this process (no router, auth,
 *       GraphQL or logging) that runs those statements through its own `pg` Pool per POST and answers their rows
 *       as JSON, under (a)'s load: what any HTTP API in Node adds to the floor on this machine;
 *   (b), (c) and (d) alternate in `--rounds` rounds of 6 s (default 3); the ratio executed p50 ÷ floor p50 is the
 *   median of the rounds' ratios, printed with their range, beside what a request of each cost in CPU: this
 *   process's (the API and the load worker, or the floor's pg client) and PostgreSQL's; (d) ÷ (c) likewise.
 * After the boards, the morning: every summary row made stale as midnight makes it (days overdue move), the first
 * read of all plans timed without the worker's refresh (it recomputes the city's rows itself), then again after
 * the refresh job (`BoardReadModel.refreshStale`, which is timed too).
 * Every board is read once first (the first read after generation recomputes the read model), so (a) – (c)
 * measure the steady state; a captured request that met a summary row the clock had just expired is captured
 * again. `--show-sql` prints each board's captured statements; `--only REGEX` measures only the boards whose
 * name matches (all are still read once first).
 *
 * The npm script runs it with NODE_ENV=production, as the API is deployed: libraries read it (graphql-js checks
 * every type test across realms outside production, 6 % of an executed board's CPU); the API's own settings come
 * from `configFor`, not from the environment.
 *
 * It prints figures and says which targets are met; it exits non-zero only on errors (including responses that
 * carried GraphQL errors: their figures mean nothing). Everything it makes (databases, Redis keys under its own
 * prefix, the load worker) is removed at the end, also after an error or Ctrl-C.
 */
import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import autocannon from 'autocannon';
import { Client, Pool, type PoolConfig } from 'pg';
import pino from 'pino';
import { DataSource, type Logger } from 'typeorm';
import { type CoreOptions } from '@zhezi/core';
import { createRedis } from '@zhezi/jobs';
import { BoardReadModel, BoardResponses } from '@zhezi/board';
import { CITY_DISTRICTS, generateCity, GENERATED_PASSWORD } from '@zhezi/seed';
import { AppModule } from '../apps/api/src/app.module';
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

const RUN = `${process.pid}`;
/** Concurrent clients, for the API and for the SQL floor alike. */
export const CLIENTS = 16;
const WARM_UP_S = 2;
const MEASURE_S = 10;
/**
 * Executed requests and their SQL floor are measured in alternating rounds of this length; the ratio is the
 * median of the rounds' ratios. On this shared machine one pair of runs moves by ±30 % (what PostgreSQL holds in
 * memory, what the neighbours do); alternating puts both sides of each ratio in the same minute.
 */
const ROUND_S = 6;
/** The issue's targets, at N = 1,000,000. */
const TARGETS = { n: 1_000_000, p95Ms: 50, ratio: 2 };
/** The load worker is this very file, told by its `workerData`. */
const LOAD_WORKER = 'bench-boards:load';

const log = (message: string) =>
  console.log(`[bench:boards ${new Date().toISOString().slice(11, 19)}] ${message}`);

// ---------------------------------------------------------------------------------------------
// The boards as a client asks for them (also used by test/board-plans.spec.ts)

const FIGURES = `assigned closed closedOnTime open overdue overdueDaysSum overdueDaysMax onTimeRate red yellow green
  openNotices missedReports byStatus { status count }`;
const RANKING = `totalCount pageInfo { hasNextPage endCursor }
  edges { node { orgUnitId orgUnit { name } kind score rank ${FIGURES} } }`;
const LEADER_BOARD = `query LeaderBoard($planId: ID) {
  leaderBoard(planId: $planId) {
    planId asOf totals { ${FIGURES} }
    departments: units(kind: "DEPARTMENT", first: 20) { ${RANKING} }
    locals: units(kind: "LOCAL", first: 20) { ${RANKING} }
    trend(weeks: 12) { week due closed dueToDate closedToDate }
  }
}`;
const UNIT_BOARD = `query UnitBoard($orgUnitId: ID, $filter: UnitBoardFilter) {
  unitBoard(orgUnitId: $orgUnitId, filter: $filter) {
    orgUnitId orgUnit { name } columns { status count }
    items(first: 20) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status dueAt light } } }
    nextDeadlines(first: 5) { id dueAt }
  }
}`;
const INSPECTOR_BOARD = `query InspectorBoard {
  inspectorBoard(first: 20) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id orgUnitId dueAt daysOverdue light levelReached lastReportAt } }
  }
}`;
/**
 * In every generated task's description ("城市规模测试数据"): the unit's whole list passes the bigram index, so
 * this is the search's worst case (every row string-tested), not a lucky narrow one.
 */
export const SEARCH_TERM = '规模';

/**
 * Who reads the boards in a generated city: the first district's leader, inspector, plan, a subdistrict, and a
 * department with a unit it split work to (it sees only its own parts there).
 */
export interface BoardSubjects {
  planId: string;
  leader: string;
  inspector: string;
  officer: string;
  officerUnitId: string;
  department: string;
  splitUnitId: string;
}

export type Reader = 'leader' | 'inspector' | 'officer' | 'department';

/** A board request; its variables name the generated city's plan. */
export interface Board {
  name: string;
  reader: Reader;
  query: string;
  variables: (s: BoardSubjects) => Record<string, unknown>;
  /** Not a board: the stack's own cost (auth, GraphQL, HTTP) for the smallest query, for reading the others. */
  reference?: boolean;
}

export const BOARDS: readonly Board[] = [
  {
    name: "leader board, one district's plan",
    reader: 'leader',
    query: LEADER_BOARD,
    variables: (s) => ({ planId: s.planId }),
  },
  { name: 'leader board, all plans', reader: 'leader', query: LEADER_BOARD, variables: () => ({}) },
  { name: 'unit board (subdistrict officer)', reader: 'officer', query: UNIT_BOARD, variables: () => ({}) },
  {
    name: `unit board, search "${SEARCH_TERM}"`,
    reader: 'officer',
    query: UNIT_BOARD,
    variables: () => ({ filter: { search: SEARCH_TERM } }),
  },
  { name: 'inspector board, first page', reader: 'inspector', query: INSPECTOR_BOARD, variables: () => ({}) },
  {
    name: 'leader board, department officer',
    reader: 'department',
    query: LEADER_BOARD,
    variables: (s) => ({ planId: s.planId }),
  },
  {
    name: 'unit board of a subdistrict, department officer',
    reader: 'department',
    query: UNIT_BOARD,
    variables: (s) => ({ orgUnitId: s.splitUnitId }),
  },
  {
    name: 'reference: { viewer { id } }',
    reader: 'leader',
    query: '{ viewer { id } }',
    variables: () => ({}),
    reference: true,
  },
];

/** The body a client POSTs for a board. */
export const bodyOf = (board: Board, s: BoardSubjects) =>
  JSON.stringify({ query: board.query, variables: board.variables(s) });

export async function findSubjects(dataSource: DataSource): Promise<BoardSubjects> {
  const user = (unit: string, role: string) =>
    `(SELECT u.username FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id
      WHERE o.code LIKE 'GEN-1-${unit}' AND u.role = '${role}' ORDER BY o.sort_order LIMIT 1)`;
  const [row] = await dataSource.query<(BoardSubjects | undefined)[]>(
    `SELECT p.id AS "planId", ${user('GOV', 'LEADER')} AS leader, ${user('INS', 'INSPECTOR')} AS inspector,
            o.username AS officer, o.org_unit_id AS "officerUnitId",
            d.username AS department, d.split_unit_id AS "splitUnitId"
     FROM plan p, LATERAL (
       SELECT u.username, u.org_unit_id FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id
       WHERE o.code LIKE 'GEN-1-L%' AND o.kind = 'SUBDISTRICT' AND u.role = 'SUBDISTRICT_OFFICER'
       ORDER BY o.sort_order LIMIT 1) AS o, LATERAL (
       SELECT u.username, part.org_unit_id AS split_unit_id
       FROM assignment part JOIN assignment own ON own.id = part.parent_id
         JOIN org_unit o ON o.id = own.org_unit_id
         JOIN app_user u ON u.org_unit_id = own.org_unit_id AND u.role = 'DEPARTMENT_OFFICER'
       WHERE o.code LIKE 'GEN-1-%' ORDER BY o.sort_order, part.org_unit_id LIMIT 1) AS d
     WHERE p.title LIKE '【生成】' || $1 || '%'`,
    [CITY_DISTRICTS[0]],
  );
  if (!row?.leader || !row.inspector) throw new Error('no generated city in this database');
  return row;
}

/** POSTs a GraphQL request; throws on HTTP or GraphQL errors. */
export async function postGraphql<T>(url: string, body: string, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body,
  });
  const result = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!response.ok || result.errors || !result.data) {
    throw new Error(`GraphQL request failed (HTTP ${response.status}): ${JSON.stringify(result.errors)}`);
  }
  return result.data;
}

/** Signs each reader in (the `login` mutation) and returns their bearer tokens. */
export async function signIn(url: string, s: BoardSubjects): Promise<Record<Reader, string>> {
  const login = async (username: string) =>
    (
      await postGraphql<{ login: { token: string } }>(
        url,
        JSON.stringify({
          query: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
          variables: { u: username, p: GENERATED_PASSWORD },
        }),
      )
    ).login.token;
  return {
    leader: await login(s.leader),
    inspector: await login(s.inspector),
    officer: await login(s.officer),
    department: await login(s.department),
  };
}

export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * The statements `work` sends through the DataSource, with their parameters as the driver gets them: the
 * logger is told of every one. Nothing else may use the DataSource meanwhile.
 */
export async function captureSql<T>(
  dataSource: DataSource,
  work: () => Promise<T>,
): Promise<{ value: T; statements: Statement[] }> {
  const logger: Logger = dataSource.logger;
  const original = logger.logQuery;
  const statements: Statement[] = [];
  logger.logQuery = (sql, params, runner) => {
    statements.push({ sql, params: Array.isArray(params) ? (params as unknown[]) : [] });
    original.call(logger, sql, params, runner);
  };
  try {
    return { value: await work(), statements };
  } finally {
    logger.logQuery = original;
  }
}

/** Whether the statements recomputed summary rows (stored them): the read model was stale for that request. */
export const recomputes = (statements: Statement[]) =>
  statements.some((s) => /UPDATE board_unit_summary/.test(s.sql));

// ---------------------------------------------------------------------------------------------
// Load: autocannon in a worker thread; the floor: the captured statements through a pg Pool

interface LoadJob {
  url: string;
  token: string;
  body: string;
  seconds: number;
}

export interface Run {
  /** Milliseconds per request (per replayed request, for the floor). */
  latencies: number[];
  seconds: number;
  /** Responses that were not 2xx or carried GraphQL errors, timeouts; the first error seen. */
  failed: number;
  firstError: string | null;
}

/** In the load worker: one autocannon run per job; every response's time, and whether it carried errors. */
function runLoad(job: LoadJob): Promise<Run> {
  const latencies: number[] = [];
  let firstError: string | null = null;
  let withErrors = 0;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.url,
        method: 'POST',
        connections: CLIENTS,
        duration: job.seconds,
        timeout: 60,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${job.token}` },
        body: job.body,
        verifyBody: (body) => {
          const errors = (JSON.parse(String(body)) as { errors?: { message: string }[] }).errors;
          if (!errors) return true;
          withErrors++;
          firstError ??= errors.map((e) => e.message).join('; ');
          return false;
        },
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        resolve({
          latencies,
          seconds: (performance.now() - started) / 1000,
          // `errors` counts connection errors and timeouts.
          failed: withErrors + result.non2xx + result.errors,
          firstError: firstError ?? (result.non2xx ? `${result.non2xx} non-2xx responses` : null),
        });
      },
    );
    // The instance passes the client first, whatever the typings say.
    instance.on('response', (...args: unknown[]) => latencies.push(args[3] as number));
  });
}

/** The main thread's handle on the load worker. */
export class LoadGenerator {
  private readonly worker = new Worker(__filename, { workerData: LOAD_WORKER });

  run(job: LoadJob): Promise<Run> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      this.worker.once('error', failed);
      this.worker.once('message', (answer: Run | { error: string }) => {
        this.worker.off('error', failed);
        if ('error' in answer) reject(new Error(answer.error));
        else resolve(answer);
      });
      this.worker.postMessage(job);
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/** `CLIENTS` clients each run the statements one after another, on one connection, until the time is up. */
async function replay(pool: Pool, statements: Statement[], seconds: number): Promise<Run> {
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const client = await pool.connect();
        try {
          for (const s of statements) await client.query(s.sql, s.params);
        } finally {
          client.release();
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000, failed: 0, firstError: null };
}

/**
 * (d): the thinnest HTTP API over a board's statements. Each POST's body is read and dropped, the statements run
 * one after another on one pooled connection, and their rows are answered as `{ "data": [...] }`.
 */
class BareServer {
  statements: Statement[] = [];
  private readonly server: Server;

  private constructor(private readonly pool: Pool) {
    this.server = createServer((req, res) => {
      req.resume();
      req.once('end', () => {
        this.answer().then(
          (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(body),
          (error: Error) => res.writeHead(500).end(error.message),
        );
      });
    });
  }

  static async start(pool: Pool): Promise<BareServer> {
    const bare = new BareServer(pool);
    await new Promise<void>((resolve) => bare.server.listen(0, '127.0.0.1', resolve));
    return bare;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  private async answer(): Promise<string> {
    const client = await this.pool.connect();
    try {
      const data: unknown[] = [];
      for (const s of this.statements) data.push((await client.query(s.sql, s.params)).rows);
      return JSON.stringify({ data });
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface Spread {
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Runs taken as one: their latencies together, their time summed. */
function merged(runs: Run[]): Run {
  return {
    latencies: runs.flatMap((r) => r.latencies),
    seconds: runs.reduce((sum, r) => sum + r.seconds, 0),
    failed: runs.reduce((sum, r) => sum + r.failed, 0),
    firstError: runs.find((r) => r.firstError)?.firstError ?? null,
  };
}

export function spreadOf(run: Run): Spread {
  const sorted = Float64Array.from(run.latencies).sort();
  const at = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { perSecond: sorted.length / run.seconds, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

// ---------------------------------------------------------------------------------------------
// One size

interface BoardFigures {
  name: string;
  /** The first read after generation (recomputes the read model where stale). */
  coldMs: number;
  /** Statements of a request answered from the kept responses, and of an executed one. */
  keptStatements: number;
  statements: number;
  api: Spread;
  apiCpu: CpuUse;
  executed: Spread;
  failed: number;
  firstError: string | null;
  sql: Spread;
  /** Of the last floor round. */
  sqlCpu: CpuUse;
  /** Executed p50 ÷ floor p50, per round. */
  ratios: number[];
  /** The bare server (d): its spread, and its p50 ÷ floor p50 per round. */
  bare: Spread;
  bareRatios: number[];
  /** CPU an executed request cost, and a replay of its statements: the median of the rounds. */
  executedCpu: CpuPerRequest;
  sqlCpuPerRequest: CpuPerRequest;
  bareCpu: CpuPerRequest;
}

/**
 * Milliseconds of CPU one request cost this process (the API and the load worker; for the floor, its pg client)
 * and PostgreSQL: under saturation the ratio of two requests' latencies follows the ratio of their CPU, so this
 * says which side an executed request's time goes to. `loop` is what of it the main thread's event loop was busy
 * (the API, the floor's client or the bare server run there; the load worker does not), and `loopBusy` the share
 * of the round it was busy: near 1, one event loop is what bounds the round.
 */
interface CpuPerRequest {
  node: number;
  loop: number;
  loopBusy: number;
  postgres: number;
}

/** Runs one round and measures it: its requests, the cores' use and the CPU per request. */
async function measured(
  db: Client,
  work: () => Promise<Run>,
): Promise<{ run: Run; use: CpuUse; perRequest: CpuPerRequest }> {
  const a = await cpuSample(db);
  const loopBefore = performance.eventLoopUtilization();
  const run = await work();
  const loop = performance.eventLoopUtilization(loopBefore);
  const b = await cpuSample(db);
  const use = cpuUse(a, b);
  const requests = Math.max(1, run.latencies.length);
  const perRequest = (cores: number) => (cores * (b.at - a.at)) / requests;
  return {
    run,
    use,
    perRequest: {
      node: perRequest(use.node),
      loop: loop.active / requests,
      loopBusy: loop.utilization,
      postgres: perRequest(use.postgres),
    },
  };
}

function medianCpu(rounds: CpuPerRequest[]): CpuPerRequest {
  const median = (key: keyof CpuPerRequest) =>
    rounds.map((r) => r[key]).sort((x, y) => x - y)[rounds.length >> 1];
  return {
    node: median('node'),
    loop: median('loop'),
    loopBusy: median('loopBusy'),
    postgres: median('postgres'),
  };
}

const cpuText = (c: CpuPerRequest) =>
  `node ${c.node.toFixed(2)} (event loop ${c.loop.toFixed(2)}, ${Math.round(c.loopBusy * 100)} % busy) + ` +
  `pg ${c.postgres.toFixed(2)} ms`;

interface SizeFigures {
  n: number;
  generateMs: number;
  summaryRows: number;
  poolSize: number;
  boards: BoardFigures[];
  morning: Morning;
}

/** The first read of all plans after midnight, without and with the worker's refresh before it. */
interface Morning {
  /** Rows the refresh recomputed. */
  rows: number;
  withoutRefreshMs: number;
  refreshMs: number;
  afterRefreshMs: number;
}

/** Every summary row stale, as midnight leaves them: each row's figures held until then at the latest. */
const midnight = (dataSource: DataSource) =>
  dataSource.query(`UPDATE board_unit_summary SET valid_until = now() - interval '1 second'`);

async function measureMorning(
  dataSource: DataSource,
  readModel: BoardReadModel,
  read: () => Promise<unknown>,
): Promise<Morning> {
  await midnight(dataSource);
  const withoutRefreshMs = (await timed(read)).ms;
  await midnight(dataSource);
  const { value: rows, ms: refreshMs } = await timed(() => readModel.refreshStale());
  const afterRefreshMs = (await timed(read)).ms;
  log(
    `    morning, leader board of all plans: first read ${ms(withoutRefreshMs)} without the refresh; ` +
      `the refresh ${ms(refreshMs)} (${rows} rows); first read after it ${ms(afterRefreshMs)}`,
  );
  return { rows, withoutRefreshMs, refreshMs, afterRefreshMs };
}

/**
 * The real API on a free port; closed by the clean-up. It logs as deployed — a JSON line per request, written
 * synchronously on the main thread as to standard output — into /dev/null, so the bench's own lines stay readable
 * and the figures carry the logging a deployed API does (not the development logger's pretty-printing thread).
 */
export async function startApi(
  options: CoreOptions,
  cleanup: Cleanup,
): Promise<{ app: INestApplication; url: string }> {
  const logDestination = pino.destination({ dest: '/dev/null', sync: true });
  cleanup.add('close the API log', () => Promise.resolve(logDestination.end()));
  const app = await NestFactory.create(AppModule.forRoot({ ...options, logDestination }), {
    logger: ['error', 'warn'],
  });
  cleanup.add('close the API', () => app.close());
  await app.listen(0, '127.0.0.1');
  return { app, url: `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql` };
}

/** What a board is measured against: the API, its DataSource, the floor's pool, a probe connection. */
interface Target {
  url: string;
  token: string;
  dataSource: DataSource;
  pool: Pool;
  db: Client;
  bare: BareServer;
  load: LoadGenerator;
  responses: BoardResponses;
  showSql: boolean;
  /** Alternating rounds of executed requests and their floor. */
  rounds: number;
}

/** Runs `work` with the kept board responses out of the way: every request executed. */
async function executing<T>(responses: BoardResponses, work: () => Promise<T>): Promise<T> {
  // An own property shadows the class's method until deleted.
  Object.defineProperty(responses, 'answers', { value: () => false, configurable: true });
  try {
    return await work();
  } finally {
    delete (responses as Partial<Pick<BoardResponses, 'answers'>>).answers;
  }
}

async function measureBoard(
  board: { name: string; body: string },
  at: Target,
  coldMs: number,
): Promise<BoardFigures> {
  const { url, token, dataSource, pool, db, load, responses } = at;
  const job = { url, token, body: board.body };
  // The steady state: a request that met an expired summary row (the clock moved a light) is captured again,
  // and the capture follows a request of the same reader, whose user the API then holds (ActiveUserCache
  // reads a user again after a minute: the cold reads were longer ago than that).
  let statements: Statement[] = [];
  await executing(responses, async () => {
    await postGraphql(url, board.body, token);
    for (let attempt = 0; attempt < 3 && (!attempt || recomputes(statements)); attempt++) {
      ({ statements } = await captureSql(dataSource, () => postGraphql(url, board.body, token)));
    }
  });
  await postGraphql(url, board.body, token);
  const kept = await captureSql(dataSource, () => postGraphql(url, board.body, token));
  if (at.showSql) {
    for (const s of statements) {
      log(`    SQL ${s.sql.replace(/\s+/g, ' ')}\n      with ${JSON.stringify(s.params).slice(0, 300)}`);
    }
  }
  await load.run({ ...job, seconds: WARM_UP_S });
  const { run: apiRun, use: apiCpu } = await measured(db, () => load.run({ ...job, seconds: MEASURE_S }));
  await executing(responses, () => load.run({ ...job, seconds: WARM_UP_S }));
  await replay(pool, statements, WARM_UP_S);
  at.bare.statements = statements;
  const bareJob = { ...job, url: at.bare.url };
  await load.run({ ...bareJob, seconds: WARM_UP_S });
  const executed: Awaited<ReturnType<typeof measured>>[] = [];
  const floor: Awaited<ReturnType<typeof measured>>[] = [];
  const bareRounds: Awaited<ReturnType<typeof measured>>[] = [];
  for (let round = 0; round < at.rounds; round++) {
    executed.push(
      await measured(db, () => executing(responses, () => load.run({ ...job, seconds: ROUND_S }))),
    );
    floor.push(await measured(db, () => replay(pool, statements, ROUND_S)));
    bareRounds.push(await measured(db, () => load.run({ ...bareJob, seconds: ROUND_S })));
  }
  const [executedRuns, sqlRuns, bareRuns] = [executed, floor, bareRounds].map((r) => r.map((m) => m.run));
  const ratiosTo = (runs: Run[]) => runs.map((run, i) => spreadOf(run).p50 / spreadOf(sqlRuns[i]).p50);
  const ratios = ratiosTo(executedRuns);
  const executedRun = merged(executedRuns);
  const bareRun = merged(bareRuns);
  const figures = {
    name: board.name,
    coldMs,
    keptStatements: kept.statements.length,
    statements: statements.length,
    api: spreadOf(apiRun),
    apiCpu,
    executed: spreadOf(executedRun),
    failed: apiRun.failed + executedRun.failed + bareRun.failed,
    firstError: apiRun.firstError ?? executedRun.firstError ?? bareRun.firstError,
    sql: spreadOf(merged(sqlRuns)),
    sqlCpu: floor[floor.length - 1].use,
    ratios,
    bare: spreadOf(bareRun),
    bareRatios: ratiosTo(bareRuns),
    executedCpu: medianCpu(executed.map((m) => m.perRequest)),
    sqlCpuPerRequest: medianCpu(floor.map((m) => m.perRequest)),
    bareCpu: medianCpu(bareRounds.map((m) => m.perRequest)),
  };
  log(
    `    ${board.name}: API p50/p95/p99 ${latency(figures.api)} at ${rate(figures.api.perSecond)}; ` +
      `executed ${latency(figures.executed)} at ${rate(figures.executed.perSecond)}; ` +
      `SQL (${statements.length} statements) ${latency(figures.sql)}; ` +
      `ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}; ` +
      `CPU per request ${cpuText(figures.executedCpu)} executed, ${cpuText(figures.sqlCpuPerRequest)} floor, ` +
      `${cpuText(figures.bareCpu)} bare; bare HTTP ${latency(figures.bare)} at ${rate(figures.bare.perSecond)}, ` +
      `ratios ${figures.bareRatios.map((r) => r.toFixed(2)).join(', ')}` +
      (figures.failed ? `; ${figures.failed} FAILED responses: ${figures.firstError}` : ''),
  );
  return figures;
}

async function benchSize(
  n: number,
  context: Pick<Target, 'load' | 'showSql' | 'rounds'> & { only?: RegExp },
  cleanup: Cleanup,
): Promise<SizeFigures> {
  const sizeCleanup = new Cleanup();
  const done = cleanup.add(`clean up after N=${n}`, () => sizeCleanup.run());
  try {
    const name = `zhezi_bench_boards_${RUN}_${n}`;
    const prefix = `zhezi-bench-boards-${RUN}-${n}`;
    log(`N=${n}: database ${name}, Redis prefix ${prefix}`);
    const url = await createDatabase(name, sizeCleanup);
    const config = configFor(url, prefix);
    const redis = createRedis(config.redisUrl);
    sizeCleanup.add(`delete Redis keys ${prefix}:*`, async () => {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    });
    // Generated through the API's DataSource: its slow-statement log is off (configFor), the generator's is not.
    const { app, url: graphql } = await startApi({ config }, sizeCleanup);
    const dataSource = app.get(DataSource);
    const { value: city, ms: generateMs } = await timed(() =>
      dataSource.transaction((m) => generateCity(m, { assignments: n, seed: 1, now: new Date() })),
    );
    // The API's session settings (time zone, no parallel workers) and type parsers: the same statements, run and
    // read the same way.
    const { options, types } = dataSource.options.extra as PoolConfig;
    const pool = new Pool({ connectionString: url, max: CLIENTS, options, types });
    const db = new Client({ connectionString: url });
    await db.connect();
    sizeCleanup.add('close the floor pool and the probe connection', () =>
      Promise.all([pool.end(), db.end()]),
    );
    // Its rounds never overlap the floor's: the two share the pool.
    const bare = await BareServer.start(pool);
    sizeCleanup.add('close the bare server', () => bare.close());
    // As a database in service is: vacuumed (hint bits, visibility map) and checkpointed. Right after the bulk
    // load, the first reads wrote back the generator's dirty pages and once ran past the statement timeout. On the
    // probe connection, which has no statement timeout (the API's has 15 s): at 10M the vacuum takes minutes.
    await db.query('VACUUM ANALYZE');
    await db.query('CHECKPOINT');
    log(`generated ${city.assignments} assignments, ${city.tasks} tasks in ${Math.round(generateMs)} ms`);
    const subjects = await findSubjects(dataSource);
    const tokens = await signIn(graphql, subjects);
    const boards = BOARDS.map((b) => ({ ...b, body: bodyOf(b, subjects) }));
    log(`API at ${graphql}; first reads (the read model is computed on the first)…`);
    const cold: number[] = [];
    for (const board of boards) {
      cold.push((await timed(() => postGraphql(graphql, board.body, tokens[board.reader]))).ms);
    }
    log(`    ${cold.map((ms) => `${Math.round(ms)} ms`).join(', ')}`);

    const figures: BoardFigures[] = [];
    for (const [i, board] of boards.entries()) {
      if (context.only && !context.only.test(board.name)) continue;
      const at = {
        ...context,
        url: graphql,
        token: tokens[board.reader],
        dataSource,
        pool,
        db,
        bare,
        responses: app.get(BoardResponses),
      };
      figures.push(await measureBoard(board, at, cold[i]));
    }
    const allPlans = boards.find((b) => b.name === 'leader board, all plans')!;
    const morning = await measureMorning(dataSource, app.get(BoardReadModel), () =>
      postGraphql(graphql, allPlans.body, tokens[allPlans.reader]),
    );
    const [{ rows }] = await dataSource.query<{ rows: number }[]>(
      'SELECT count(*)::int AS rows FROM board_unit_summary',
    );
    const poolSize = (dataSource.options.extra as { max?: number } | undefined)?.max ?? 10;
    return { n, generateMs, summaryRows: rows, poolSize, boards: figures, morning };
  } finally {
    await done();
  }
}

// ---------------------------------------------------------------------------------------------
// The report

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en')} ms`;
export const rate = (value: number) => `${Math.round(value).toLocaleString('en')}/s`;
export const latency = (s: Spread) => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}`;
/** An executed request against its SQL (a kept response runs no statement of the board's own): the median round. */
const median = (ratios: number[]) => [...ratios].sort((x, y) => x - y)[ratios.length >> 1];
const ratioOf = (b: BoardFigures) => median(b.ratios);
const ratioText = (ratios: number[]) =>
  `${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;

function table(results: SizeFigures[]): string {
  const rows = results.flatMap((r) =>
    r.boards.map((b) =>
      [
        r.n.toLocaleString('en'),
        b.name,
        ms(b.coldMs),
        rate(b.api.perSecond),
        `**${latency(b.api)}**`,
        b.failed ? `**${b.failed}**` : '0',
        cores(b.apiCpu),
        String(b.keptStatements),
        rate(b.executed.perSecond),
        latency(b.executed),
        String(b.statements),
        rate(b.sql.perSecond),
        latency(b.sql),
        cores(b.sqlCpu),
        `${cpuText(b.executedCpu)} ÷ ${cpuText(b.sqlCpuPerRequest)}`,
        `**${ratioText(b.ratios)}**`,
        `${rate(b.bare.perSecond)}, ${latency(b.bare)}; ${cpuText(b.bareCpu)}`,
        ratioText(b.bareRatios),
      ].join(' | '),
    ),
  );
  return [
    '| N | board | first read | API req/s | API p50 / p95 / p99 | failed | cores busy (API run) | SQL per request ' +
      '| executed req/s | executed p50 / p95 / p99 | SQL statements executed ' +
      '| SQL floor req/s | SQL floor p50 / p95 / p99 | cores busy (floor run) ' +
      '| CPU per request, executed ÷ floor (median of rounds) | executed p50 ÷ SQL p50, median of rounds (range) ' +
      '| bare HTTP + pg: req/s, p50 / p95 / p99; CPU per request | bare p50 ÷ SQL p50, median of rounds (range) |',
    `|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---|---:|---|---:|`,
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}

function morningTable(results: SizeFigures[]): string {
  return [
    '| N | summary rows recomputed | first read of all plans after midnight, no refresh | the refresh job ' +
      '| first read after the refresh | first read, no refresh ÷ after it |',
    '|---|---:|---:|---:|---:|---:|',
    ...results.map(
      ({ n, morning: m }) =>
        `| ${n.toLocaleString('en')} | ${m.rows} | ${ms(m.withoutRefreshMs)} | ${ms(m.refreshMs)} | ` +
        `**${ms(m.afterRefreshMs)}** | ${(m.withoutRefreshMs / m.afterRefreshMs).toFixed(0)}× |`,
    ),
    '',
  ].join('\n');
}

function verdicts(results: SizeFigures[]): string[] {
  const say = (ok: boolean, text: string) => `${ok ? 'MET   ' : 'MISSED'} ${text}`;
  return results.flatMap((r) =>
    r.boards
      .filter((b) => !BOARDS.find((board) => board.name === b.name)?.reference)
      .flatMap((b) => [
        say(
          b.api.p95 < TARGETS.p95Ms,
          `N=${r.n} ${b.name}: API p95 ${ms(b.api.p95)} (< ${TARGETS.p95Ms} ms)`,
        ),
        say(
          ratioOf(b) < TARGETS.ratio,
          `N=${r.n} ${b.name}: executed API/SQL p50 ${ratioOf(b).toFixed(2)}, median of ${b.ratios.length} rounds (< 2)`,
        ),
      ]),
  );
}

/** Undo steps that also run on Ctrl-C or SIGTERM: the databases and Redis keys go either way. */
function cleanupOnSignals(): Cleanup {
  const cleanup = new Cleanup();
  const stop = () => void cleanup.run().finally(() => process.exit(130));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  return cleanup;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string' },
      quick: { type: 'boolean' },
      'show-sql': { type: 'boolean' },
      rounds: { type: 'string' },
      only: { type: 'string' },
    },
  });
  const rounds = Number(values.rounds ?? 3);
  const sizes = values.quick ? [10_000] : (values.sizes ?? '100000,1000000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1000) || !Number.isInteger(rounds) || rounds < 1) {
    throw new Error(
      'usage: bench:boards [-- --sizes 100000,1000000 | --quick] [--rounds 3] [--only REGEX] [--show-sql]  (each size ≥ 1000)',
    );
  }
  const cleanup = cleanupOnSignals();
  try {
    const machine = await describeMachine();
    for (const line of machine) log(line);
    const load = new LoadGenerator();
    cleanup.add('stop the load worker', () => load.close());
    const results: SizeFigures[] = [];
    const only = values.only === undefined ? undefined : new RegExp(values.only);
    const context = { load, showSql: values['show-sql'] ?? false, rounds, only };
    for (const n of sizes) results.push(await benchSize(n, context, cleanup));
    const setup = results.map(
      (r) =>
        `N=${r.n}: generated in ${ms(r.generateMs)}; ${r.summaryRows} summary rows; API pool ${r.poolSize} connections`,
    );
    console.log(
      `\n${machine.join('\n')}\n${CLIENTS} clients, ${WARM_UP_S} s warm-up + ${MEASURE_S} s for kept answers, ` +
        `${rounds} alternating rounds of ${ROUND_S} s for executed requests and their floor; ` +
        `${setup.join('; ')}\n\n${table(results)}\n`,
    );
    console.log(morningTable(results));
    console.log(`Targets at N = ${TARGETS.n.toLocaleString('en')} (other sizes for comparison):`);
    console.log(verdicts(results).join('\n'));
    const failed = results.flatMap((r) => r.boards.filter((b) => b.failed));
    if (failed.length) {
      throw new Error(`responses failed: ${failed.map((b) => `${b.name}: ${b.firstError}`).join('; ')}`);
    }
  } finally {
    await cleanup.run();
  }
}

if (!isMainThread && workerData === LOAD_WORKER) {
  parentPort?.on('message', (job: LoadJob) => {
    runLoad(job).then(
      (run) => parentPort?.postMessage(run),
      (error: unknown) => parentPort?.postMessage({ error: String(error) }),
    );
  });
} else if (isMainThread && require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
