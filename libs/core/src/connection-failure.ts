import { Client } from 'pg';
import {
  connectClusterNodes,
  connectRedis,
  isRedisClusterUrl,
  isRedisUrl,
  type RedisClient,
} from './redis-connection';

/** Server-error codes and system call errors that mean "could not get a working connection", and what to say. */
const REASONS: Record<
  string,
  { why: string; hint: 'start' | 'address' | 'credentials' | 'database' | 'wait' | 'cluster' }
> = {
  ECONNREFUSED: { why: 'nothing is listening there (connection refused)', hint: 'start' },
  ECONNRESET: { why: 'the server closed the connection', hint: 'start' },
  EPIPE: { why: 'the server closed the connection', hint: 'start' },
  ENOTFOUND: { why: 'the host name does not resolve', hint: 'address' },
  EAI_AGAIN: { why: 'the host name does not resolve (DNS did not answer)', hint: 'address' },
  ETIMEDOUT: { why: 'no answer within the time allowed', hint: 'address' },
  EHOSTUNREACH: { why: 'the host is unreachable', hint: 'address' },
  ENETUNREACH: { why: 'the network is unreachable', hint: 'address' },
  // PostgreSQL: invalid_password, invalid_authorization_specification (pg_hba.conf or no such role).
  '28P01': { why: 'the password was refused', hint: 'credentials' },
  '28000': { why: 'the server refused this user from this address', hint: 'credentials' },
  // invalid_catalog_name: the database in the URL does not exist.
  '3D000': { why: 'the database does not exist', hint: 'database' },
  // cannot_connect_now (starting up or shutting down), too_many_connections.
  '57P03': { why: 'the server is starting up or shutting down', hint: 'wait' },
  '53300': { why: 'the server has no connection slots left', hint: 'wait' },
  // Ours: every node named answers on its own, yet they do not serve all slots as one cluster.
  CLUSTER_NOT_READY: { why: 'the nodes answer, but not as one cluster serving every slot', hint: 'cluster' },
};

const SERVERS = {
  postgres: { name: 'PostgreSQL', variable: 'DATABASE_URL' },
  redis: { name: 'Redis', variable: 'REDIS_URL' },
};

/** The URL with its password replaced by `***`, for messages and logs. */
export function maskPassword(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * One sentence for a person when PostgreSQL or Redis cannot be reached: which server, which URL (password
 * masked), why, and what to try. Undefined when `error` is not about reaching the server, so that a real bug
 * still shows its stack.
 */
export function describeConnectionFailure(error: unknown, url: string): string | undefined {
  const server = isRedisUrl(url) ? SERVERS.redis : SERVERS.postgres;
  const reason = reasonOf(error);
  if (!reason) return undefined;
  const { why, hint } = reason;
  const where = maskPassword(url);
  const advice = {
    start: `Start ${server.name} there, or set ${server.variable} to a server that runs.`,
    address: `Check the host and port in ${server.variable}, and that this machine may reach it.`,
    credentials: `Check the user and password in ${server.variable}${
      server === SERVERS.postgres ? ' and the server’s pg_hba.conf' : ''
    }.`,
    database: `Create it (\`createdb\`), or name an existing one in ${server.variable}.`,
    wait: 'Try again in a moment.',
    cluster: `Check them with \`redis-cli --cluster check HOST:PORT\`, or name a cluster's nodes in ${server.variable}.`,
  }[hint];
  return `Cannot connect to ${server.name} at ${where}: ${why}. ${advice}`;
}

/** Connects once, without retries: undefined when the server answers, else the sentence saying why not. */
export async function checkConnection(url: string): Promise<string | undefined> {
  try {
    await (isRedisUrl(url) ? pingRedis(url) : queryPostgres(url));
    return undefined;
  } catch (error) {
    const sentence = describeConnectionFailure(error, url);
    if (sentence) return sentence;
    throw error;
  }
}

/**
 * For the api and the worker at start: each server that does not answer is named in a sentence, and the process
 * exits, rather than retrying with a stack trace per attempt.
 */
export async function exitUnlessReachable(...urls: string[]): Promise<void> {
  const failures = (await Promise.all(urls.map(checkConnection))).filter((failure) => failure !== undefined);
  if (!failures.length) return;
  for (const failure of failures) console.error(failure);
  process.exit(1);
}

async function queryPostgres(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One attempt: ioredis would otherwise retry, and log each attempt, forever. */
const ONCE = { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 0, retryStrategy: () => null };

/**
 * A cluster answers once it serves every slot. When it does not, its nodes' errors say only "Connection is
 * closed.": each node named is then asked on its own, and the first that fails says why.
 */
async function pingRedis(url: string): Promise<void> {
  if (!isRedisClusterUrl(url)) return ping(connectRedis(url, ONCE));
  try {
    await ping(connectRedis(url, ONCE));
  } catch {
    for (const node of connectClusterNodes(url, ONCE)) await ping(node);
    throw Object.assign(new Error('the cluster does not serve every slot'), { code: 'CLUSTER_NOT_READY' });
  }
}

async function ping(redis: RedisClient): Promise<void> {
  // connect() rejects with "Connection is closed." (a cluster: "None of startup nodes is available"); the
  // reason comes as an event.
  let reason: unknown;
  redis.on('error', (error: unknown) => (reason ??= error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw reason ?? error;
  } finally {
    redis.disconnect();
  }
}

function reasonOf(error: unknown): (typeof REASONS)[string] | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && REASONS[code]) return REASONS[code];
  // Node tries every address of a name (IPv4 and IPv6) and reports them together.
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const reason = reasonOf(inner);
      if (reason) return reason;
    }
  }
  if (/^(WRONGPASS|NOAUTH)\b|AUTH .* without any password/.test(error.message)) {
    return { why: 'the password was refused', hint: 'credentials' };
  }
  if (/connection timeout|timeout expired/i.test(error.message)) return REASONS.ETIMEDOUT;
  return error.cause === undefined ? undefined : reasonOf(error.cause);
}
