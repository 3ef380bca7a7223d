import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '@zhezi/core';
import type { DomainEventType } from './outbox-event.entity';

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
  add(manager: EntityManager, event: DomainEvent): Promise<void> {
    return this.addMany(manager, [event]);
  }

  /** Many events in one INSERT, in the given order. */
  async addMany(manager: EntityManager, events: readonly DomainEvent[]): Promise<void> {
    if (!events.length) return;
    await manager.query(
      `INSERT INTO outbox_event (occurred_at, type, aggregate_type, aggregate_id, payload)
       SELECT $2, d.type, d.aggregate_type, d.aggregate_id, d.payload
       FROM jsonb_to_recordset($1::jsonb) AS d(type varchar, aggregate_type varchar, aggregate_id uuid, payload jsonb)`,
      [
        JSON.stringify(
          events.map((e) => ({
            type: e.type,
            aggregate_type: e.aggregateType,
            aggregate_id: e.aggregateId,
            payload: e.payload,
          })),
        ),
        this.clock.now(),
      ],
    );
  }
}
