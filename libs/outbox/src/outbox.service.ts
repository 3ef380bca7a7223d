import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '@zhezi/core';
import { OutboxEvent, type DomainEventType } from './outbox-event.entity';

export interface DomainEvent {
  type: DomainEventType;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

@Injectable()
export class OutboxService {
  constructor(private readonly clock: Clock) {}

  /** Call with the transaction of the change the event announces. */
  async add(manager: EntityManager, event: DomainEvent): Promise<void> {
    await manager.save(
      manager.create(OutboxEvent, { ...event, occurredAt: this.clock.now(), publishedAt: null }),
    );
  }
}
