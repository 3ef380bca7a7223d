import type { INestApplication } from '@nestjs/common';
import { loadConfig, type Clock } from '@zhezi/core';
import { createTestDatabase, runId, TEST_REDIS_URL } from '@zhezi/testing';
import { startApi } from '../../tools/bench-boards';
import type { Cleanup } from '../../tools/bench-deadlines';

/**
 * The real API (as the benchmarks start it) on a migrated database of its own, without the test fixture, whose
 * units would collide with a generated city's. `env` adds settings; `cleanup` closes the API and drops the database.
 */
export async function startApiOnOwnDatabase(
  cleanup: Cleanup,
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<{ app: INestApplication; url: string }> {
  const db = await createTestDatabase();
  cleanup.add('drop the database', () => db.drop());
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `zhezi-test-${runId()}-${db.name}`,
    ...options.env,
  });
  return startApi({ config, clock: options.clock }, cleanup);
}
