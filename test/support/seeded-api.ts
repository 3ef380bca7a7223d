import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../../apps/api/src/app.module';
import { configureHttp } from '../../apps/api/src/http-setup';
import { seedDatabase } from '../../apps/cli/src/seed';
import { loadConfig } from '@zhezi/core';
import { EscalationReconciler } from '@zhezi/deadline';
import { DEMO_PASSWORD } from '@zhezi/seed';
import { createTestDatabase, runId, TEST_REDIS_URL } from '@zhezi/testing';
import { graphql } from '../gql';
import type { DemoLoginMutation, TypedDocumentString } from '../gql/graphql';
import { dataOf } from './ops';
import type { GqlResult } from './test-api';

const LOGIN = graphql(`
  mutation DemoLogin($u: String!, $p: String!) {
    login(username: $u, password: $p) {
      token
    }
  }
`);

export interface SeededApi {
  /** http://127.0.0.1:<port>, without a path. */
  base: string;
  close(): Promise<void>;
}

/**
 * The real API over a database holding only the Haidian demo data, as `npm run up` leaves it, listening on a
 * free port. `env` adds settings (e.g. WEB_DIST_DIR).
 */
export async function startSeededApi(env: Record<string, string> = {}): Promise<SeededApi> {
  const db = await createTestDatabase();
  const evidenceDir = await mkdtemp(join(tmpdir(), 'zhezi-evidence-'));
  let app: NestExpressApplication | undefined;
  const close = async () => {
    await app?.close();
    await rm(evidenceDir, { recursive: true, force: true });
    await db.drop();
  };
  try {
    await seedDatabase(db.url);
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `zhezi-test-${runId()}-${db.name}`,
      JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
      EVIDENCE_DIR: evidenceDir,
      ...env,
    });
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config }), { logger: false });
    // The worker's start-up reconciliation, which gives the seeded shares their ladders under `npm run up`.
    await app.get(EscalationReconciler).reconcile();
    await configureHttp(app);
    await app.listen(0, '127.0.0.1');
    return { base: (await app.getUrl()).replace('[::1]', '127.0.0.1'), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * GraphQL against a seeded API as a demo user (signed in once with the demo password, then by token):
 * `gql(user, query, variables)`, and `token(user)` for the REST endpoints.
 */
export function demoUserClient(api: SeededApi) {
  const tokens = new Map<string, string>();
  const post = async <T>(body: unknown, bearer?: string) => {
    const response = await fetch(`${api.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }) },
      body: JSON.stringify(body),
    });
    return (await response.json()) as GqlResult<T>;
  };
  const token = async (user: string) => {
    let known = tokens.get(user);
    if (!known) {
      const login = await post<DemoLoginMutation>({
        query: String(LOGIN),
        variables: { u: user, p: DEMO_PASSWORD },
      });
      known = dataOf(login).login.token;
      tokens.set(user, known);
    }
    return known;
  };
  return {
    token,
    gql: async <R, V>(user: string, query: TypedDocumentString<R, V>, variables: V) =>
      post<R>({ query: String(query), variables }, await token(user)),
  };
}
