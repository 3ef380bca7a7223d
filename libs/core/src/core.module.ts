import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock, SystemClock } from './clock';
import { APP_CONFIG, loadConfig, type AppConfig } from './config';
import { dataSourceOptions } from './database';
import { PgListener } from './pg-listener';

export interface CoreOptions {
  config?: AppConfig;
  clock?: Clock;
  /** Whose database timeouts apply (see `AppConfig.databaseTimeouts`); tools without one wait indefinitely. */
  workload?: 'api' | 'worker';
}

/** Config, clock and the database connection, shared by api, worker and command-line tools. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreOptions = {}): DynamicModule {
    const config = options.config ?? loadConfig();
    return {
      module: CoreModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(
            config.databaseUrl,
            config.slowQueryMs,
            config.databasePoolSize,
            options.workload && config.databaseTimeouts[options.workload],
            // Many small statements at once in the API; the worker's passes and tools may use more cores.
            options.workload !== 'api',
          ),
          autoLoadEntities: true,
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        PgListener,
      ],
      exports: [APP_CONFIG, Clock, PgListener],
    };
  }
}
