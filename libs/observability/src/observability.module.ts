import {
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type OnModuleInit,
} from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@zhezi/core';
import { HealthService, OBSERVABILITY_OPTIONS, type ObservabilityOptions } from './health.service';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { loggerParams } from './logging';
import { Metrics } from './metrics';
import { OpsController } from './ops.controller';
import { OpsEndpoints } from './ops-endpoints';

/** Structured logs, Prometheus metrics and health probes; the same for the api and the worker. */
@Module({})
export class ObservabilityModule implements NestModule, OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly dataSource: DataSource,
  ) {}

  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => loggerParams(options.service, config, options.logDestination),
        }),
      ],
      controllers: [OpsController],
      providers: [
        { provide: OBSERVABILITY_OPTIONS, useValue: options },
        Metrics,
        HealthService,
        OpsEndpoints,
      ],
      exports: [Metrics, HealthService, OpsEndpoints],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }

  onModuleInit(): void {
    this.metrics.watchPool(this.dataSource);
  }
}
