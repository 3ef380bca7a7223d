import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, QueueName, type DomainEventJob, type JobHandler } from '@zhezi/jobs';
import { EscalationReconciler } from '@zhezi/deadline';
import type { PendingDelivery } from '@zhezi/notify';
import { DomainEventType, OutboxRelay } from '@zhezi/outbox';
import { Dispatcher } from './dispatcher';
import { QueueRegistry } from './queue.registry';

@Injectable()
export class OutboxRelayHandler implements JobHandler<JobName.OUTBOX_RELAY> {
  readonly jobName = JobName.OUTBOX_RELAY;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly queues: QueueRegistry,
  ) {}

  async handle(): Promise<{ published: number }> {
    return { published: await this.relay.publishPending(this.queues.get(QueueName.DOMAIN_EVENTS)) };
  }
}

/**
 * Receives every domain event in order. The ladder was re-planned in the change's own transaction; here a
 * change to an assignment gets its next escalation queued at once if it is near, a calendar or policy
 * change re-derives every plan, and new deliveries go to their channels' queues without waiting for the
 * dispatcher's pass.
 */
@Injectable()
export class DomainEventHandler implements JobHandler<JobName.DOMAIN_EVENT> {
  readonly jobName = JobName.DOMAIN_EVENT;
  private readonly logger = new Logger('DomainEvents');

  constructor(
    private readonly escalations: EscalationReconciler,
    private readonly dispatcher: Dispatcher,
  ) {}

  async handle(job: Job<DomainEventJob>): Promise<{ type: string; aggregateId: string; queued?: boolean }> {
    const { type, aggregateType, aggregateId } = job.data;
    this.logger.debug(`${type} ${aggregateId}`);
    if (type === (DomainEventType.DELIVERIES_CREATED as string)) {
      await this.dispatcher.enqueueDeliveries(job.data.payload.deliveries as PendingDelivery[]);
      return { type, aggregateId };
    }
    if (type === (DomainEventType.ESCALATIONS_REPLANNED as string)) {
      await this.escalations.reconcile();
      await this.dispatcher.pass();
      return { type, aggregateId };
    }
    // The firing job queued the ladder's next step itself.
    if (aggregateType !== 'Assignment' || type === (DomainEventType.ESCALATION_FIRED as string))
      return { type, aggregateId };
    return { type, aggregateId, queued: await this.dispatcher.assignmentChanged(aggregateId) };
  }
}
