import { Redis } from 'ioredis';
import { describeConnectionFailure } from '@zhezi/core';
import { dropRunDatabases } from '../libs/testing/src/test-database';
import { RUN_ID_VAR } from '../libs/testing/src/test-env';

/** Removes the run's databases and Redis keys, then stops the servers the global setup started. */
export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.zheziTestServers;
  const run = process.env[RUN_ID_VAR];
  if (!servers) return;
  try {
    if (run) {
      await unlessUnreachable(servers.databaseUrl, () => dropRunDatabases(run));
      await unlessUnreachable(servers.redisUrl, () => deleteRunKeys(run, servers.redisUrl));
    }
  } finally {
    await servers.stop();
  }
}

/** A server gone by the end of the run is said in a sentence; there is nothing left to clean on it anyway. */
async function unlessUnreachable(url: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const sentence = describeConnectionFailure(error, url);
    if (!sentence) throw error;
    console.warn(`\nthe run's data was not removed. ${sentence}`);
  }
}

async function deleteRunKeys(run: string, redisUrl: string): Promise<void> {
  // One attempt: a Redis that went away must not hold the run up with retries.
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  let failure: unknown;
  redis.on('error', (error) => (failure ??= error));
  try {
    const stream = redis.scanStream({ match: `zhezi-test-${run}*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.del(...keys);
  } catch (error) {
    throw failure ?? error;
  } finally {
    redis.disconnect();
  }
}
