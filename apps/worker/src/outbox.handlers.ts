import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, QueueName, type DomainEventJob, type JobHandler } from '@zhezi/jobs';
import { OutboxRelay } from '@zhezi/outbox';
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
 * Receives every domain event in order. Nothing reacts to them yet: the deadline engine and notifications
 * subscribe here next; until then the event is acknowledged and kept in the queue's history for a day.
 */
@Injectable()
export class DomainEventHandler implements JobHandler<JobName.DOMAIN_EVENT> {
  readonly jobName = JobName.DOMAIN_EVENT;
  private readonly logger = new Logger('DomainEvents');

  handle(job: Job<DomainEventJob>): Promise<{ type: string; aggregateId: string }> {
    const { type, aggregateId } = job.data;
    this.logger.debug(`${type} ${aggregateId}`);
    return Promise.resolve({ type, aggregateId });
  }
}
