import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import {
  DigestService,
  EscalationEngine,
  EscalationReconciler,
  ReportChaseService,
  type ReconcileReport,
} from '@zhezi/deadline';
import { Clock } from '@zhezi/core';
import { JobName, type JobHandler, type JobPayloads } from '@zhezi/jobs';
import { DeliveryService, type DeliveryOutcome } from '@zhezi/notify';
import { Dispatcher, FIRE_BATCH, type DispatchReport } from './dispatcher';
import { WorkerMetrics } from './worker.metrics';

/** How far ahead of our clock Redis's may run before a slot's job waits for its time. */
const MAX_SKEW_MS = 1000;

@Injectable()
export class EscalationDispatchHandler implements JobHandler<JobName.ESCALATION_DISPATCH> {
  readonly jobName = JobName.ESCALATION_DISPATCH;

  constructor(private readonly dispatcher: Dispatcher) {}

  handle(): Promise<DispatchReport> {
    return this.dispatcher.pass();
  }
}

/** Re-derives every plan from the database, then dispatches: what a lost event or a flushed Redis would miss. */
@Injectable()
export class EscalationReconcileHandler implements JobHandler<JobName.ESCALATION_RECONCILE> {
  readonly jobName = JobName.ESCALATION_RECONCILE;
  private readonly logger = new Logger('Reconcile');

  constructor(
    private readonly escalations: EscalationReconciler,
    private readonly dispatcher: Dispatcher,
    private readonly metrics: WorkerMetrics,
  ) {}

  async handle(): Promise<ReconcileReport & DispatchReport> {
    const report = await this.escalations.reconcile();
    this.metrics.reconcileDuration.observe(report.ms / 1000);
    if (report.created || report.changed)
      this.logger.log(`re-planned ${report.changed}, started ${report.created}`);
    return { ...report, ...(await this.dispatcher.pass()) };
  }
}

/** Fires one slot: batch after batch until nothing due by the slot's end is left unheld. */
@Injectable()
export class EscalationFireHandler implements JobHandler<JobName.ESCALATION_FIRE> {
  readonly jobName = JobName.ESCALATION_FIRE;

  constructor(
    private readonly escalations: EscalationEngine,
    private readonly dispatcher: Dispatcher,
    private readonly clock: Clock,
    private readonly metrics: WorkerMetrics,
  ) {}

  async handle(job: Job<JobPayloads[JobName.ESCALATION_FIRE]>): Promise<{ fired: number }> {
    // The delay ran on Redis's clock; fire nothing before its time by ours.
    const early = Math.min(job.data.until - this.clock.now().getTime(), MAX_SKEW_MS);
    if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
    const until = new Date(job.data.until);
    let fired = 0;
    for (;;) {
      const batch = await this.escalations.fireDue(until, FIRE_BATCH);
      if (!batch.scanned) return { fired };
      fired += batch.fired.length;
      this.metrics.fired(batch.fired);
      await this.dispatcher.enqueueDeliveries(batch.deliveries);
      // A repeat or the next level may come due within the horizon: queue its slot now, not at the next pass.
      await this.dispatcher.enqueueNext(batch.next);
    }
  }
}

/** Both channels run the same steps; each has its own queue, so a slow SMTP server never holds up robots. */
@Injectable()
abstract class DeliverHandler {
  constructor(
    private readonly deliveries: DeliveryService,
    private readonly metrics: WorkerMetrics,
  ) {}

  async handle(job: Job<{ deliveryId: string }>): Promise<DeliveryOutcome> {
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await this.deliveries.deliver(job.data.deliveryId, last);
    this.metrics.deliveries.inc({ queue: job.queueName, outcome });
    // Throwing hands the retry (with backoff) to BullMQ; the attempt is already logged.
    if (outcome === 'RETRY') throw new Error(`delivery ${job.data.deliveryId} failed; will retry`);
    return outcome;
  }
}

@Injectable()
export class DeliverEmailHandler extends DeliverHandler implements JobHandler<JobName.DELIVER_EMAIL> {
  readonly jobName = JobName.DELIVER_EMAIL;
}

@Injectable()
export class DeliverWebhookHandler extends DeliverHandler implements JobHandler<JobName.DELIVER_WEBHOOK> {
  readonly jobName = JobName.DELIVER_WEBHOOK;
}

@Injectable()
export class ReportChaseHandler implements JobHandler<JobName.REPORT_CHASE> {
  readonly jobName = JobName.REPORT_CHASE;

  constructor(
    private readonly chase: ReportChaseService,
    private readonly dispatcher: Dispatcher,
  ) {}

  async handle(): Promise<{ reminded: number; missed: number }> {
    const { reminded, missed, deliveries } = await this.chase.run();
    await this.dispatcher.enqueueDeliveries(deliveries);
    return { reminded, missed };
  }
}

@Injectable()
export class DailyDigestHandler implements JobHandler<JobName.DAILY_DIGEST> {
  readonly jobName = JobName.DAILY_DIGEST;

  constructor(
    private readonly digest: DigestService,
    private readonly dispatcher: Dispatcher,
  ) {}

  async handle(): Promise<{ users: number }> {
    const { users, deliveries } = await this.digest.run();
    await this.dispatcher.enqueueDeliveries(deliveries);
    return { users };
  }
}
