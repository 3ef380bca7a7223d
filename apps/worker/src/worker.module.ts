import { Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, CoreModule, type AppConfig, type CoreOptions } from '@zhezi/core';
import { createRedis, JOB_HANDLERS, type JobHandler } from '@zhezi/jobs';
import { AccessModule } from '@zhezi/access';
import { AuditModule } from '@zhezi/audit';
import { BoardReadModelModule } from '@zhezi/board';
import { DeadlineModule } from '@zhezi/deadline';
import { MIGRATIONS } from '@zhezi/migrations';
import { NotifyModule } from '@zhezi/notify';
import { ObservabilityModule } from '@zhezi/observability';
import { OutboxModule, OutboxRelay } from '@zhezi/outbox';
import {
  DailyDigestHandler,
  DeliverEmailHandler,
  DeliverWebhookHandler,
  EscalationDispatchHandler,
  EscalationFireHandler,
  EscalationReconcileHandler,
  ReportChaseHandler,
} from './deadline.handlers';
import { BoardRefreshHandler } from './board.handlers';
import { Dispatcher } from './dispatcher';
import { HealthCheckHandler } from './health.handler';
import { DomainEventHandler, OutboxRelayHandler } from './outbox.handlers';
import { QueueRegistry } from './queue.registry';
import { WorkerMetrics } from './worker.metrics';
import { WorkerService } from './worker.service';
import { REDIS } from './worker.tokens';

const HANDLERS = [
  HealthCheckHandler,
  OutboxRelayHandler,
  DomainEventHandler,
  EscalationDispatchHandler,
  EscalationReconcileHandler,
  EscalationFireHandler,
  DeliverEmailHandler,
  DeliverWebhookHandler,
  ReportChaseHandler,
  DailyDigestHandler,
  BoardRefreshHandler,
];

@Module({})
export class WorkerModule {
  static forRoot(options: CoreOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot({ workload: 'worker', ...options }),
        ObservabilityModule.forRoot({ service: 'worker', migrations: MIGRATIONS.map((m) => m.name) }),
        AccessModule,
        AuditModule,
        OutboxModule,
        DeadlineModule,
        NotifyModule,
        BoardReadModelModule,
      ],
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
        Dispatcher,
        QueueRegistry,
        WorkerMetrics,
        WorkerService,
      ],
      exports: [WorkerService, QueueRegistry, Dispatcher],
    };
  }
}
