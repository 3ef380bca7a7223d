import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource, In, IsNull } from 'typeorm';
import { Clock } from '@zhezi/core';
import { JOB_OPTIONS, JobName, type DomainEventJob } from '@zhezi/jobs';
import { OutboxEvent } from './outbox-event.entity';

const BATCH = 500;

/**
 * Moves committed domain events from the outbox to the domain-events queue, at least once and in commit
 * order. One relay at a time (an advisory lock), so a second worker neither doubles nor reorders them.
 */
@Injectable()
export class OutboxRelay {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Publishes what is pending; returns how many events went out. */
  async publishPending(queue: Queue): Promise<number> {
    let published = 0;
    for (;;) {
      const sent = await this.publishBatch(queue);
      published += sent;
      if (sent < BATCH) return published;
    }
  }

  private publishBatch(queue: Queue): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      // Waits for a running relay rather than skipping: when this returns, all that committed before is out.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('zhezi:outbox-relay'))`);
      const events = await manager.find(OutboxEvent, {
        where: { publishedAt: IsNull() },
        order: { id: 'ASC' },
        take: BATCH,
      });
      if (events.length === 0) return 0;
      await queue.addBulk(
        events.map((event) => ({
          name: JobName.DOMAIN_EVENT,
          data: toJob(event),
          opts: { ...JOB_OPTIONS[JobName.DOMAIN_EVENT], jobId: `outbox-${event.id}` },
        })),
      );
      // Marked after the queue has them: a crash in between re-sends, and the job ids absorb the repeat.
      await manager.update(
        OutboxEvent,
        { id: In(events.map((e) => e.id)) },
        { publishedAt: this.clock.now() },
      );
      return events.length;
    });
  }
}

function toJob(event: OutboxEvent): DomainEventJob {
  return {
    outboxId: event.id,
    type: event.type,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    occurredAt: event.occurredAt.toISOString(),
    payload: event.payload,
  };
}
