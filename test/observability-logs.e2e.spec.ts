import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, FIXTURE_PASSWORD, runId, TEST_REDIS_URL, type Fixture } from '@zhezi/testing';
import { graphql } from './gql';
import type { TypedDocumentString } from './gql/graphql';
import { dataOf } from './support/ops';
import type { GqlResult } from './support/test-api';
import {
  Cleanup,
  deleteRedisKeys,
  freePort,
  killOnExit,
  openDatabase,
  seedFixture,
  stopProcess,
  waitFor,
} from './support/worker-services';

const ROOT = join(__dirname, '..');
/** The demo data's published password: it must never reach a log, right or wrong. */
const DEMO_PASSWORD = 'Zhezi@2026';
const FILE_MARKER = '文件内容不得写入日志-7f3a';

const LOGIN = graphql(`
  mutation ObservabilityLogsLogin($u: String!, $p: String!) {
    login(username: $u, password: $p) {
      token
    }
  }
`);
const VIEWER = graphql(`
  query ObservabilityLogsViewer {
    viewer {
      id
    }
  }
`);
const PLANS = graphql(`
  query ObservabilityLogsPlans {
    plans {
      edges {
        node {
          id
          title
        }
      }
    }
  }
`);
const INGEST = graphql(`
  mutation ObservabilityLogsIngest($input: IngestPlanInput!) {
    ingestPlan(input: $input) {
      plan {
        id
      }
    }
  }
`);

interface LogLine {
  level: number;
  msg: string;
  service?: string;
  req?: { id: string; method: string; path: string };
  res?: { statusCode: number };
  responseTime?: number;
  operation?: string;
  userId?: string;
  outcome?: string;
}

/**
 * `npm run start:api` as production runs it (JSON lines on stdout), with everything it writes kept: the
 * test then reads the whole log of a session, a sign-in, queries and an upload.
 */
describe('logs', () => {
  const cleanup = new Cleanup();
  let output = '';
  let base = '';
  let fixture: Fixture;

  beforeAll(async () => {
    const db = await createTestDatabase();
    cleanup.add('drop the database', () => db.drop());
    const ds = await openDatabase(db.url);
    fixture = await seedFixture(ds);
    await ds.destroy();
    const evidenceDir = await mkdtemp(join(tmpdir(), 'zhezi-logs-'));
    cleanup.add('remove the evidence directory', () => rm(evidenceDir, { recursive: true, force: true }));
    const prefix = `zhezi-test-${runId()}-logs`;
    cleanup.add('delete the Redis keys', () => deleteRedisKeys(TEST_REDIS_URL, prefix));
    const port = await freePort();
    const child: ChildProcess = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/api/src/main.ts'],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'production',
          LOG_LEVEL: 'info',
          JWT_SECRET: 'a-production-like-secret-of-enough-length-0123456789',
          DATABASE_URL: db.url,
          REDIS_URL: TEST_REDIS_URL,
          REDIS_PREFIX: prefix,
          PORT: String(port),
          HOST: '127.0.0.1',
          EVIDENCE_DIR: evidenceDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    killOnExit(child);
    cleanup.add('stop the API', () => stopProcess(child));
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    base = `http://127.0.0.1:${port}`;
    await waitFor(
      'the API answers /health/ready',
      () =>
        fetch(`${base}/health/ready`).then(
          (r) => r.status,
          () => 0,
        ),
      (status) => status === 200,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  }, 90_000);

  afterAll(() => cleanup.run());

  async function gql<R, V>(doc: TypedDocumentString<R, V>, variables: V, token?: string, requestId?: string) {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token && { authorization: `Bearer ${token}` }),
        ...(requestId && { 'x-request-id': requestId }),
      },
      body: JSON.stringify({ query: String(doc), variables }),
    });
    return (await response.json()) as GqlResult<R>;
  }

  it('hold request ids, operations, users and outcomes, but no password, token or file content', async () => {
    const refused = await gql(LOGIN, { u: 'leader', p: DEMO_PASSWORD }, undefined, 'wrong-password-1');
    expect(refused.errors).toBeDefined();
    const signedIn = await gql(LOGIN, { u: 'leader', p: FIXTURE_PASSWORD });
    const token = dataOf(signedIn).login.token;
    await gql(VIEWER, {}, token, 'viewer-request-1');
    await gql(PLANS, {}, token);
    // A document inline (base64) in the variables, as ingestPlan takes small files.
    const content = Buffer.from(`# 规划\n${FILE_MARKER}\n`).toString('base64');
    await gql(INGEST, { input: { file: { fileName: 'plan.md', content }, title: '日志测试规划' } }, token);
    const form = new FormData();
    form.append('file', new Blob([`${FILE_MARKER}\n`], { type: 'text/plain' }), 'plan.txt');
    const upload = await fetch(`${base}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    await fetch(`${base}/admin/queues?token=${token}`);

    const lines = await waitFor(
      'the last request is logged',
      () => Promise.resolve(output.split('\n').filter((l) => l.startsWith('{'))),
      (all) => all.some((l) => l.includes('/admin/queues')),
    );
    for (const secret of [DEMO_PASSWORD, FIXTURE_PASSWORD, token, FILE_MARKER, content]) {
      expect(output).not.toContain(secret);
    }
    // Every line is JSON, from the api.
    const entries = lines.map((l) => JSON.parse(l) as LogLine);
    expect(entries.every((e) => e.service === 'api')).toBe(true);

    const requests = entries.filter((e) => e.req && e.res);
    const wrong = requests.find((e) => e.req!.id === 'wrong-password-1');
    expect(wrong).toMatchObject({
      req: { method: 'POST', path: '/graphql' },
      operation: 'ObservabilityLogsLogin',
      outcome: 'UNAUTHENTICATED',
    });
    expect(wrong!.userId).toBeUndefined();
    const viewer = requests.find((e) => e.req!.id === 'viewer-request-1');
    expect(viewer).toMatchObject({
      operation: 'ObservabilityLogsViewer',
      outcome: 'ok',
      userId: fixture.users.leader.id,
      res: { statusCode: 200 },
    });
    expect(typeof viewer!.responseTime).toBe('number');
    const uploaded = requests.find((e) => e.req!.path === '/uploads');
    expect(uploaded).toMatchObject({ userId: fixture.users.leader.id, res: { statusCode: 201 } });
    expect(uploaded!.req!.id).toMatch(/^[0-9a-f-]{36}$/);
    // Probes are not logged; the query string (here a token) never is.
    expect(requests.some((e) => e.req!.path.startsWith('/health'))).toBe(false);
    expect(requests.find((e) => e.req!.path === '/admin/queues')).toBeDefined();
  });
});
