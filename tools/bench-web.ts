/**
 * Web app benchmark: `npm run bench:web [-- --runs 7]`.
 *
 *   (a) The JavaScript sent before the sign-in page is usable, gzipped: the entry script of the built
 *       `dist/apps/web/index.html`, its modulepreloads and every chunk they import statically (what a browser must
 *       run before it renders anything), and, as a check, every script Chromium fetched until the sign-in form
 *       can be typed into. Target ≤ 350 KB.
 *   (b) In Chromium, on a throw-away database holding the demo seed plus 1,000 shares for 中关村街道: the time
 *       from navigating to /tasks (signed in as zgc.officer by the session cookie) until 我的任务 shows its first
 *       page of rows and the total, cold (a new browser context: nothing cached) and warm (a reload, scripts
 *       cached); against the floor,
 *       the page's list query sent over HTTP alone (same variables, same API, measured in the same run). Target
 *       < 1.5 s.
 *   (c) In Chromium, on a throw-away database holding a generated city (`npm run gen`'s generator, default
 *       1,000,000 shares; `--shares N` for a quicker try): the time from navigating to 总览 (signed in as the first
 *       district's leader) until its three charts are drawn, for the district's plan and for all plans, cold and
 *       warm; against the floor, the page's board query (`LeaderOverview`) sent over HTTP alone.
 *
 * `--only sign-in|my-tasks|overview` runs one part ((a) alone needs no database).
 *
 * The app must be built (`npm run build:web`; built here when `dist/apps/web` is missing). Needs PostgreSQL
 * (`DATABASE_URL` of the server) and Redis (`REDIS_URL`), as the other benchmarks, and Chromium
 * (`CHROMIUM_PATH`, default /usr/bin/chromium). It prints figures and says which targets are met; it exits
 * non-zero only on errors. The database and the Redis keys it makes are removed at the end, also after an error
 * or Ctrl-C.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@zhezi/core';
import { createRedis } from '@zhezi/jobs';
import { DEMO_PASSWORD } from '@zhezi/seed';
import { generate } from '../apps/cli/src/gen';
import { AppModule } from '../apps/api/src/app.module';
import { configureHttp } from '../apps/api/src/http-setup';
import { seedDatabase } from '../apps/cli/src/seed';
import { findSubjects, postGraphql, signIn } from './bench-boards';
import { Cleanup, configFor, createDatabase, deleteKeys, describeMachine } from './bench-deadlines';

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist/apps/web');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUN = `${process.pid}`;
const SHARES = 1000;
const UNIT = '中关村街道';
const USER = 'zgc.officer';
const TARGETS = { signInKb: 350, myTasksMs: 1500 };
const PARTS = ['sign-in', 'my-tasks', 'overview'] as const;
type Part = (typeof PARTS)[number];

/** The page's list query as 我的任务 sends it on arrival (apps/web/src/pages/my-tasks): its HTTP time is the floor. */
const LIST_QUERY = `query ShareItems($filter: UnitBoardFilter, $status: AssignmentStatus, $orderBy: UnitBoardOrder!,
  $direction: SortDirection!, $first: Int!, $after: String) {
  unitBoard(filter: $filter) {
    items(status: $status, orderBy: $orderBy, direction: $direction, first: $first, after: $after) {
      totalCount pageInfo { endCursor hasNextPage }
      edges { node { id status light daysOverdue dueAt progressPercent lastReportAt updatedAt role
        nextEscalation { label } task { id code title } } }
    }
  }
}`;

/** 总览's board query as the page sends it (apps/web/src/pages/overview/queries.ts): its HTTP time is the floor. */
const OVERVIEW_QUERY = `query LeaderOverview($planId: ID) {
  leaderBoard(planId: $planId) {
    asOf totals { assigned closed closedOnTime open overdue onTimeRate openNotices }
    departments: units(kind: "DEPARTMENT", first: 100) { totalCount edges { node { ...UnitRank } } }
    locals: units(kind: "LOCAL", first: 100) { totalCount edges { node { ...UnitRank } } }
    trend(weeks: 12) { week due closed dueToDate closedToDate }
  }
}
fragment UnitRank on UnitFigures { orgUnitId orgUnit { id name } score rank assigned closed closedOnTime open
  overdue onTimeRate red yellow green openNotices }`;
/** The charts 总览 draws, each an SVG under `[data-chart=…]` (apps/web/src/pages/overview/chart.tsx). */
const OVERVIEW_CHARTS = ['trend', 'local-grid', 'unit-bars'];

const log = (message: string) =>
  console.log(`[bench:web ${new Date().toISOString().slice(11, 19)}] ${message}`);
const kb = (bytes: number) => bytes / 1024;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// ---------------------------------------------------------------------------------------------
// (a) What the sign-in page needs

/** The entry script, its modulepreloads, and what they import statically, from the built index.html. */
export function signInScripts(dist: string): string[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const start = [
    ...html.matchAll(/<script[^>]*\bsrc="\/([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+\.js)"/g),
  ].map((m) => m[1]);
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    // Static `import … from "./x.js"` and `export … from`, not `import("./x.js")`: lazy chunks load later.
    for (const m of code.matchAll(
      /(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{},\s]+from\s*)?["']\.\/([^"']+\.js)["']/g,
    )) {
      queue.push(join(file, '..', m[1]));
    }
  }
  return [...seen];
}

const gzipped = (file: string) => gzipSync(readFileSync(join(DIST, file))).length;

/** The scripts Chromium fetched from opening /login until the user name field takes input. */
async function scriptsUntilSignInUsable(
  browser: Browser,
  base: string,
): Promise<{ files: string[]; ms: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const files: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') files.push(new URL(request.url()).pathname.slice(1));
    });
    const started = Date.now();
    await page.goto(`${base}/login`);
    await page.getByLabel('用户名').fill('x');
    return { files, ms: Date.now() - started };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// (b) 我的任务 with 1,000 shares

/**
 * 1,000 more tasks on the demo plan, each handed to one unit: due from 60 days ago to a year ahead, statuses and
 * progress spread as a working list has them (most open, some overdue, a tenth closed).
 */
async function addShares(url: string, unitName: string, count: number): Promise<void> {
  const ds = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    await ds.transaction(async (m) => {
      await m.query(
        `WITH p AS (SELECT id FROM plan ORDER BY created_at LIMIT 1),
              l AS (SELECT id FROM app_user WHERE role = 'LEADER' ORDER BY username LIMIT 1)
         INSERT INTO task (plan_id, code, title, description, responsible_leader_id, due_at, status, created_at)
         SELECT p.id, 'B' || g, '基准任务 ' || g || ' 号：社区服务设施改造提升', '基准测试数据', l.id,
           date_trunc('day', now()) + ((abs(hashtext('due' || g)) % 425) - 60) * interval '1 day'
             + interval '16 hours' - interval '1 ms',
           'ASSIGNED', now() - interval '120 days'
         FROM generate_series(1, $1::int) g, p, l`,
        [count],
      );
      await m.query(
        `INSERT INTO assignment (task_id, org_unit_id, role, due_at, status, progress_percent, created_at,
                                 updated_at, closed_at)
         SELECT t.id, u.id, 'LEAD', t.due_at, s.status,
           CASE WHEN s.status = 'CLOSED' THEN 100 WHEN s.status = 'ASSIGNED' THEN 0 ELSE abs(hashtext('p' || t.code)) % 100 END,
           t.created_at, now() - (abs(hashtext('u' || t.code)) % 90) * interval '1 day',
           CASE WHEN s.status = 'CLOSED' THEN now() - interval '1 day' END
         FROM task t JOIN org_unit u ON u.name = $1
         CROSS JOIN LATERAL (SELECT CASE abs(hashtext('s' || t.code)) % 10
           WHEN 0 THEN 'ASSIGNED' WHEN 1 THEN 'ACCEPTED' WHEN 2 THEN 'CLOSED' WHEN 3 THEN 'CLOSE_OUT_REQUESTED'
           ELSE 'IN_PROGRESS' END AS status) s
         WHERE t.code LIKE 'B%' AND t.description = '基准测试数据'`,
        [unitName],
      );
    });
  } finally {
    await ds.destroy();
  }
}

async function startApi(databaseUrl: string, cleanup: Cleanup): Promise<string> {
  const config = { ...configFor(databaseUrl, `zhezi-bench-web-${RUN}`), webDistDir: DIST, logLevel: 'warn' };
  const redis = createRedis(config.redisUrl);
  cleanup.add('delete Redis keys', async () => {
    await deleteKeys(redis, config.redisPrefix);
    redis.disconnect();
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config }), {
    logger: ['error'],
  });
  cleanup.add('close the API', () => app.close());
  await configureHttp(app);
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

const gql = <T>(base: string, query: string, variables: object, token?: string) =>
  postGraphql<T>(`${base}/graphql`, JSON.stringify({ query, variables }), token);

/** Until `condition` (a script evaluated in the page) holds, in ms since the navigation started. */
async function until(page: Page, condition: string): Promise<number> {
  await page.waitForFunction(condition, undefined, { polling: 'raf', timeout: 120_000 });
  return page.evaluate<number>('performance.now()');
}

/** 我的任务: the first page of rows and the list's total are on screen. */
function listShown(total: number): string {
  const text = JSON.stringify(`共 ${total.toLocaleString('zh-CN')} 条`);
  // Evaluated in the page (a string: this file is not compiled against the DOM's types).
  return `document.querySelectorAll('.ant-table-row').length > 0 && document.body.innerText.includes(${text})`;
}

/** 总览: every chart's SVG holds its shapes (more than the axes' lines). */
const chartsDrawn = `${JSON.stringify(OVERVIEW_CHARTS)}.every(
  (name) => document.querySelectorAll('[data-chart="' + name + '"] svg path').length > 4)`;

interface PageFigures {
  coldMs: number[];
  /** The renderer process's CPU time over the cold load. */
  cpuMs: number[];
  /** This process's (the API's, and Playwright's client) CPU time over the cold load. */
  apiCpuMs: number[];
  warmMs: number[];
  floorMs: number[];
}

/** What one page is timed by: where it is, when it is shown, and the request that is its floor. */
interface PageProbe {
  path: string;
  shown: string;
  floor: { query: string; variables: object };
}

/**
 * `runs` times: a new browser context (nothing cached), signed in by the session cookie the API sets at sign-in,
 * navigates to the page until it is shown (cold), reloads it (warm, scripts cached), then sends the floor request
 * over HTTP alone.
 */
async function measurePage(
  browser: Browser,
  base: string,
  token: string,
  runs: number,
  probe: PageProbe,
): Promise<PageFigures> {
  const figures: PageFigures = { coldMs: [], cpuMs: [], apiCpuMs: [], warmMs: [], floorMs: [] };
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    try {
      await context.addCookies([
        { name: 'zhezi_session', value: token, url: base, httpOnly: true, sameSite: 'Strict' },
      ]);
      const page = await context.newPage();
      // The renderer's CPU time besides the wall time: on a busy machine the wall time is mostly waiting.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const cpu = async () => {
        const { metrics } = await cdp.send('Performance.getMetrics');
        return (metrics.find((m) => m.name === 'ProcessTime')?.value ?? NaN) * 1000;
      };
      const before = await cpu();
      const api = process.cpuUsage();
      await page.goto(`${base}${probe.path}`);
      figures.coldMs.push(await until(page, probe.shown));
      figures.cpuMs.push((await cpu()) - before);
      const used = process.cpuUsage(api);
      figures.apiCpuMs.push((used.user + used.system) / 1000);
      await page.reload();
      figures.warmMs.push(await until(page, probe.shown));
    } finally {
      await context.close();
    }
    const started = performance.now();
    await gql(base, probe.floor.query, probe.floor.variables, token);
    figures.floorMs.push(performance.now() - started);
  }
  return figures;
}

/** The figures of a page as a table: median, spread and ratio to the floor. */
function printPage(title: string, runs: number, page: PageFigures, shownAs: string): void {
  const floor = median(page.floorMs);
  console.log(`\n${title}, median of ${runs} runs (ms)\n`);
  console.log('| | median | min | max | ÷ floor |\n| --- | ---: | ---: | ---: | ---: |');
  const row = (name: string, v: number[]) =>
    console.log(
      `| ${name} | ${median(v).toFixed(0)} | ${Math.min(...v).toFixed(0)} | ${Math.max(...v).toFixed(0)} | ` +
        `${(median(v) / floor).toFixed(1)} |`,
    );
  row(`navigation → ${shownAs}, cold`, page.coldMs);
  row(`navigation → ${shownAs}, warm (reload)`, page.warmMs);
  row("floor: the page's query over HTTP", page.floorMs);
  row('renderer CPU time during the cold load', page.cpuMs);
  row('API process CPU time during the cold load', page.apiCpuMs);
}

const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');

/** Token of a demo user, by the `login` mutation. */
async function login(base: string, username: string, password: string): Promise<string> {
  const { login } = await gql<{ login: { token: string } }>(
    base,
    'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
    { u: username, p: password },
  );
  return login.token;
}

// ---------------------------------------------------------------------------------------------
// (a)

async function benchSignIn(browser: Browser | undefined, base: string | undefined): Promise<void> {
  const files = signInScripts(DIST);
  const bytes = files.map((f) => ({ file: f, gz: gzipped(f), raw: readFileSync(join(DIST, f)).length }));
  const signInGz = bytes.reduce((n, b) => n + b.gz, 0);
  console.log('\n(a) JavaScript before the sign-in page is usable (gzip, zlib default level)\n');
  console.log('| file | raw KB | gzip KB |\n| --- | ---: | ---: |');
  for (const b of bytes) console.log(`| ${b.file} | ${kb(b.raw).toFixed(1)} | ${kb(b.gz).toFixed(1)} |`);
  console.log(`| **total** | | **${kb(signInGz).toFixed(1)}** |`);
  if (browser && base) {
    const loaded = await scriptsUntilSignInUsable(browser, base);
    const loadedGz = loaded.files.reduce((n, f) => n + gzipped(f), 0);
    console.log(
      `\nChromium fetched ${loaded.files.length} scripts (${kb(loadedGz).toFixed(1)} KB gzip) until the form took ` +
        `input (${loaded.ms} ms); ${loaded.files.every((f) => files.includes(f)) ? 'all of them' : 'NOT all'} ` +
        `in the list above.`,
    );
  }
  console.log(
    `  target: sign-in JS ≤ ${TARGETS.signInKb} KB gzip: ${kb(signInGz).toFixed(1)} KB — ` +
      verdict(kb(signInGz) <= TARGETS.signInKb),
  );
}

// ---------------------------------------------------------------------------------------------
// (b)

async function benchMyTasks(runs: number, cleanup: Cleanup, withBrowser: (base: string) => Promise<Browser>) {
  log('throw-away database: migrate, seed, 1,000 shares');
  const url = await createDatabase(`zhezi_bench_web_${RUN}`, cleanup);
  await seedDatabase(url);
  await addShares(url, UNIT, SHARES);
  const base = await startApi(url, cleanup);
  const browser = await withBrowser(base);
  const token = await login(base, USER, DEMO_PASSWORD);
  const total = (
    await gql<{ unitBoard: { items: { totalCount: number } } }>(
      base,
      '{ unitBoard { items(first: 1) { totalCount } } }',
      {},
      token,
    )
  ).unitBoard.items.totalCount;
  log(`measuring 我的任务 (${total.toLocaleString('en')} shares of ${UNIT}), ${runs} runs`);
  const variables = { filter: {}, orderBy: 'DUE_AT', direction: 'ASC', first: 20 };
  const page = await measurePage(browser, base, token, runs, {
    path: '/tasks',
    shown: listShown(total),
    floor: { query: LIST_QUERY, variables },
  });
  printPage(`(b) 我的任务 with ${total.toLocaleString('en')} shares`, runs, page, 'rows shown');
  const [cold, warm] = [median(page.coldMs), median(page.warmMs)];
  console.log(
    `  target: 我的任务 < ${TARGETS.myTasksMs} ms: cold ${cold.toFixed(0)} ms, warm ${warm.toFixed(0)} ms — ` +
      verdict(Math.max(cold, warm) < TARGETS.myTasksMs),
  );
  return { base, browser };
}

// ---------------------------------------------------------------------------------------------
// (c) 总览 over a generated city

async function benchOverview(
  runs: number,
  shares: number,
  cleanup: Cleanup,
  withBrowser: (base: string) => Promise<Browser>,
): Promise<void> {
  log(`throw-away database: migrate, generate a city with ${shares.toLocaleString('en')} shares`);
  const url = await createDatabase(`zhezi_bench_web_${RUN}_city`, cleanup);
  const started = performance.now();
  const city = await generate(url, shares, 1);
  const ds = await new DataSource(dataSourceOptions(url)).initialize();
  let subjects;
  try {
    await ds.query('ANALYZE');
    subjects = await findSubjects(ds);
  } finally {
    await ds.destroy();
  }
  log(
    `generated ${city.assignments.toLocaleString('en')} shares, ${city.tasks.toLocaleString('en')} tasks in ` +
      `${((performance.now() - started) / 1000).toFixed(0)} s (with ANALYZE)`,
  );
  const base = await startApi(url, cleanup);
  const browser = await withBrowser(base);
  const token = (await signIn(`${base}/graphql`, subjects)).leader;
  // The read model is computed on a board's first read after generation: plan by plan, each read stays within the
  // API's statement timeout even on a busy machine (all plans at once took over 15 s at 1M under load 12).
  const { plans } = await gql<{ plans: { edges: { node: { id: string } }[] } }>(
    base,
    '{ plans(first: 100) { edges { node { id } } } }',
    {},
    token,
  );
  const warming = performance.now();
  for (const { node } of plans.edges) await gql(base, OVERVIEW_QUERY, { planId: node.id }, token);
  log(
    `read model computed plan by plan (${plans.edges.length} plans) in ${(performance.now() - warming).toFixed(0)} ms`,
  );
  for (const [scope, planId] of [
    ["one district's plan", subjects.planId],
    ['all plans', undefined],
  ] as const) {
    // The first read of this scope fills the API's board cache: not what the runs below meet.
    const first = performance.now();
    await gql(base, OVERVIEW_QUERY, { planId }, token);
    log(`总览, ${scope}: first read ${(performance.now() - first).toFixed(0)} ms; measuring, ${runs} runs`);
    const page = await measurePage(browser, base, token, runs, {
      path: `/overview${planId ? `?plan=${planId}` : ''}`,
      shown: chartsDrawn,
      floor: { query: OVERVIEW_QUERY, variables: { planId } },
    });
    printPage(
      `(c) 总览 (${subjects.leader}), ${scope}, city of ${city.assignments.toLocaleString('en')} shares`,
      runs,
      page,
      'charts drawn',
    );
  }
}

// ---------------------------------------------------------------------------------------------

const USAGE =
  'usage: npm run bench:web [-- --runs N] [--only sign-in|my-tasks|overview] [--shares N]  (N ≥ 1; shares ≥ 1000)';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '7' },
      only: { type: 'string' },
      shares: { type: 'string', default: '1000000' },
    },
  });
  const runs = Number(values.runs);
  const shares = Number(values.shares);
  const only = values.only as Part | undefined;
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(shares) || shares < 1000)
    throw new Error(USAGE);
  if (only && !PARTS.includes(only)) throw new Error(USAGE);
  const wanted = (part: Part) => !only || only === part;
  if (!existsSync(join(DIST, 'index.html'))) {
    log('no build at dist/apps/web: building it (npm run build:web)');
    execFileSync('npm', ['run', 'build:web'], { stdio: 'inherit', cwd: ROOT });
  }
  for (const line of await describeMachine()) console.log(line);

  const cleanup = new Cleanup();
  process.once('SIGINT', () => void cleanup.run().then(() => process.exit(130)));
  let browser: Browser | undefined;
  const withBrowser = async () => (browser ??= await chromium.launch({ executablePath: CHROMIUM }));
  try {
    let first: { base: string; browser: Browser } | undefined;
    if (wanted('my-tasks')) first = await benchMyTasks(runs, cleanup, withBrowser);
    if (wanted('sign-in')) await benchSignIn(first?.browser, first?.base);
    if (wanted('overview')) await benchOverview(runs, shares, cleanup, withBrowser);
  } finally {
    await browser?.close();
    await cleanup.run();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  });
}
