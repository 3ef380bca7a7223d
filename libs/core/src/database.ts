import { Logger as NestLogger } from '@nestjs/common';
import {
  DefaultNamingStrategy,
  type DataSource,
  type DataSourceOptions,
  type EntityManager,
  type Logger,
  type NamingStrategyInterface,
} from 'typeorm';
import type { DatabaseTimeouts } from './config';
import { AppError, conflict, ErrorCode } from './errors';
import { PG_TYPES } from './pg-timestamps';

/** camelCase properties map to snake_case columns, so the SQL in migrations reads like SQL. */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override columnName(propertyName: string, customName: string | undefined, prefixes: string[]): string {
    return snake([...prefixes, customName ?? propertyName].join('_'));
  }

  override relationName(propertyName: string): string {
    return snake(propertyName);
  }

  override joinColumnName(relationName: string, referencedColumnName: string): string {
    return snake(`${relationName}_${referencedColumnName}`);
  }
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Logs errors and slow statements through the process's logger (JSON lines in production), and counts every
 * statement (tests assert on the count to catch N+1). Statement parameters are never logged.
 */
export class SqlLogger implements Logger {
  queryCount = 0;
  private readonly logger = new NestLogger('SQL');

  constructor(private readonly slowQueryMs: number) {}

  logQuery(): void {
    this.queryCount++;
  }

  logQueryError(error: string | Error, query: string): void {
    if (process.env.NODE_ENV !== 'test') this.logger.error({ query, err: String(error) }, 'statement failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ query, ms: time }, 'slow statement');
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    if (process.env.NODE_ENV !== 'test') console.log('[migration]', message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}

/** Without bounds: migrations and command-line tools wait as long as PostgreSQL needs. */
export const NO_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  statementMs: 0,
  lockMs: 0,
  idleInTransactionMs: 0,
  acquireMs: 0,
};

/**
 * Session settings of every connection. Without `parallelQuery` a statement never starts parallel workers: the
 * API's statements are small and many at once, and a worker's start (a process, about 20 ms) cost more than the
 * statement it split. The unit board's search counted its statuses in 28 ms with one worker, 5 ms of work each.
 */
function sessionOptions(parallelQuery: boolean): string {
  return parallelQuery ? '-c timezone=UTC' : '-c timezone=UTC -c max_parallel_workers_per_gather=0';
}

export function dataSourceOptions(
  url: string,
  slowQueryMs = 500,
  poolSize = 10,
  timeouts: DatabaseTimeouts = NO_DATABASE_TIMEOUTS,
  parallelQuery = true,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    namingStrategy: new SnakeNamingStrategy(),
    logger: new SqlLogger(slowQueryMs),
    logging: true,
    maxQueryExecutionTime: slowQueryMs,
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: poolSize,
      options: sessionOptions(parallelQuery),
      types: PG_TYPES,
      // pg leaves a setting at the server's default when it is 0.
      statement_timeout: timeouts.statementMs,
      lock_timeout: timeouts.lockMs,
      idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
      connectionTimeoutMillis: timeouts.acquireMs,
    },
  };
}

/**
 * SQLSTATEs: 57014 statement_timeout, 55P03 lock_timeout, 57P01–57P03 server shutting down or starting,
 * 53300 too many connections, 25P03 idle-in-transaction timeout.
 */
const PG_UNAVAILABLE = new Set(['57014', '55P03', '57P01', '57P02', '57P03', '53300', '25P03']);
const NET_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);
const POOL_UNAVAILABLE = /timeout exceeded when trying to connect|Connection terminated|connection error/;

/**
 * Whether PostgreSQL could not serve a statement through no fault of the caller: a timeout cancelled it, the
 * server is going away or refusing connections (also SQLSTATE class 08), or no connection could be had at all
 * (pool acquire timeout, refused or dropped connection). TypeORM keeps pg's error as `driverError`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { driverError?: unknown; code?: unknown; message?: unknown } | undefined; e; ) {
    if (
      typeof e.code === 'string' &&
      (PG_UNAVAILABLE.has(e.code) || NET_UNAVAILABLE.has(e.code) || e.code.startsWith('08'))
    )
      return true;
    if (typeof e.message === 'string' && POOL_UNAVAILABLE.test(e.message)) return true;
    e = e.driverError as typeof e;
  }
  return false;
}

export const serviceUnavailable = () =>
  new AppError(ErrorCode.SERVICE_UNAVAILABLE, '系统繁忙或数据库暂不可用，请稍后重试');

const PG_UNIQUE_VIOLATION = '23505';
const PG_FOREIGN_KEY_VIOLATION = '23503';
const PG_RETRYABLE = new Set(['40001', '40P01']);

/**
 * Every audited write appends to one hash chain under this advisory lock. Mutations take it first, before
 * any row lock, so no two of them can each hold what the other waits for (a deadlock); the audit writer
 * takes it again, which PostgreSQL grants at once to the same transaction.
 */
export const AUDIT_CHAIN_LOCK = `SELECT pg_advisory_xact_lock(hashtext('zhezi:audit_event'))`;

/**
 * Runs a mutation's work in one transaction and turns the constraint violations that races produce
 * (two writers taking the same unique key) into typed CONFLICT errors instead of 500s.
 */
export async function transactional<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  options: { audited: boolean } = { audited: true },
): Promise<T> {
  try {
    return await dataSource.transaction(async (manager) => {
      // The system's own high-volume work (firing escalations) writes no audit rows and so need not queue for the chain.
      if (options.audited) await manager.query(AUDIT_CHAIN_LOCK);
      return work(manager);
    });
  } catch (error) {
    const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code;
    if (code === PG_UNIQUE_VIOLATION) throw conflict('记录已存在（可能已被他人同时提交），请刷新后重试');
    if (code === PG_FOREIGN_KEY_VIOLATION) throw conflict('关联的记录已被修改或删除，请刷新后重试');
    if (code && PG_RETRYABLE.has(code)) throw conflict('系统繁忙，请稍后重试');
    throw error;
  }
}
