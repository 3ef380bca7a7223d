import { Redis } from 'ioredis';

/** BullMQ's blocking commands need `maxRetriesPerRequest: null`; everything else shares this setup. */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
