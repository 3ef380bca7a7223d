import { Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, CoreModule, type AppConfig, type CoreOptions } from '@zhezi/core';
import { createRedis, JOB_HANDLERS } from '@zhezi/jobs';
import { HealthCheckHandler } from './health.handler';
import { WorkerService } from './worker.service';
import { REDIS } from './worker.tokens';

const HANDLERS = [HealthCheckHandler];

@Module({})
export class WorkerModule {
  static forRoot(options: CoreOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [CoreModule.forRoot(options)],
      providers: [
        {
          provide: REDIS,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => createRedis(config.redisUrl),
        },
        ...HANDLERS,
        {
          provide: JOB_HANDLERS,
          inject: HANDLERS,
          useFactory: (...handlers: HealthCheckHandler[]) => handlers,
        },
        WorkerService,
      ],
      exports: [WorkerService],
    };
  }
}
