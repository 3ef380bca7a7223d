import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig, type RedisClient } from '@zhezi/core';
import { queuePrefix, type QueueName } from '@zhezi/jobs';
import { REDIS } from './worker.tokens';

/** One Queue object per queue name for the whole process; the worker closes them at shutdown. */
@Injectable()
export class QueueRegistry {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: queuePrefix(this.config, name) });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
