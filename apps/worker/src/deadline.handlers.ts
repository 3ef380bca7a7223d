import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import {
  DigestService,
  EscalationService,
  ReportChaseService,
  type FireResult,
  type ReconcileReport,
} from '@zhezi/deadline';
import { JobName, type JobHandler, type JobPayloads } from '@zhezi/jobs';
import { DeliveryService, type DeliveryOutcome } from '@zhezi/notify';
import { Dispatcher, type DispatchReport } from './dispatcher';

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
    private readonly escalations: EscalationService,
    private readonly dispatcher: Dispatcher,
  ) {}

  async handle(): Promise<ReconcileReport & DispatchReport> {
    const report = await this.escalations.reconcile();
    if (report.created || report.changed)
      this.logger.log(`re-planned ${report.changed}, started ${report.created}`);
    return { ...report, ...(await this.dispatcher.pass()) };
  }
}

@Injectable()
export class EscalationFireHandler implements JobHandler<JobName.ESCALATION_FIRE> {
  readonly jobName = JobName.ESCALATION_FIRE;

  constructor(
    private readonly escalations: EscalationService,
    private readonly dispatcher: Dispatcher,
  ) {}

  async handle(job: Job<JobPayloads[JobName.ESCALATION_FIRE]>): Promise<FireResult> {
    const result = await this.escalations.fireDue(job.data.assignmentId, job.data.version);
    if (result.fired) await this.dispatcher.enqueueDeliveries(result.deliveries);
    // The next step (a repeat, the next level) may already be due: queue it now rather than at the next pass.
    await this.dispatcher.assignmentChanged(job.data.assignmentId);
    return result;
  }
}

/** Both channels run the same steps; each has its own queue, so a slow SMTP server never holds up robots. */
@Injectable()
abstract class DeliverHandler {
  constructor(private readonly deliveries: DeliveryService) {}

  async handle(job: Job<{ deliveryId: string }>): Promise<DeliveryOutcome> {
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await this.deliveries.deliver(job.data.deliveryId, last);
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
