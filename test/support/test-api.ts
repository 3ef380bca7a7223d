import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { graphql } from '../gql';
import type { TypedDocumentString } from '../gql/graphql';
import { AppModule } from '../../apps/api/src/app.module';
import { configureHttp } from '../../apps/api/src/http-setup';
import { APP_CONFIG, loadConfig, SqlLogger, type AppConfig, type Clock } from '@zhezi/core';
import {
  createFixture,
  createTestDatabase,
  FIXTURE_PASSWORD,
  runId,
  TEST_REDIS_URL,
  type Fixture,
} from '@zhezi/testing';

export interface GqlResult<T> {
  data?: T | null;
  errors?: {
    message: string;
    path?: string[];
    extensions: { code: string; field?: string } & Record<string, unknown>;
  }[];
}

export interface TestApi {
  url: string;
  app: INestApplication;
  dataSource: DataSource;
  fixture: Fixture;
  /** A typed operation from `test/gql` (`graphql(...)`): its variables and result are checked against the schema. */
  gql<R, V>(query: TypedDocumentString<R, V>, variables: V, token?: string): Promise<GqlResult<R>>;
  /** A plain string, for documents that are wrong on purpose or assembled per operation (matrix, bad input). */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GqlResult<T>>;
  /** Signs in a fixture user (by username) and returns a bearer token; cached per user. */
  token(username: string): Promise<string>;
  /** Statements sent to the database so far; diff it around a request to count SQL. */
  queryCount(): number;
  close(): Promise<void>;
}

const LOGIN = graphql(`
  mutation TestLogin($u: String!, $p: String!) {
    login(username: $u, password: $p) {
      token
    }
  }
`);

/** The real API on a fresh database, listening on a free port: tests talk to it over HTTP. */
export async function startTestApi(
  options: { clock?: Clock; config?: Partial<AppConfig> } = {},
): Promise<TestApi> {
  const db = await createTestDatabase();
  // Uploads go to a directory of this API's own, removed on close, never into the working tree.
  const evidenceDir = await mkdtemp(join(tmpdir(), 'zhezi-evidence-'));
  const config: AppConfig = {
    ...loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `zhezi-test-${runId()}-${db.name}`,
      JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
      EVIDENCE_DIR: evidenceDir,
    }),
    ...options.config,
  };
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config, clock: options.clock }),
    {
      logger: false,
    },
  );
  await configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const fixture = await app.get(DataSource).transaction((manager) => createFixture(manager));
  return clientOf(app, fixture, async () => {
    await app.close();
    await rm(evidenceDir, { recursive: true, force: true });
    await db.drop();
  });
}

/**
 * A second API process of the same deployment (a replica): the same database, Redis prefix and fixture, its own
 * connections and in-memory caches. Close it before the first.
 */
export async function startReplica(of: TestApi): Promise<TestApi> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config: of.app.get<AppConfig>(APP_CONFIG) }),
    { logger: false },
  );
  await configureHttp(app);
  await app.listen(0, '127.0.0.1');
  return clientOf(app, of.fixture, () => app.close());
}

async function clientOf(
  app: NestExpressApplication,
  fixture: Fixture,
  close: () => Promise<void>,
): Promise<TestApi> {
  const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql`;
  const dataSource = app.get(DataSource);
  const tokens = new Map<string, string>();

  const gql = (async (
    query: string | TypedDocumentString<unknown, unknown>,
    variables?: unknown,
    token?: string,
  ) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query: String(query), variables }),
    });
    return (await response.json()) as never;
  }) as TestApi['gql'];

  return {
    url,
    app,
    dataSource,
    fixture,
    gql,
    async token(username) {
      let token = tokens.get(username);
      if (!token) {
        const result = await gql(LOGIN, { u: username, p: FIXTURE_PASSWORD });
        if (!result.data) throw new Error(`login ${username} failed: ${JSON.stringify(result.errors)}`);
        token = result.data.login.token;
        tokens.set(username, token);
      }
      return token;
    },
    queryCount: () => (dataSource.logger as SqlLogger).queryCount,
    close,
  };
}
