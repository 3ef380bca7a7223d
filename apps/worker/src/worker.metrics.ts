import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { type FiredEscalation } from '@zhezi/deadline';
import { QueueName } from '@zhezi/jobs';
import { Metrics } from '@zhezi/observability';
import { QueueRegistry } from './queue.registry';

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed'] as const;
/** Lateness runs from a slot's width (100 ms) to hours, for a worker that was down. */
const LATENESS_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600];
const RECONCILE_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** The worker's own metrics: jobs per queue, escalations fired and how late, deliveries, outbox, reconciliation. */
@Injectable()
export class WorkerMetrics implements OnModuleInit {
  readonly jobDuration: Histogram;
  readonly jobFailures: Counter;
  readonly escalationsFired: Counter;
  readonly escalationLateness: Histogram;
  readonly deliveries: Counter;
  readonly reconcileDuration: Histogram;

  constructor(
    private readonly metrics: Metrics,
    private readonly queues: QueueRegistry,
    private readonly dataSource: DataSource,
  ) {
    this.jobDuration = metrics.histogram(
      'zhezi_job_duration_seconds',
      'BullMQ jobs run by this worker, by queue, job name and outcome (completed or failed)',
      ['queue', 'job', 'outcome'],
    );
    this.jobFailures = metrics.counter(
      'zhezi_job_failures_total',
      'Failed job attempts by queue and job name',
      ['queue', 'job'],
    );
    this.escalationsFired = metrics.counter('zhezi_escalations_fired_total', 'Escalation steps fired');
    this.escalationLateness = metrics.histogram(
      'zhezi_escalation_lateness_seconds',
      'How long after its planned time each escalation step fired',
      [],
      LATENESS_BUCKETS,
    );
    this.deliveries = metrics.counter(
      'zhezi_notification_deliveries_total',
      'External delivery attempts by channel queue and outcome (SENT, RETRY, DEAD, SKIPPED)',
      ['queue', 'outcome'],
    );
    this.reconcileDuration = metrics.histogram(
      'zhezi_escalation_reconcile_duration_seconds',
      'Full re-derivations of the escalation plans',
      [],
      RECONCILE_BUCKETS,
    );
  }

  onModuleInit(): void {
    this.metrics.gauge(
      'zhezi_queue_jobs',
      'Jobs in each BullMQ queue by state',
      ['queue', 'state'],
      async (g) => {
        for (const queue of Object.values(QueueName)) {
          const counts = await this.queues.get(queue).getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) g.set({ queue, state }, counts[state] ?? 0);
        }
      },
    );
    // Unpublished events through their partial index: cheap however large the table grows.
    const backlog = () =>
      this.dataSource.query<{ n: number; age: number | null }[]>(
        `SELECT count(*)::int AS n, extract(epoch FROM now() - min(occurred_at))::float8 AS age
         FROM outbox_event WHERE published_at IS NULL`,
      );
    this.metrics.gauge('zhezi_outbox_backlog', 'Domain events not yet relayed', [], async (g) => {
      g.set((await backlog())[0].n);
    });
    this.metrics.gauge(
      'zhezi_outbox_oldest_age_seconds',
      'Age of the oldest domain event not yet relayed (0 when none)',
      [],
      async (g) => {
        g.set((await backlog())[0].age ?? 0);
      },
    );
  }

  /** One firing batch: every step against the time its row planned it for. */
  fired(steps: readonly FiredEscalation[]): void {
    this.escalationsFired.inc(steps.length);
    for (const step of steps) {
      this.escalationLateness.observe(Math.max(0, step.firedAt.getTime() - step.plannedAt.getTime()) / 1000);
    }
  }
}
