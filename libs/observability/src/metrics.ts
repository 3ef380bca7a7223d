import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

/** Latency buckets in seconds, from a cached read to a slow export. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Distinct operation names one process labels; later ones share OTHER, so a client cannot grow the series. */
export const MAX_OPERATION_NAMES = 200;
export const UNNAMED = '(unnamed)';
export const OTHER = '(other)';
/** Operations of callers not signed in (sign-in itself, probes, attacks): their names are the caller's choice. */
export const ANONYMOUS = '(anonymous)';
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** What pg's Pool exposes, as TypeORM's postgres driver holds it. */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * One registry per process (per application in a test process, so several can run side by side), with the
 * metrics both processes have; the worker registers its own through `registry`.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();

  readonly httpDuration = new Histogram({
    name: 'zhezi_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'zhezi_graphql_operation_duration_seconds',
    help: 'GraphQL operations by operation name, type and outcome (ok or the error code)',
    labelNames: ['operation', 'type', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'zhezi_' });
  }

  /** The operation's label: its name while fewer than MAX_OPERATION_NAMES have been seen, else OTHER. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return UNNAMED;
    if (!OPERATION_NAME.test(name)) return OTHER;
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return OTHER;
    this.operationNames.add(name);
    return name;
  }

  /** Connections of the PostgreSQL pool, read when scraped. */
  watchPool(dataSource: DataSource): void {
    const pool = () => (dataSource.driver as unknown as { master?: PgPool }).master;
    new Gauge({
      name: 'zhezi_db_pool_connections',
      help: 'PostgreSQL pool connections: in_use, idle, and requests waiting for one',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const p = pool();
        if (!p) return;
        this.set({ state: 'in_use' }, p.totalCount - p.idleCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
      },
    });
  }

  counter(name: string, help: string, labelNames: string[] = []): Counter {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram(name: string, help: string, labelNames: string[], buckets = LATENCY_BUCKETS): Histogram {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** A gauge set when scraped; a failing read (Redis down) leaves it out of that scrape rather than failing it. */
  gauge(name: string, help: string, labelNames: string[], read: (gauge: Gauge) => Promise<void>): Gauge {
    return new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        await read(this).catch(() => undefined);
      },
    });
  }
}
