import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, forbidden, readsEverything, type Actor } from '@zhezi/core';
import { AccessPolicy } from '@zhezi/access';
import { AuditEvent } from './audit-event.entity';

export interface AuditInput {
  action: string;
  entityType: string;
  entityId: string;
  taskId?: string | null;
  unitIds?: string[];
  before?: object | null;
  after?: object | null;
}

/** Who an event is recorded for: a user, or a process such as the seed (no user id). */
export interface AuditActor {
  userId: string | null;
  displayName: string;
}

const SYSTEM_ACTOR: AuditActor = { userId: null, displayName: '系统' };

/** The one place an audit row is written; callers pass their transaction's manager. */
export async function writeAuditEvent(
  manager: EntityManager,
  occurredAt: Date,
  actor: AuditActor,
  input: AuditInput,
): Promise<void> {
  await manager.save(
    manager.create(AuditEvent, {
      occurredAt,
      actorId: actor.userId,
      actorName: actor.displayName,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      taskId: input.taskId ?? null,
      unitIds: input.unitIds ?? [],
      before: snapshot(input.before),
      after: snapshot(input.after),
    }),
  );
}

@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly access: AccessPolicy,
  ) {}

  /** Must be called with the mutation's own transaction, so the record and the change commit together. */
  record(manager: EntityManager, actor: Actor | null, input: AuditInput): Promise<void> {
    return writeAuditEvent(manager, this.clock.now(), actor ?? SYSTEM_ACTOR, input);
  }

  /**
   * The history of an entity, and for a task the history of its assignments too, oldest first. A unit user
   * sees the events of tasks on its list that concern no unit or its own; asking for a history it may see
   * none of is FORBIDDEN rather than an empty list, so a wrong id is not mistaken for a quiet one.
   */
  async trail(actor: Actor, entityId: string): Promise<AuditEvent[]> {
    const qb = this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .where('(e.entity_id = :entityId OR e.task_id = :entityId)', { entityId })
      .orderBy('e.id', 'ASC');
    if (readsEverything(actor)) return qb.getMany();
    // Events about a split-off share name the department that split it too, so the own unit is enough.
    const visible = qb
      .clone()
      .andWhere(`(e.unit_ids = '{}' OR :unitId = ANY(e.unit_ids))`, { unitId: actor.orgUnitId });
    const taskVisible = this.access.taskCondition(actor, 'e.task_id');
    if (taskVisible) visible.andWhere(`(e.task_id IS NULL OR ${taskVisible.sql})`, taskVisible.params);
    const events = await visible.getMany();
    if (events.length === 0 && (await qb.getExists())) throw forbidden('无权查看该对象的操作记录');
    return events;
  }
}

/** JSON-safe copy without secrets, so dates and decimals are stored as text as they were. */
function snapshot(value: object | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) => (key === 'passwordHash' ? undefined : v)),
  ) as Record<string, unknown>;
}
