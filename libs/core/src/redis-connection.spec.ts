import { Cluster, Redis } from 'ioredis';
import { ConfigError, loadConfig } from './config';
import { describeConnectionFailure } from './connection-failure';
import {
  connectClusterNodes,
  connectRedis,
  isRedisClusterUrl,
  isRedisUrl,
  parseRedisClusterUrl,
} from './redis-connection';

describe('Redis Cluster URLs', () => {
  it('name some nodes, and the credentials and TLS every node is reached with', () => {
    expect(parseRedisClusterUrl('redis-cluster://10.0.0.1:7001,10.0.0.2:7002, [::1]:7003,cache')).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7001 },
        { host: '10.0.0.2', port: 7002 },
        { host: '::1', port: 7003 },
        { host: 'cache', port: 6379 },
      ],
      username: undefined,
      password: undefined,
      tls: false,
    });
    expect(parseRedisClusterUrl('rediss-cluster://zhezi:p%40ss@h1:1,h2:2/')).toMatchObject({
      username: 'zhezi',
      password: 'p@ss',
      tls: true,
    });
    expect(parseRedisClusterUrl('redis-cluster://:secret@h:1')).toMatchObject({
      username: undefined,
      password: 'secret',
    });
  });

  it('are told from single-server URLs by their scheme', () => {
    expect(['redis://h:1', 'rediss://h:1', 'redis-cluster://h:1'].map(isRedisUrl)).toEqual([
      true,
      true,
      true,
    ]);
    expect(isRedisUrl('postgres://h/db')).toBe(false);
    expect(['redis://h:1', 'redis-cluster://h:1', 'REDISS-CLUSTER://h:1'].map(isRedisClusterUrl)).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('are checked when the configuration is read', () => {
    expect(loadConfig({ REDIS_URL: 'redis-cluster://h1:7001,h2:7002' }).redisUrl).toBe(
      'redis-cluster://h1:7001,h2:7002',
    );
    for (const bad of [
      'redis-cluster://',
      'redis-cluster://h:1,,h:2',
      'redis-cluster://h:99999',
      'redis-cluster://h:1/0',
    ]) {
      expect(() => loadConfig({ REDIS_URL: bad })).toThrow(ConfigError);
    }
    expect(() => loadConfig({ REDIS_URL: 'redis-cluster://u:secret@h:x' })).toThrow(/^REDIS_URL: "h:x"/);
    expect(() => loadConfig({ REDIS_URL: 'redis-cluster://u:secret@h:x' })).not.toThrow(/secret/);
  });

  it('make a Cluster client, a single-server URL a plain one', () => {
    const cluster = connectRedis('redis-cluster://:pw@127.0.0.1:1,127.0.0.1:2', {
      lazyConnect: true,
      maxRetriesPerRequest: null,
      retryStrategy: () => null,
    });
    const single = connectRedis('redis://127.0.0.1:1', { lazyConnect: true });
    try {
      expect(cluster).toBeInstanceOf(Cluster);
      expect((cluster as Cluster).options).toMatchObject({
        lazyConnect: true,
        redisOptions: { maxRetriesPerRequest: null, password: 'pw' },
      });
      expect(single).toBeInstanceOf(Redis);
    } finally {
      cluster.disconnect();
      single.disconnect();
    }
  });

  it('reach each node named on its own as the cluster would', () => {
    const nodes = connectClusterNodes('rediss-cluster://u:pw@h1:7001,h2:7002', { lazyConnect: true });
    try {
      expect(nodes.map((n) => n.options)).toEqual([
        expect.objectContaining({ host: 'h1', port: 7001, username: 'u', password: 'pw', tls: {} }),
        expect.objectContaining({ host: 'h2', port: 7002, username: 'u', password: 'pw', tls: {} }),
      ]);
    } finally {
      nodes.forEach((n) => n.disconnect());
    }
  });

  it('are masked and named as Redis in connection failures', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:7001'), { code: 'ECONNREFUSED' });
    expect(describeConnectionFailure(refused, 'redis-cluster://:pw@h1:7001,h2:7002')).toBe(
      'Cannot connect to Redis at redis-cluster://:***@h1:7001,h2:7002: nothing is listening there ' +
        '(connection refused). Start Redis there, or set REDIS_URL to a server that runs.',
    );
  });
});
