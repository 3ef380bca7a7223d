import { createHash } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Makes the audit log tamper-evident: each event carries the hash of the one before it (`prev_hash`) and its
 * own (`hash`). Existing events are chained in id order, with the append-only trigger disabled for the
 * backfill only, inside this migration's transaction (ALTER TABLE holds an exclusive lock meanwhile, so no
 * writer can slip in).
 */
export class AuditHashChain1764200000000 implements MigrationInterface {
  name = 'AuditHashChain1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE audit_event ADD COLUMN prev_hash char(64), ADD COLUMN hash char(64);
      ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change;
    `);
    let prevHash = GENESIS_HASH;
    let after = '0';
    for (;;) {
      const rows = (await db.query(
        `SELECT id::text AS id,
          to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
          actor_id::text AS actor_id, actor_name, action, entity_type, entity_id::text AS entity_id,
          task_id::text AS task_id, unit_ids::text[] AS unit_ids, before, after
        FROM audit_event WHERE audit_event.id > $1 ORDER BY audit_event.id LIMIT ${BATCH}`,
        [after],
      )) as LegacyRow[];
      if (rows.length === 0) break;
      const ids: string[] = [];
      const prevHashes: string[] = [];
      const hashes: string[] = [];
      for (const row of rows) {
        const hash = hashEvent(row, prevHash);
        ids.push(row.id);
        prevHashes.push(prevHash);
        hashes.push(hash);
        prevHash = hash;
      }
      await db.query(
        `UPDATE audit_event e SET prev_hash = v.prev_hash, hash = v.hash
        FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v (id, prev_hash, hash)
        WHERE e.id = v.id`,
        [ids, prevHashes, hashes],
      );
      after = rows[rows.length - 1].id;
    }
    await db.query(`
      ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change;
      ALTER TABLE audit_event
        ALTER COLUMN prev_hash SET NOT NULL,
        ALTER COLUMN hash SET NOT NULL,
        ADD CONSTRAINT audit_event_hash_hex CHECK (prev_hash ~ '^[0-9a-f]{64}$' AND hash ~ '^[0-9a-f]{64}$'),
        -- no two events follow the same one: the chain cannot fork, whoever writes
        ADD CONSTRAINT audit_event_prev_hash_key UNIQUE (prev_hash);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE audit_event
        DROP CONSTRAINT audit_event_prev_hash_key,
        DROP CONSTRAINT audit_event_hash_hex,
        DROP COLUMN hash,
        DROP COLUMN prev_hash;
    `);
  }
}

const BATCH = 1000;

/*
 * A frozen copy of the hashing rules of libs/audit/src/audit-chain.ts as they were when this migration was
 * written (a migration never imports application code, which may change after it has run). The canonical text
 * is one JSON object keyed by column name, keys sorted at every depth, no whitespace, `occurred_at` as ISO 8601
 * UTC with milliseconds (six fraction digits if the instant has a sub-millisecond part), uuids lowercase,
 * and `prev_hash` included; the hash is the hex SHA-256 of its UTF-8 bytes. The first prev_hash is 64 zeros.
 */
const GENESIS_HASH = '0'.repeat(64);

interface LegacyRow {
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
}

function hashEvent(row: LegacyRow, prevHash: string): string {
  const text = canonicalJson({
    id: row.id,
    occurred_at: canonicalInstant(row.occurred_at),
    actor_id: row.actor_id,
    actor_name: row.actor_name,
    action: row.action,
    entity_type: row.entity_type,
    entity_id: row.entity_id,
    task_id: row.task_id,
    unit_ids: row.unit_ids,
    before: row.before,
    after: row.after,
    prev_hash: prevHash,
  });
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v: unknown) => canonicalJson(v)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}

function canonicalInstant(text: string): string {
  const match = /^(.*T\d{2}:\d{2}:\d{2})\.(\d{6})Z$/.exec(text);
  if (!match) throw new Error(`audit_event: unexpected occurred_at text ${text}`);
  return match[2].endsWith('000') ? `${match[1]}.${match[2].slice(0, 3)}Z` : text;
}
