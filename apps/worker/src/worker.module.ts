import { Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, CoreModule, type AppConfig, type CoreOptions } from '@zhezi/core';
import { createRedis, JOB_HANDLERS, type JobHandler } from '@zhezi/jobs';
import { OutboxRelay } from '@zhezi/outbox';
import { HealthCheckHandler } from './health.handler';
import { DomainEventHandler, OutboxRelayHandler } from './outbox.handlers';
import { QueueRegistry } from './queue.registry';
import { WorkerService } from './worker.service';
import { REDIS } from './worker.tokens';

const HANDLERS = [HealthCheckHandler, OutboxRelayHandler, DomainEventHandler];

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
          useFactory: (...handlers: JobHandler[]) => handlers,
        },
        OutboxRelay,
        QueueRegistry,
        WorkerService,
      ],
      exports: [WorkerService, QueueRegistry],
    };
  }
}
