import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** One server or a Redis Cluster: both answer the commands this system sends. */
export type RedisClient = Redis | Cluster;

/** What a caller chooses about its connection; where to connect, and how to sign in, come from the URL. */
export type RedisConnectOptions = Pick<
  RedisOptions,
  | 'lazyConnect'
  | 'enableOfflineQueue'
  | 'enableReadyCheck'
  | 'maxRetriesPerRequest'
  | 'connectTimeout'
  | 'retryStrategy'
>;

export interface RedisClusterAddress {
  /** Some nodes of the cluster; the client learns the others (and which slots each serves) from them. */
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  tls: boolean;
}

/** `redis-cluster://[user[:password]@]host:port,host:port,…`, or `rediss-cluster://` for TLS. */
const CLUSTER_URL = /^(rediss?)-cluster:\/\/(?:([^@/]*)@)?([^/?#@]+)\/?$/i;
const NODE = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/;

export const isRedisUrl = (url: string): boolean => /^rediss?(-cluster)?:/i.test(url);
export const isRedisClusterUrl = (url: string): boolean => /^rediss?-cluster:/i.test(url);

export function parseRedisClusterUrl(url: string): RedisClusterAddress {
  const match = CLUSTER_URL.exec(url.trim());
  if (!match) {
    throw new Error(
      'a Redis Cluster URL reads redis-cluster://[user[:password]@]host:port,host:port,… (rediss-cluster:// for TLS)',
    );
  }
  const [, scheme, auth, hosts] = match;
  const nodes = hosts.split(',').map((part) => {
    const node = NODE.exec(part.trim());
    const port = Number(node?.[3] ?? 6379);
    if (!node || port < 1 || port > 65535) {
      throw new Error(`"${part}" in the Redis Cluster URL is not host:port`);
    }
    return { host: node[1] ?? node[2], port };
  });
  // As ioredis reads redis://: "user:password", ":password", or a user alone.
  const colon = auth?.indexOf(':') ?? -1;
  const username = auth ? decodeURIComponent(colon === -1 ? auth : auth.slice(0, colon)) : '';
  const password = auth && colon !== -1 ? decodeURIComponent(auth.slice(colon + 1)) : '';
  return {
    nodes,
    username: username || undefined,
    password: password || undefined,
    tls: scheme.toLowerCase() === 'rediss',
  };
}

/**
 * The one place a Redis connection is made: a single server for `redis://` and `rediss://`, an ioredis `Cluster`
 * for `redis-cluster://` and `rediss-cluster://`. A cluster's own options take the caller's choices; the
 * per-node ones (timeouts, retries per command, credentials) go to every node it connects to.
 */
export function connectRedis(url: string, options: RedisConnectOptions = {}): RedisClient {
  if (!isRedisClusterUrl(url)) return new Redis(url, options);
  const { nodes, username, password, tls } = parseRedisClusterUrl(url);
  const { lazyConnect, enableOfflineQueue, enableReadyCheck, retryStrategy, ...perNode } = options;
  const clusterOptions: ClusterOptions = {
    redisOptions: { ...perNode, username, password, ...(tls && { tls: {} }) },
  };
  if (lazyConnect !== undefined) clusterOptions.lazyConnect = lazyConnect;
  if (enableOfflineQueue !== undefined) clusterOptions.enableOfflineQueue = enableOfflineQueue;
  if (enableReadyCheck !== undefined) clusterOptions.enableReadyCheck = enableReadyCheck;
  if (retryStrategy !== undefined) clusterOptions.clusterRetryStrategy = retryStrategy;
  return new Cluster(nodes, clusterOptions);
}

/** A plain connection to each node a cluster URL names, signed in as the cluster's would be. */
export function connectClusterNodes(url: string, options: RedisConnectOptions = {}): Redis[] {
  const { nodes, username, password, tls } = parseRedisClusterUrl(url);
  return nodes.map(
    ({ host, port }) => new Redis({ ...options, host, port, username, password, ...(tls && { tls: {} }) }),
  );
}
