import { createServer, Socket, type Server } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import { loadConfig, type AppConfig, type DatabaseTimeouts } from '@zhezi/core';
import { createTestDatabase, runId, TEST_REDIS_URL } from '@zhezi/testing';
import { AppModule } from '../apps/api/src/app.module';
import { configureHttp } from '../apps/api/src/http-setup';
import { startTestApi, type TestApi } from './support/test-api';

/** Short bounds so the test runs in seconds; the defaults only scale them up. */
const TIMEOUTS: DatabaseTimeouts = {
  statementMs: 8000,
  lockMs: 4000,
  idleInTransactionMs: 60_000,
  acquireMs: 500,
};
const TASKS = 'query { tasks(first: 1) { totalCount } }';
const LOGIN = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';

interface Answer {
  status: number;
  ms: number;
  codes: string[];
}

async function post(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const started = Date.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: { extensions: { code: string } }[] };
  return {
    status: response.status,
    ms: Date.now() - started,
    codes: (body.errors ?? []).map((e) => e.extensions.code),
  } satisfies Answer;
}

describe('PostgreSQL timeouts: a request never waits unbounded', () => {
  let api: TestApi;
  let locker: Client;

  beforeAll(async () => {
    api = await startTestApi({ config: { databasePoolSize: 2, databaseTimeouts: timeouts(TIMEOUTS) } });
    locker = new Client({ connectionString: (api.dataSource.options as { url: string }).url });
    await locker.connect();
  });

  afterAll(async () => {
    await locker.end();
    await api.close();
  });

  afterEach(() => locker.query('ROLLBACK'));

  it('answers SERVICE_UNAVAILABLE / 503 within the lock timeout while a table is locked', async () => {
    const token = await api.token('admin');
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE task IN ACCESS EXCLUSIVE MODE');
    const answer = await post(api.url, TASKS, {}, token);
    expect(answer).toMatchObject({ status: 503, codes: ['SERVICE_UNAVAILABLE'] });
    expect(answer.ms).toBeGreaterThanOrEqual(TIMEOUTS.lockMs - 200);
    expect(answer.ms).toBeLessThan(TIMEOUTS.lockMs + 4000);
  });

  it('does not keep login waiting for a pool connection beyond the acquire timeout', async () => {
    const token = await api.token('admin');
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE task IN ACCESS EXCLUSIVE MODE');
    // Two requests stuck on the lock hold both pool connections.
    const stuck = [post(api.url, TASKS, {}, token), post(api.url, TASKS, {}, token)];
    await waitFor(async () => (await lockWaiters(locker)) === 2);
    const login = await post(api.url, LOGIN, { u: 'leader', p: 'Test@2026' });
    expect(login).toMatchObject({ status: 503, codes: ['SERVICE_UNAVAILABLE'] });
    expect(login.ms).toBeLessThan(TIMEOUTS.lockMs - 500);
    for (const answer of await Promise.all(stuck)) expect(answer.codes).toEqual(['SERVICE_UNAVAILABLE']);
    await locker.query('ROLLBACK');
    // Once the lock is gone everything works again.
    expect(await post(api.url, LOGIN, { u: 'leader', p: 'Test@2026' })).toMatchObject({
      status: 200,
      codes: [],
    });
  });
});

describe('PostgreSQL unreachable', () => {
  let app: NestExpressApplication;
  let url: string;
  let proxy: Proxy;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    proxy = await startProxy(Number(new URL(db.url).port || 5432));
    const through = new URL(db.url);
    through.port = String(proxy.port);
    const config: AppConfig = {
      ...loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: through.toString(),
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `zhezi-test-${runId()}-${db.name}`,
        JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
      }),
      databaseTimeouts: timeouts(TIMEOUTS),
    };
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config }), { logger: false });
    await configureHttp(app);
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
    await drop();
  });

  it('answers 503 coded at once, for GraphQL and REST alike', async () => {
    expect((await post(`${url}/graphql`, LOGIN, { u: 'nobody', p: 'x' })).codes).toEqual(['UNAUTHENTICATED']);
    await proxy.close();
    const login = await post(`${url}/graphql`, LOGIN, { u: 'nobody', p: 'x' });
    expect(login).toMatchObject({ status: 503, codes: ['SERVICE_UNAVAILABLE'] });
    expect(login.ms).toBeLessThan(2000);
    const started = Date.now();
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

function timeouts(api: DatabaseTimeouts): AppConfig['databaseTimeouts'] {
  return { api, worker: api };
}

async function lockWaiters(client: Client): Promise<number> {
  // Inside the locking transaction the activity view would otherwise stay as first read.
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
  );
  return rows[0].n;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Proxy {
  port: number;
  /** Stops listening and cuts every open connection: PostgreSQL is gone for whoever used the proxy. */
  close(): Promise<void>;
}

/** A TCP relay to PostgreSQL, so a test can take the database away from a running app. */
async function startProxy(targetPort: number): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = new Socket();
    outbound.connect(targetPort, '127.0.0.1');
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
