import { connectRedis, isRedisClusterUrl, type RedisClient } from '@zhezi/core';
import type { QueueName } from './jobs';

/** BullMQ's blocking commands need `maxRetriesPerRequest: null`; everything else shares this setup. */
export function createRedis(url: string): RedisClient {
  return connectRedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/**
 * The BullMQ prefix of one queue. BullMQ's scripts touch many keys of a queue at once, which a cluster allows only
 * within one hash slot: there the prefix and the queue's name form a hash tag (`{zhezi:escalations}:escalations:…`),
 * so that each queue's keys share a slot while queues, and deployments sharing a cluster, spread over the masters.
 */
export function queuePrefix(config: { redisUrl: string; redisPrefix: string }, queue: QueueName): string {
  return isRedisClusterUrl(config.redisUrl) ? `{${config.redisPrefix}:${queue}}` : config.redisPrefix;
}
