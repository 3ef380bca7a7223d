import { createHash } from 'node:crypto';

/**
 * The audit log as a hash chain: every event stores the hash of the event before it (`prev_hash`) and its own
 * hash over its content and that link. Changing, removing, inserting or reordering an event breaks the chain
 * at that event (or at the next one, if the changed event's own hash was recomputed too).
 *
 * The hash of an event is the lowercase hex SHA-256 of the UTF-8 bytes of this canonical JSON document:
 *
 *   {"action":…,"actor_id":…,"actor_name":…,"after":…,"before":…,"entity_id":…,"entity_type":…,
 *    "id":"<bigint as decimal text>","occurred_at":"<ISO 8601 UTC>","prev_hash":"<64 hex>","task_id":…,
 *    "unit_ids":[…]}
 *
 * - one object, keys named after the columns; at every depth (including inside `before` and `after`) the keys
 *   are sorted by UTF-16 code units (JavaScript's default sort) and no whitespace is written, so jsonb's own
 *   key order never matters;
 * - strings, numbers, booleans and null are written as `JSON.stringify` (ECMA-262) writes them; numbers from
 *   jsonb are compared as the doubles they parse to;
 * - `occurred_at` is `YYYY-MM-DDTHH:MM:SS.mmmZ` (what `Date#toISOString` gives); a stored instant with a
 *   sub-millisecond part, which no writer produces, keeps all six fraction digits;
 * - uuids (`actor_id`, `entity_id`, `task_id`, `unit_ids`) are lowercase, as PostgreSQL prints them;
 *   `unit_ids` keeps its stored order; absent `actor_id`, `task_id`, `before`, `after` are null;
 * - the first event's `prev_hash` is {@link GENESIS_HASH}, 64 zeros.
 *
 * migrations/1764200000000-AuditHashChain.ts carries a frozen copy of these rules to hash existing rows;
 * a change here is a change of format and needs a migration that re-chains the table.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** The hashed content of an event, as written or as read back from the table. */
export interface AuditContent {
  id: string;
  /** A Date, or ISO 8601 UTC text with up to six fraction digits (how the verifier reads it from SQL). */
  occurredAt: Date | string;
  actorId: string | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string;
  taskId: string | null;
  unitIds: readonly string[];
  before: unknown;
  after: unknown;
}

/** An event as the chain stores it. */
export interface ChainedEvent extends AuditContent {
  prevHash: string;
  hash: string;
}

export interface ChainReport {
  ok: boolean;
  /** Events examined, the broken one included. */
  checked: number;
  firstBrokenId: string | null;
  reason: string | null;
  /** The last event that verified, and its hash: keep it elsewhere to notice a rewrite of the whole tail. */
  lastCheckedId: string | null;
  lastHash: string | null;
}

/** JSON with sorted keys and no whitespace; refuses what JSON cannot carry rather than guessing. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot hash the number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: unknown) => canonicalJson(v)).join(',')}]`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`cannot hash a value of type ${typeof value}: pass JSON data`);
}

const SQL_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/;

/** `occurred_at` as the canonical form writes it (see the module comment). */
export function canonicalInstant(value: Date | string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('cannot hash an invalid date');
    return value.toISOString();
  }
  const match = SQL_INSTANT.exec(value);
  if (!match) throw new TypeError(`not an ISO 8601 UTC instant: ${value}`);
  const fraction = (match[2] ?? '').padEnd(6, '0');
  return fraction.endsWith('000') ? `${match[1]}.${fraction.slice(0, 3)}Z` : `${match[1]}.${fraction}Z`;
}

const lowerOrNull = (uuid: string | null) => (uuid === null ? null : uuid.toLowerCase());

/** The exact text that is hashed for an event linked to `prevHash`. */
export function canonicalAuditEvent(event: AuditContent, prevHash: string): string {
  return canonicalJson({
    id: event.id,
    occurred_at: canonicalInstant(event.occurredAt),
    actor_id: lowerOrNull(event.actorId),
    actor_name: event.actorName,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId.toLowerCase(),
    task_id: lowerOrNull(event.taskId),
    unit_ids: event.unitIds.map((id) => id.toLowerCase()),
    before: event.before ?? null,
    after: event.after ?? null,
    prev_hash: prevHash,
  });
}

export function auditEventHash(event: AuditContent, prevHash: string): string {
  return createHash('sha256').update(canonicalAuditEvent(event, prevHash), 'utf8').digest('hex');
}

/** Where a verification starts: after this event (its id and stored hash), or at the genesis. */
export interface ChainStart {
  id: string | null;
  hash: string;
}

export const CHAIN_START: ChainStart = { id: null, hash: GENESIS_HASH };

/**
 * Walks events in id order and stops at the first broken link. Reads lazily, so a database cursor behind
 * `events` is read only as far as needed.
 */
export async function verifyChain(
  events: AsyncIterable<ChainedEvent> | Iterable<ChainedEvent>,
  start: ChainStart = CHAIN_START,
): Promise<ChainReport> {
  let checked = 0;
  let previous = start;
  let lastCheckedId: string | null = null;
  const report = (firstBrokenId: string | null, reason: string | null): ChainReport => ({
    ok: firstBrokenId === null,
    checked,
    firstBrokenId,
    reason,
    lastCheckedId,
    lastHash: lastCheckedId === null ? null : previous.hash,
  });
  for await (const event of events) {
    checked++;
    if (event.prevHash !== previous.hash) {
      return report(
        event.id,
        previous.id === null
          ? 'prev_hash is not the genesis hash: events before it were removed'
          : `prev_hash does not match the hash of event ${previous.id}: ` +
              'an event between them was removed or inserted, or that event rewritten',
      );
    }
    let actual: string;
    try {
      actual = auditEventHash(event, event.prevHash);
    } catch (error) {
      return report(event.id, `content cannot be hashed (${(error as Error).message})`);
    }
    if (actual !== event.hash) {
      return report(event.id, 'content does not match its hash: the event was changed after it was written');
    }
    previous = { id: event.id, hash: event.hash };
    lastCheckedId = event.id;
  }
  return report(null, null);
}
