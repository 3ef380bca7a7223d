import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, Clock, type AppConfig, type RedisClient } from '@zhezi/core';
import { JobName, type JobHandler } from '@zhezi/jobs';
import { REDIS } from './worker.tokens';

/** Proves the worker reaches both stores; the heartbeat key expires if the worker stops. */
@Injectable()
export class HealthCheckHandler implements JobHandler<JobName.HEALTH_CHECK> {
  readonly jobName = JobName.HEALTH_CHECK;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(): Promise<{ at: string }> {
    await this.dataSource.query('SELECT 1');
    const at = this.clock.now().toISOString();
    await this.redis.set(`${this.config.redisPrefix}:worker:heartbeat`, at, 'EX', 180);
    return { at };
  }
}
