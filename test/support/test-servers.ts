import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConnection, maskPassword } from '@zhezi/core';
import { TEST_DATABASE_URL_VAR, TEST_REDIS_URL_VAR } from '../../libs/testing/src/test-env';

/**
 * The "standard" servers tried when DATABASE_URL / REDIS_URL are not set. Variables so that a check can point
 * them at closed ports and see the run go through on private servers (.ci/run does).
 */
export const STANDARD_POSTGRES_VAR = 'ZHEZI_TEST_STANDARD_PG';
export const STANDARD_REDIS_VAR = 'ZHEZI_TEST_STANDARD_REDIS';
const STANDARD_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';
const STANDARD_REDIS = 'redis://127.0.0.1:6379';
const PRIVATE_PASSWORD = 'zhezi-test';

/** A server the run cannot have; the global setup prints the message alone (no stack) and stops. */
export class MissingServer extends Error {}

export interface TestServers {
  databaseUrl: string;
  redisUrl: string;
  /** Stops what was started for the run (nothing when every server was already there). */
  stop: () => Promise<void>;
}

type Services = typeof import('../../tools/services.mjs');

/**
 * Chooses the run's servers and puts their URLs where test-env.ts reads them (the workers inherit them):
 * DATABASE_URL / REDIS_URL when set (they must answer); else the standard local ports when they answer; else
 * the private servers `npm run up` starts (tools/services.mjs), on free ports with data in a temporary
 * directory, stopped by the global teardown.
 */
export async function startTestServers(): Promise<TestServers> {
  const postgres = await choose(
    process.env.DATABASE_URL,
    process.env[STANDARD_POSTGRES_VAR],
    STANDARD_POSTGRES,
  );
  const redis = await choose(process.env.REDIS_URL, process.env[STANDARD_REDIS_VAR], STANDARD_REDIS);
  const servers =
    postgres && redis ? { databaseUrl: postgres, redisUrl: redis, stop: async () => {} } : undefined;
  const chosen = servers ?? (await startPrivate(postgres, redis));
  process.env[TEST_DATABASE_URL_VAR] = chosen.databaseUrl;
  process.env[TEST_REDIS_URL_VAR] = chosen.redisUrl;
  return chosen;
}

/** The configured URL, which must answer; or the standard one if it answers; undefined: start a private one. */
async function choose(configured: string | undefined, standard: string | undefined, fallback: string) {
  if (configured) {
    const failure = await checkConnection(configured);
    if (failure) throw new MissingServer(failure);
    return configured;
  }
  const url = standard || fallback;
  return (await checkConnection(url)) ? undefined : url;
}

async function startPrivate(postgres: string | undefined, redis: string | undefined): Promise<TestServers> {
  const services: Services = await import('../../tools/services.mjs');
  // Before anything starts: a Redis that cannot be had stops the run at once.
  if (!redis) await services.ensureRedisServer().catch(asMissing);
  const dir = await mkdtemp(join(tmpdir(), 'zhezi-test-'));
  // As root PostgreSQL runs as the `postgres` user, who must reach its data directory.
  await chmod(dir, 0o755);
  const started: { stop: () => Promise<void> }[] = [];
  const stop = async () => {
    for (const server of started.reverse()) await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const say = (line: string) => console.log(`\n[test servers] ${line}`);
    let databaseUrl = postgres;
    if (!databaseUrl) {
      const port = await services.findFreePort(55432);
      const server = await services.startPrivatePostgres({
        embeddedDir: join(dir, 'postgres'),
        systemDir: join(dir, 'postgres-system'),
        port,
        password: PRIVATE_PASSWORD,
        announce: (how) => say(`no PostgreSQL answers: starting a private one (${how}) on 127.0.0.1:${port}`),
      });
      started.push(server);
      databaseUrl = services.privatePostgresUrl({ port, password: PRIVATE_PASSWORD }, 'postgres');
    }
    let redisUrl = redis;
    if (!redisUrl) {
      const port = await services.findFreePort(56379);
      say(`no Redis answers: starting a private redis-server on 127.0.0.1:${port}`);
      const server = await services.startPrivateRedis({
        dir: join(dir, 'redis'),
        port,
        logFile: join(dir, 'redis.log'),
        persistent: false,
      });
      started.push(server);
      redisUrl = server.url;
    }
    say(`PostgreSQL ${maskPassword(databaseUrl)}, Redis ${redisUrl}, files in ${dir}; stopped after the run`);
    return { databaseUrl, redisUrl, stop };
  } catch (error) {
    await stop();
    return asMissing(error);
  }
}

/** Starting a server failed: its message (already a sentence, with the server's last log lines) is what to show. */
function asMissing(error: unknown): never {
  throw new MissingServer(error instanceof Error ? error.message : String(error));
}
