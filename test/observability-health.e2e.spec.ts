import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { startTestApi, type TestApi } from './support/test-api';
import { Cleanup, freePort, killOnExit, stopProcess, waitFor } from './support/worker-services';

/** A redis-server on a fixed port, so that it can be stopped and started again where the API expects it. */
function redisServer(port: number): ChildProcess {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  killOnExit(child);
  return child;
}

async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

describe('health probes', () => {
  const cleanup = new Cleanup();
  afterAll(() => cleanup.run());

  async function ready(api: TestApi, path = '/health/ready') {
    const response = await fetch(`${api.url.replace(/\/graphql$/, '')}${path}`);
    return { status: response.status, body: (await response.json()) as { checks?: Record<string, string> } };
  }

  it('/health/ready is 503 while Redis is stopped and 200 once it is back; /health/live stays 200', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    let redis = redisServer(port);
    cleanup.add('stop redis-server', () => stopProcess(redis));
    await waitFor('redis-server answers', () => answers(url), Boolean, { timeoutMs: 10_000, intervalMs: 50 });
    const api = await startTestApi({ config: { redisUrl: url } });
    cleanup.add('close the API', () => api.close());

    expect(await ready(api)).toEqual({
      status: 200,
      body: { status: 'ok', checks: { postgres: 'ok', redis: 'ok', migrations: 'ok' } },
    });
    // The old GET /health (npm run up polls it) is the same probe.
    expect((await ready(api, '/health')).status).toBe(200);

    await stopProcess(redis);
    const down = await ready(api);
    expect(down).toMatchObject({
      status: 503,
      body: {
        status: 'unavailable',
        checks: { postgres: 'ok', redis: 'down', migrations: 'ok' },
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      },
    });
    expect((await ready(api, '/health')).status).toBe(503);
    expect((await ready(api, '/health/live')).status).toBe(200);

    redis = redisServer(port);
    // The probe's connection retries every second.
    const back = await waitFor(
      'readiness after Redis is back',
      () => ready(api),
      (r) => r.status === 200,
      {
        timeoutMs: 15_000,
        intervalMs: 200,
      },
    );
    expect(back.body.checks).toEqual({ postgres: 'ok', redis: 'ok', migrations: 'ok' });
  });

  it('/health/ready is 503 while a migration this build knows is not applied', async () => {
    const api = await startTestApi();
    cleanup.add('close the second API', () => api.close());
    // TypeORM answers a DELETE … RETURNING with [rows, count].
    const [[last]] = await api.dataSource.query<[{ id: number; timestamp: string; name: string }[], number]>(
      `DELETE FROM migrations WHERE id = (SELECT max(id) FROM migrations) RETURNING id, timestamp, name`,
    );
    expect(await ready(api)).toMatchObject({
      status: 503,
      body: { status: 'unavailable', checks: { postgres: 'ok', redis: 'ok', migrations: 'down' } },
    });
    await api.dataSource.query(`INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)`, [
      last.id,
      last.timestamp,
      last.name,
    ]);
    expect((await ready(api)).status).toBe(200);
  });
});
