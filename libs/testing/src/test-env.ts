/**
 * Where the suite's servers are: chosen by the global setup (test/support/test-servers.ts), which sets these variables before
 * any test file loads. Each run creates its own databases and Redis key prefix on them and removes them
 * afterwards, so a developer's data and parallel runs are never touched.
 */
export const TEST_DATABASE_URL_VAR = 'ZHEZI_TEST_DATABASE_URL';
export const TEST_REDIS_URL_VAR = 'ZHEZI_TEST_REDIS_URL';

/** Read when called: the global setup itself loads this file before it has chosen the servers. */
export function testServerUrl(): string {
  return chosen(TEST_DATABASE_URL_VAR);
}

/** For test files, which load after the global setup. */
export const TEST_REDIS_URL = process.env[TEST_REDIS_URL_VAR] ?? '';

function chosen(variable: string): string {
  const url = process.env[variable];
  if (!url) throw new Error(`${variable} is not set: run the tests through jest (npm test)`);
  return url;
}

/** Set by the global setup; shared by every test file of the run. */
export const RUN_ID_VAR = 'ZHEZI_TEST_RUN_ID';

export function runId(): string {
  const id = process.env[RUN_ID_VAR];
  if (!id) throw new Error(`${RUN_ID_VAR} is not set: run the tests through jest (npm test)`);
  return id;
}

export const templateDatabase = (run: string) => `zhezi_test_${run}_template`;

export function databaseUrl(database: string): string {
  const url = new URL(testServerUrl());
  url.pathname = `/${database}`;
  return url.toString();
}
