import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessPolicy, managesChannelsOf, maskTarget } from '@zhezi/access';
import { AUDIT_CHAIN_LOCK, badInput, Clock, forbidden, tableRef, type Actor } from '@zhezi/core';
import {
  auditEventHash,
  CHAIN_START,
  GENESIS_HASH,
  verifyChain,
  type ChainedEvent,
  type ChainReport,
} from './audit-chain';
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

/**
 * The one place audit rows are written; callers pass their transaction's manager.
 *
 * Each row is chained to the one before it (see audit-chain.ts). Under the lock, which is held until the
 * caller's transaction ends, the writer takes the next ids from the identity sequence together with the head's
 * hash, hashes the events in order with those ids, and inserts them with the ids they took (OVERRIDING SYSTEM
 * VALUE): the table refuses UPDATE, so a hash cannot be filled in after the insert. Ids are therefore handed
 * out in chain order; a rolled-back writer leaves a gap in the ids but none in the chain, since the next writer
 * reads the committed head. Two statements more than a plain insert, however many events; UNIQUE (prev_hash)
 * refuses a fork should a writer ever bypass the lock (or read a stale head in a REPEATABLE READ transaction).
 */
export async function writeAuditEvents(
  manager: EntityManager,
  occurredAt: Date,
  actor: AuditActor,
  inputs: readonly AuditInput[],
): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('writeAuditEvent needs the manager of an open transaction');
  }
  if (!inputs.length) return;
  // Linear appends: the lock is held until the transaction ends (mutations already took it, see core).
  await manager.query(AUDIT_CHAIN_LOCK);
  const [head] = await manager.query<{ ids: string[]; prev_hash: string | null }[]>(
    `SELECT ARRAY(SELECT nextval(pg_get_serial_sequence('audit_event', 'id'))::text
        FROM generate_series(1, $1)) AS ids,
      (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1) AS prev_hash`,
    [inputs.length],
  );
  // Under the lock nobody else draws from the sequence: the ids are consecutive, ascending as drawn.
  const ids = head.ids.map(BigInt).sort((a, b) => (a < b ? -1 : 1));
  let prevHash = head.prev_hash ?? GENESIS_HASH;
  const rows = inputs.map((input, i) => {
    const event = {
      id: String(ids[i]),
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
    };
    const hash = auditEventHash(event, prevHash);
    const row = {
      id: event.id,
      actor_id: event.actorId,
      actor_name: event.actorName,
      action: event.action,
      entity_type: event.entityType,
      entity_id: event.entityId,
      task_id: event.taskId,
      unit_ids: event.unitIds,
      before: event.before,
      after: event.after,
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  await manager.query(
    `INSERT INTO audit_event (id, occurred_at, actor_id, actor_name, action, entity_type, entity_id, task_id,
      unit_ids, before, after, prev_hash, hash)
    OVERRIDING SYSTEM VALUE
    SELECT d.id, $2, d.actor_id, d.actor_name, d.action, d.entity_type, d.entity_id, d.task_id, d.unit_ids,
      d.before, d.after, d.prev_hash, d.hash
    FROM jsonb_to_recordset($1::jsonb) AS d(id bigint, actor_id uuid, actor_name varchar, action varchar,
      entity_type varchar, entity_id uuid, task_id uuid, unit_ids uuid[], before jsonb, after jsonb,
      prev_hash char(64), hash char(64))
    ORDER BY d.id`,
    [JSON.stringify(rows), occurredAt],
  );
}

/** One event; see {@link writeAuditEvents}. */
export function writeAuditEvent(
  manager: EntityManager,
  occurredAt: Date,
  actor: AuditActor,
  input: AuditInput,
): Promise<void> {
  return writeAuditEvents(manager, occurredAt, actor, [input]);
}

export interface VerifyOptions {
  /** Start at this event id (its link to the event before it is checked too); the beginning if absent. */
  fromId?: string | null;
  /** Check at most this many events; all if absent. */
  limit?: number | null;
  batchSize?: number;
}

const MAX_BIGINT = 2n ** 63n - 1n;

interface ChainRow {
  id: string;
  occurred_at: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string;
  task_id: string | null;
  unit_ids: string[];
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

/**
 * Verifies the chain in id order, reading it in batches by keyset (so millions of rows never sit in memory
 * at once), and reports the first broken link. Backs the `verifyAuditChain` query and `npm run audit:verify`.
 */
export async function verifyAuditChain(
  db: Pick<DataSource, 'query'>,
  { fromId = null, limit = null, batchSize = 1000 }: VerifyOptions = {},
): Promise<ChainReport> {
  if (fromId !== null && !(/^[1-9]\d{0,18}$/.test(fromId) && BigInt(fromId) <= MAX_BIGINT)) {
    throw badInput('fromId', 'fromId 不是有效的日志编号');
  }
  if (limit !== null && !(Number.isInteger(limit) && limit >= 1)) throw badInput('limit', 'limit 须为正整数');
  let start = CHAIN_START;
  let after = '0';
  if (fromId !== null) {
    const [previous] = await db.query<{ id: string; hash: string }[]>(
      'SELECT id::text AS id, hash FROM audit_event WHERE audit_event.id < $1 ORDER BY audit_event.id DESC LIMIT 1',
      [fromId],
    );
    if (previous) start = previous;
    after = previous?.id ?? '0';
  }
  // Qualified `audit_event.id`: a bare `ORDER BY id` would sort by the text alias, '10' before '2'.
  async function* events(): AsyncGenerator<ChainedEvent> {
    let remaining = limit ?? Infinity;
    while (remaining > 0) {
      const rows = await db.query<ChainRow[]>(
        `SELECT id::text AS id,
          to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
          actor_id::text AS actor_id, actor_name, action, entity_type, entity_id::text AS entity_id,
          task_id::text AS task_id, unit_ids::text[] AS unit_ids, before, after, prev_hash, hash
        FROM audit_event WHERE audit_event.id > $1 ORDER BY audit_event.id LIMIT $2`,
        [after, Math.min(batchSize, remaining)],
      );
      for (const row of rows) {
        yield {
          id: row.id,
          occurredAt: row.occurred_at,
          actorId: row.actor_id,
          actorName: row.actor_name,
          action: row.action,
          entityType: row.entity_type,
          entityId: row.entity_id,
          taskId: row.task_id,
          unitIds: row.unit_ids,
          before: row.before,
          after: row.after,
          prevHash: row.prev_hash,
          hash: row.hash,
        };
      }
      if (rows.length < Math.min(batchSize, remaining)) return;
      remaining -= rows.length;
      after = rows[rows.length - 1].id;
    }
  }
  return verifyChain(events(), start);
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

  /** Many events of one change, chained in the given order, in a fixed number of statements. */
  recordMany(manager: EntityManager, actor: Actor | null, inputs: readonly AuditInput[]): Promise<void> {
    return writeAuditEvents(manager, this.clock.now(), actor ?? SYSTEM_ACTOR, inputs);
  }

  /** Checks the audit log's hash chain; see {@link verifyAuditChain}. */
  verifyChain(options: VerifyOptions = {}): Promise<ChainReport> {
    return verifyAuditChain(this.dataSource, options);
  }

  /**
   * The history of an entity, and for a task the history of its assignments too, oldest first. A unit user
   * sees the events of tasks on its list that concern no unit or its own; asking for a history it may see
   * none of is FORBIDDEN rather than an empty list, so a wrong id is not mistaken for a quiet one. Channel
   * addresses are masked for whoever does not manage the channel's unit.
   */
  async trail(actor: Actor, entityId: string): Promise<AuditEvent[]> {
    const events = await this.visibleTrail(actor, entityId);
    return events.map((event) => maskChannelAddresses(actor, event));
  }

  private async visibleTrail(actor: Actor, entityId: string): Promise<AuditEvent[]> {
    const qb = this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .where('(e.entity_id = :entityId OR e.task_id = :entityId)', { entityId })
      .orderBy('e.id', 'ASC');
    const condition = this.access.auditEventCondition(actor, tableRef('audit_event', 'e'));
    if (!condition) return qb.getMany();
    const visible = qb.clone().andWhere(condition.sql, condition.params);
    const events = await visible.getMany();
    if (events.length === 0 && (await qb.getExists())) throw forbidden('无权查看该对象的操作记录');
    return events;
  }
}

const ADDRESS_KEYS = ['url', 'target'];

/**
 * Channel events written before addresses were masked at write time hold them in full, and the hash chain
 * forbids rewriting them: they are masked on read, unless the reader manages the unit named in the event.
 */
function maskChannelAddresses(actor: Actor, event: AuditEvent): AuditEvent {
  if (event.entityType !== 'NotificationChannel') return event;
  const unitId = (event.after?.orgUnitId ?? event.before?.orgUnitId ?? event.unitIds[0]) as
    | string
    | undefined;
  if (managesChannelsOf(actor, unitId)) return event;
  const mask = (state: Record<string, unknown> | null) =>
    state &&
    Object.fromEntries(
      Object.entries(state).map(([key, value]) => [
        key,
        ADDRESS_KEYS.includes(key) && typeof value === 'string' ? maskTarget(value) : value,
      ]),
    );
  event.before = mask(event.before);
  event.after = mask(event.after);
  return event;
}

/** JSON-safe copy without secrets, so dates and decimals are stored as text as they were. */
function snapshot(value: object | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) => (key === 'passwordHash' ? undefined : v)),
  ) as Record<string, unknown>;
}
