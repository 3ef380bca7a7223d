/**
 * Where the suite's servers are. Each run creates its own databases and Redis key prefix on them and
 * removes them afterwards, so a developer's data and parallel runs are never touched.
 */
export const TEST_SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Set by the global setup; shared by every test file of the run. */
export const RUN_ID_VAR = 'ZHEZI_TEST_RUN_ID';

export function runId(): string {
  const id = process.env[RUN_ID_VAR];
  if (!id) throw new Error(`${RUN_ID_VAR} is not set: run the tests through jest (npm test)`);
  return id;
}

export const templateDatabase = (run: string) => `zhezi_test_${run}_template`;

export function databaseUrl(database: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
