/**
 * The deployment's shape on one machine: api and worker replicas as separate Node processes (as
 * `npm run start:api` / `start:worker` run them) behind Debian's HAProxy running docker/haproxy.cfg, the file the
 * compose profile `scale` uses. For test/scale-out.e2e.spec.ts and `npm run bench:scale`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const HAPROXY_CONFIG = join(ROOT, 'docker', 'haproxy.cfg');
/** The servers docker/haproxy.cfg names, in its order. */
export const REPLICA_NAMES = ['api-1', 'api-2'] as const;
export type ReplicaName = (typeof REPLICA_NAMES)[number];
const BACKEND = 'replicas';
const KEEP_OUTPUT = 20_000;

// ---------------------------------------------------------------------------------------------
// HAProxy from Debian

export type HaproxyCheck = { found: true; version: string } | { found: false; reason: string };

const haproxyVersion = () => {
  const run = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
  return run.error || run.status !== 0 ? null : (/version (\S+)/.exec(run.stdout)?.[1] ?? 'unknown');
};

/**
 * HAProxy on PATH; when it is missing and this process is root on Debian, Debian's package is installed first
 * (as .ci/run installs redis-server), never anything from elsewhere. Otherwise says why it cannot be had.
 */
export function ensureHaproxy(): HaproxyCheck {
  const present = haproxyVersion();
  if (present) return { found: true, version: present };
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version']).error) {
    return {
      found: false,
      reason: 'haproxy is not installed (Debian/Ubuntu, as root: `apt-get install -y haproxy`)',
    };
  }
  const apt = (...args: string[]) =>
    spawnSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  console.info("haproxy is not installed: installing Debian's haproxy");
  // A fresh image has no package lists; update only when the install cannot find the package.
  const installed = apt('install', '-y', 'haproxy') || (apt('update') && apt('install', '-y', 'haproxy'));
  const version = installed ? haproxyVersion() : null;
  return version
    ? { found: true, version }
    : {
        found: false,
        reason: '`apt-get install -y haproxy` did not leave a haproxy on PATH (see its output above)',
      };
}

// ---------------------------------------------------------------------------------------------
// Processes

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A child process whose last output is kept for failure messages; it dies with this process. */
export class Service {
  private output = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: Record<string, string>,
  ) {
    this.child = spawn(command, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const kill = () => this.child.kill('SIGKILL');
    process.on('exit', kill);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', () => {
        process.off('exit', kill);
        resolve();
      }),
    );
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-KEEP_OUTPUT);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  tail(lines = 20): string {
    return this.output.trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Polls `ready` until it holds; fails with the process's last lines if it exits or takes too long. */
  async until(what: string, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await ready().catch(() => false))) {
      if (!this.running) throw new Error(`${this.name} exited before ${what}:\n${this.tail()}`);
      if (Date.now() > deadline)
        throw new Error(`${this.name}: not ${what} in ${timeoutMs} ms:\n${this.tail()}`);
      await sleep(100);
    }
  }

  /** SIGTERM (Nest's shutdown hooks run), SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** `GET url` answers 200. */
async function answers(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.arrayBuffer();
  return response.ok;
}

// ---------------------------------------------------------------------------------------------
// The cluster

export interface ClusterOptions {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** Worker processes beside the two api replicas (0 for a benchmark of the api alone). */
  workers: number;
  /** More settings for every process (e.g. the dispatcher's interval). */
  env?: Record<string, string>;
}

export interface Replica {
  name: ReplicaName;
  /** http://127.0.0.1:<port>, straight to this replica. */
  base: string;
  process: Service;
}

export interface Cluster {
  /** http://127.0.0.1:<port>: HAProxy, in front of both replicas. */
  balancer: string;
  replicas: Replica[];
  workers: { base: string; process: Service }[];
  haproxy: Service;
  /** Takes a replica out of the balancer's rotation (`disable server`) or puts it back. */
  setInRotation(name: ReplicaName, inRotation: boolean): Promise<void>;
  /** Each replica's state as HAProxy sees it: UP, DOWN, MAINT, … */
  states(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

/** What every process of the cluster shares: one database, one Redis prefix, one signing secret. */
function sharedEnv(options: ClusterOptions): Record<string, string> {
  return {
    NODE_ENV: 'production',
    // Quiet: a line per request would cost the benchmark; failures still print.
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.redisPrefix,
    JWT_SECRET: 'scale-out-secret-shared-by-every-replica-0123456789',
    ...options.env,
  };
}

/** `npm run start:api` / `start:worker`: the TypeScript sources through swc, as package.json runs them. */
const nodeService = (name: string, entry: string, env: Record<string, string>) =>
  new Service(name, process.execPath, ['-r', '@swc-node/register', entry], env);

/**
 * Starts two api replicas and `workers` workers on their own free ports, then HAProxy with docker/haproxy.cfg in
 * front of the replicas; resolves once every process answers /health/ready and HAProxy has both replicas UP.
 * Whatever started is stopped again if a later step fails.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), 'zhezi-scale-out-'));
  const env = sharedEnv(options);
  const started: Service[] = [];
  const stop = async () => {
    await Promise.all(started.splice(0).map((service) => service.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const replicas: Replica[] = [];
    for (const name of REPLICA_NAMES) {
      const port = await freePort();
      const service = nodeService(name, 'apps/api/src/main.ts', { ...env, PORT: String(port) });
      started.push(service);
      replicas.push({ name, base: `http://127.0.0.1:${port}`, process: service });
    }
    const workers: Cluster['workers'] = [];
    for (let i = 1; i <= options.workers; i++) {
      const port = await freePort();
      const service = nodeService(`worker-${i}`, 'apps/worker/src/main.ts', {
        ...env,
        WORKER_HTTP_PORT: String(port),
      });
      started.push(service);
      workers.push({ base: `http://127.0.0.1:${port}`, process: service });
    }
    await Promise.all(
      [...replicas, ...workers].map(({ base, process }) =>
        process.until('ready', () => answers(`${base}/health/ready`), 120_000),
      ),
    );

    const socket = join(dir, 'haproxy.sock');
    // The runtime socket this file adds to docker/haproxy.cfg: rotation and state, for the test and the benchmark.
    const local = join(dir, 'local.cfg');
    await writeFile(local, `global\n  stats socket ${socket} mode 600 level admin\n`);
    const balancerPort = await freePort();
    const haproxy = new Service('haproxy', 'haproxy', ['-db', '-f', HAPROXY_CONFIG, '-f', local], {
      ZHEZI_BALANCER_BIND: `127.0.0.1:${balancerPort}`,
      ZHEZI_API_1: replicas[0].base.replace('http://', ''),
      ZHEZI_API_2: replicas[1].base.replace('http://', ''),
    });
    started.push(haproxy);
    const ask = (command: string) => haproxyCommand(socket, command);
    const states = async () => serverStates(await ask('show stat'));
    await haproxy.until('routing to both replicas', async () => {
      const now = await states();
      return REPLICA_NAMES.every((name) => now[name] === 'UP');
    });
    return {
      balancer: `http://127.0.0.1:${balancerPort}`,
      replicas,
      workers,
      haproxy,
      async setInRotation(name, inRotation) {
        await ask(`${inRotation ? 'enable' : 'disable'} server ${BACKEND}/${name}`);
        const want = inRotation ? 'UP' : 'MAINT';
        await haproxy.until(`${name} ${want}`, async () => (await states())[name] === want, 10_000);
      },
      states,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One command on HAProxy's runtime socket; its answer. */
function haproxyCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const connection = createConnection(socket, () => connection.end(`${command}\n`));
    connection.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    connection.on('end', () => resolve(answer));
    connection.on('error', reject);
  });
}

/** `show stat` is CSV headed by `# pxname,svname,…,status,…`: the status of each server of the backend. */
function serverStates(csv: string): Record<string, string> {
  const [header, ...rows] = csv.trim().split('\n');
  const columns = header.replace(/^# /, '').split(',');
  const at = (name: string) => columns.indexOf(name);
  return Object.fromEntries(
    rows
      .map((row) => row.split(','))
      .filter(
        (cells) => cells[at('pxname')] === BACKEND && !['FRONTEND', 'BACKEND'].includes(cells[at('svname')]),
      )
      .map((cells) => [cells[at('svname')], cells[at('status')]]),
  );
}
