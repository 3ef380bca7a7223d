import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { databaseUrl, runId, templateDatabase, testServerUrl } from './test-env';

/**
 * Jest gives every test file a fresh module registry, so a module-level counter restarts per file; two files
 * run in one process would pick the same name. A random part keeps the names apart whatever runs where.
 */
function uniquePart(): string {
  return `${process.pid}_${randomBytes(4).toString('hex')}`;
}

async function withServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, fully migrated database for one test file: a copy of the run's template, made in milliseconds. */
export async function createTestDatabase(): Promise<{
  name: string;
  url: string;
  drop: () => Promise<void>;
}> {
  const run = runId();
  const name = `zhezi_test_${run}_${process.env.JEST_WORKER_ID ?? '0'}_${uniquePart()}`;
  await withServer((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase(run)}"`));
  return {
    name,
    url: databaseUrl(name),
    drop: () =>
      withServer((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** An empty database (no migrations), for the migration test. */
export async function createEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `zhezi_test_${runId()}_empty_${uniquePart()}`;
  await withServer((c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    url: databaseUrl(name),
    drop: () =>
      withServer((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

export async function createTemplateDatabase(run: string): Promise<string> {
  const name = templateDatabase(run);
  await withServer((c) => c.query(`CREATE DATABASE "${name}"`));
  return databaseUrl(name);
}

/** Drops every database this run made (including ones a crashed test file left behind). */
export async function dropRunDatabases(run: string): Promise<void> {
  await withServer(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`zhezi_test_${run}_%`],
    );
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
