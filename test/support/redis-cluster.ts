import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, killOnExit, pingOnce, stopProcess, waitFor } from './worker-services';

export interface LocalRedisCluster {
  /** `redis-cluster://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3`, as REDIS_URL would name it. */
  url: string;
  ports: number[];
  /** A plain connection to one node, for looking at what it holds; closed by stop(). */
  node(port: number): Redis;
  /** Stops the servers and removes their directory. */
  stop(): Promise<void>;
}

/** Ports nobody listens on, all different: a node needs one for clients and one for the cluster bus. */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} exited with ${code}:\n${output}`)),
    );
  });
}

/**
 * Three redis-server masters in cluster mode on free ports, their files in a temporary directory, joined with
 * `redis-cli --cluster create` (no replicas), once every node reports `cluster_state:ok`. The bus ports are
 * named (`--cluster-port`): the default, port + 10000, may lie beyond 65535 for a port the kernel picked.
 */
export async function startRedisCluster(): Promise<LocalRedisCluster> {
  for (const tool of ['redis-server', 'redis-cli']) {
    if (spawnSync(tool, ['--version']).error) {
      throw new Error(
        `this test starts a Redis Cluster of its own and ${tool} is not on PATH: install Redis ` +
          '(Debian/Ubuntu: `apt-get install redis-server`, macOS: `brew install redis`)',
      );
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'zhezi-redis-cluster-'));
  const [p1, p2, p3, ...busPorts] = await freePorts(6);
  const ports = [p1, p2, p3];
  const children: ChildProcess[] = [];
  const connections = new Map<number, Redis>();
  const node = (port: number) => {
    let redis = connections.get(port);
    if (!redis) {
      redis = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => null });
      connections.set(port, redis);
    }
    return redis;
  };
  const stop = async () => {
    for (const redis of connections.values()) redis.disconnect();
    connections.clear();
    await Promise.all(children.map((child) => stopProcess(child)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    ports.forEach((port, i) => {
      const args = [
        ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
        ...['--cluster-enabled', 'yes', '--cluster-port', String(busPorts[i])],
        ...['--cluster-config-file', join(dir, `nodes-${port}.conf`)],
        ...['--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--daemonize', 'no'],
      ];
      const child = spawn('redis-server', args, { stdio: 'ignore' });
      killOnExit(child);
      children.push(child);
    });
    for (const [i, port] of ports.entries()) {
      await waitFor(
        `redis-server on ${port} answers PING`,
        () => pingOnce(port, children[i]),
        (reply) => reply === 'PONG',
        { timeoutMs: 10_000, intervalMs: 50 },
      );
    }
    await run('redis-cli', [
      ...['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`)],
      ...['--cluster-replicas', '0', '--cluster-yes'],
    ]);
    for (const port of ports) {
      await waitFor(
        `node ${port} reports cluster_state:ok`,
        async () => /cluster_state:(\w+)/.exec(String(await node(port).cluster('INFO')))?.[1],
        (state) => state === 'ok',
        { timeoutMs: 15_000, intervalMs: 100 },
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `redis-cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`,
    ports,
    node,
    stop,
  };
}
