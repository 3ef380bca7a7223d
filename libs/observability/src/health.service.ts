import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, connectRedis, ErrorCode, type AppConfig, type RedisClient } from '@zhezi/core';

/** A dependency that does not answer within this long counts as down: a probe must answer quickly itself. */
export const CHECK_TIMEOUT_MS = 2000;

export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');

export interface ObservabilityOptions {
  service: 'api' | 'worker';
  /** Names of the migrations this build knows, oldest first: ready once all are applied. */
  migrations: string[];
  /** Where log lines go, as JSON whatever the environment; standard output when absent (benchmarks pass one). */
  logDestination?: DestinationStream;
}

export interface Readiness {
  status: 'ok' | 'unavailable';
  checks: Record<'postgres' | 'redis' | 'migrations', 'ok' | 'down'>;
  /** When unavailable: coded as every other REST route answers a 503. */
  message?: string;
  extensions?: { code: ErrorCode.SERVICE_UNAVAILABLE };
}

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Whether this process can do its work: PostgreSQL and Redis answer, and the schema is the one it expects. */
@Injectable()
export class HealthService implements OnModuleDestroy {
  private readonly logger = new Logger('Health');
  /** A connection of its own (to a cluster, when one is configured), failing at once while Redis is down. */
  private readonly redis: RedisClient;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions,
  ) {
    this.redis = connectRedis(config.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: CHECK_TIMEOUT_MS,
      retryStrategy: () => 1000,
    });
    // Reconnection errors are what readiness reports; they need no log line each second.
    this.redis.on('error', (error: Error) => this.logger.debug(`redis: ${error.message}`));
  }

  async readiness(): Promise<Readiness> {
    const [postgres, redis, migrations] = await Promise.all([
      this.check('postgres', () => this.dataSource.query('SELECT 1')),
      this.check('redis', () => this.pingRedis()),
      this.check('migrations', () => this.migrationsCurrent()),
    ]);
    const checks = { postgres, redis, migrations };
    if (Object.values(checks).every((c) => c === 'ok')) return { status: 'ok', checks };
    return {
      status: 'unavailable',
      checks,
      message: '服务暂不可用，请稍后重试',
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
    };
  }

  /** The reason goes to the log, not to whoever asks: the probe is public. */
  private async check(name: string, probe: () => Promise<unknown>): Promise<'ok' | 'down'> {
    try {
      await within(CHECK_TIMEOUT_MS, probe());
      return 'ok';
    } catch (error) {
      this.logger.warn(`not ready: ${name}: ${(error as Error).message}`);
      return 'down';
    }
  }

  private async pingRedis(): Promise<void> {
    if (this.redis.status === 'wait') await this.redis.connect();
    await this.redis.ping();
  }

  private async migrationsCurrent(): Promise<void> {
    const rows = await this.dataSource.query<{ name: string }[]>('SELECT name FROM migrations');
    const applied = new Set(rows.map((r) => r.name));
    const missing = this.options.migrations.filter((name) => !applied.has(name));
    if (missing.length) throw new Error(`pending migrations: ${missing.join(', ')}`);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
