import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import type { DestinationStream } from 'pino';
import { AccessModule } from '@zhezi/access';
import { ApprovalModule } from '@zhezi/approval';
import { AuditModule } from '@zhezi/audit';
import { AuthModule, AuthService } from '@zhezi/auth';
import { BoardModule } from '@zhezi/board';
import {
  APP_CONFIG,
  CoreModule,
  DateTimeScalar,
  InputCheckPipe,
  type AppConfig,
  type CoreOptions,
} from '@zhezi/core';
import { DeadlineModule } from '@zhezi/deadline';
import { DecompositionModule } from '@zhezi/decomposition';
import { EvidenceModule } from '@zhezi/evidence';
import { MIGRATIONS } from '@zhezi/migrations';
import { NotifyModule } from '@zhezi/notify';
import { ObservabilityModule } from '@zhezi/observability';
import { OrgModule } from '@zhezi/org';
import { OutboxModule } from '@zhezi/outbox';
import { PlanModule } from '@zhezi/plan';
import { TaskModule } from '@zhezi/task';
import { AdminQueuesModule } from './admin-queues.module';
import { AppErrorFilter } from './app-error.filter';
import { BoardResponsePlugin } from './board-response.plugin';
import { graphqlOptions, validationPipe } from './graphql.config';
import { GraphQLObservabilityPlugin } from './graphql-observability.plugin';
import { RequestLimitsMiddleware } from './request-limits.middleware';
import { ServiceUnavailablePlugin } from './service-unavailable.plugin';

/** The core's options, and where the log lines go (standard output unless a benchmark says otherwise). */
export interface AppOptions extends CoreOptions {
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule implements NestModule {
  static forRoot({ logDestination, ...options }: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ workload: 'api', ...options }),
        ObservabilityModule.forRoot({
          service: 'api',
          migrations: MIGRATIONS.map((m) => m.name),
          logDestination,
        }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [AuthModule],
          inject: [APP_CONFIG, GraphQLSchemaHost, AuthService],
          useFactory: (config: AppConfig, schemaHost: GraphQLSchemaHost, auth: AuthService) =>
            graphqlOptions(config, schemaHost, (token) => auth.actorFromToken(token)),
        }),
        AccessModule,
        AdminQueuesModule,
        ApprovalModule,
        AuditModule,
        AuthModule,
        BoardModule,
        DeadlineModule,
        DecompositionModule,
        EvidenceModule,
        NotifyModule,
        OrgModule,
        OutboxModule,
        PlanModule,
        TaskModule,
      ],
      providers: [
        // Every argument is checked for text PostgreSQL cannot store, then validated against its class.
        { provide: APP_PIPE, useClass: InputCheckPipe },
        { provide: APP_PIPE, useValue: validationPipe },
        DateTimeScalar,
        { provide: APP_FILTER, useClass: AppErrorFilter },
        ServiceUnavailablePlugin,
        GraphQLObservabilityPlugin,
        BoardResponsePlugin,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // In front of Apollo, which registers /graphql when the GraphQL module starts.
    consumer.apply(RequestLimitsMiddleware).forRoutes('graphql');
  }
}
