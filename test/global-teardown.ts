import { Redis } from 'ioredis';
import { dropRunDatabases } from '../libs/testing/src/test-database';
import { RUN_ID_VAR, TEST_REDIS_URL } from '../libs/testing/src/test-env';

export default async function globalTeardown(): Promise<void> {
  const run = process.env[RUN_ID_VAR];
  if (!run) return;
  await dropRunDatabases(run);
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const stream = redis.scanStream({ match: `zhezi-test-${run}*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
