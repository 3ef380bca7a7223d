import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Domain event types, in one place; payloads carry ids and the facts a consumer cannot re-read later. */
export enum DomainEventType {
  ASSIGNMENT_STATUS_CHANGED = 'AssignmentStatusChanged',
  DUE_DATE_CHANGED = 'DueDateChanged',
  APPROVAL_DECIDED = 'ApprovalDecided',
  PROGRESS_SUBMITTED = 'ProgressSubmitted',
  ESCALATION_FIRED = 'EscalationFired',
  SUPERVISION_NOTICE_CHANGED = 'SupervisionNoticeChanged',
  /** The working-day calendar or a policy's live cases changed: every pending escalation is re-derived. */
  ESCALATIONS_REPLANNED = 'EscalationsReplanned',
  /** External deliveries (email, robots, webhooks) written with notifications: queued as soon as relayed. */
  DELIVERIES_CREATED = 'DeliveriesCreated',
}

/**
 * A domain event written in the same transaction as the change it announces, so it exists exactly when the
 * change committed. A relay hands it on to the queue and stamps `publishedAt`.
 */
@Entity('outbox_event')
export class OutboxEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'varchar' })
  type!: DomainEventType;

  @Column()
  aggregateType!: string;

  @Column('uuid')
  aggregateId!: string;

  @Column('jsonb')
  payload!: Record<string, unknown>;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}
