import { connectRedis, type RedisClient } from '@zhezi/core';

/** BullMQ's blocking commands need `maxRetriesPerRequest: null`; everything else shares this setup. */
export function createRedis(url: string): RedisClient {
  return connectRedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
