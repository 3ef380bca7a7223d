import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../apps/api/src/app.module';
import { configureHttp } from '../apps/api/src/http-setup';
import { seedDatabase } from '../apps/cli/src/seed';
import { loadConfig } from '@zhezi/core';
import { DEMO_PASSWORD } from '@zhezi/seed';
import { createTestDatabase, runId, TEST_REDIS_URL } from '@zhezi/testing';
import { dataOf } from './support/ops';
import type { GqlResult } from './support/test-api';

const BOARD = `query($planId: ID!) {
  indicatorBoard(planId: $planId, first: 100) {
    totalCount
    edges { node { indicator { name } latest { year value note } onTrack } }
  }
}`;

interface Row {
  indicator: { name: string };
  latest: { year: number; value: number; note: string } | null;
  onTrack: boolean | null;
}

/** The API over a database holding only the Haidian demo data, as `npm run up` leaves it. */
describe('the seeded demo plan over HTTP', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let evidenceDir: string;
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    evidenceDir = await mkdtemp(join(tmpdir(), 'zhezi-evidence-'));
    await seedDatabase(db.url);
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `zhezi-test-${runId()}-${db.name}`,
      JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
      EVIDENCE_DIR: evidenceDir,
    });
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config }), { logger: false });
    await configureHttp(app);
    await app.listen(0, '127.0.0.1');
    url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql`;
  });

  afterAll(async () => {
    await app?.close();
    await rm(evidenceDir, { recursive: true, force: true });
    await db?.drop();
  });

  async function gql<T>(query: string, variables: Record<string, unknown>, token?: string) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GqlResult<T>;
  }

  it('shows the demo plan’s indicators on the indicator board, with reported figures on and off track', async () => {
    const login = dataOf(
      await gql<{ login: { token: string } }>(
        'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
        { u: 'leader', p: DEMO_PASSWORD },
      ),
    ).login;
    const plans = dataOf(
      await gql<{ plans: { edges: { node: { id: string; title: string } }[] } }>(
        '{ plans(first: 10) { edges { node { id title } } } }',
        {},
        login.token,
      ),
    ).plans.edges.map((e) => e.node);
    const demo = plans.find((p) => p.title.includes('第十三个五年规划纲要'));
    expect(demo).toBeDefined();

    const board = dataOf(
      await gql<{ indicatorBoard: { totalCount: number; edges: { node: Row }[] } }>(
        BOARD,
        { planId: demo!.id },
        login.token,
      ),
    ).indicatorBoard;
    expect(board.totalCount).toBeGreaterThan(0);
    const reported = board.edges.map((e) => e.node).filter((row) => row.latest);
    expect(reported.length).toBeGreaterThanOrEqual(5);
    const greenery = reported.find((row) => row.indicator.name === '城市绿化覆盖率');
    expect(greenery?.latest).toMatchObject({ year: 2019, value: 53.2, note: '演示数据' });
    expect(new Set(reported.map((row) => row.onTrack))).toEqual(new Set([true, false]));
  });
});
