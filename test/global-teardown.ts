import { Redis } from 'ioredis';
import { dropRunDatabases } from '../libs/testing/src/test-database';
import { RUN_ID_VAR } from '../libs/testing/src/test-env';

export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.zheziTestServers;
  const run = process.env[RUN_ID_VAR];
  if (!servers) return;
  try {
    if (run) await removeRunData(run, servers.redisUrl);
  } finally {
    await servers.stop();
  }
}

async function removeRunData(run: string, redisUrl: string): Promise<void> {
  await dropRunDatabases(run);
  // One attempt: a Redis that went away must not hold the run up with retries.
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    const stream = redis.scanStream({ match: `zhezi-test-${run}*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
