import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DataSource } from 'typeorm';

/**
 * A backup is a folder: `database.dump` (pg_dump, custom format), `evidence/<storage key>` (the files), and
 * `manifest.json`, written last, which says what the other two must hold. A folder without a manifest is an
 * interrupted backup.
 */
export const MANIFEST_FILE = 'manifest.json';
export const DUMP_FILE = 'database.dump';
export const EVIDENCE_FOLDER = 'evidence';
const FORMAT = 'zhezi-backup';
const FORMAT_VERSION = 1;

export interface EvidenceEntry {
  id: string;
  /** Its place under EVIDENCE_DIR and under the backup's `evidence/`. */
  key: string;
  sha256: string;
  sizeBytes: number;
}

/** What one consistent snapshot of the database holds, as far as a restore checks it. */
export interface DatabaseFacts {
  /** Rows per table, `schema.table` → count. */
  tables: Record<string, number>;
  /** The newest applied migration, or null when none is. */
  lastMigration: string | null;
  audit: { events: number; lastId: string | null; lastHash: string | null };
  evidence: EvidenceEntry[];
}

export interface Manifest {
  format: typeof FORMAT;
  formatVersion: typeof FORMAT_VERSION;
  createdAt: string;
  app: { version: string | null; node: string };
  postgres: { serverVersion: string; serverVersionNum: number; pgDump: string; database: string };
  dump: { file: string; sha256: string; sizeBytes: number };
  database: Omit<DatabaseFacts, 'evidence'> & { auditChainOk: boolean };
  evidence: { count: number; totalBytes: number; files: EvidenceEntry[] };
}

type Query = Pick<DataSource, 'query'>;

/** The facts a manifest records and a restore compares; run inside the dump's snapshot when backing up. */
export async function databaseFacts(db: Query): Promise<DatabaseFacts> {
  const tables = await db.query<{ name: string }[]>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_%'
      ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [{ n }] = await db.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${name}`);
    counts[name] = Number(n);
  }
  const has = (table: string) => `public.${table}` in counts;
  const [migration] = has('migrations')
    ? await db.query<{ name: string }[]>(
        'SELECT name FROM migrations ORDER BY timestamp DESC, id DESC LIMIT 1',
      )
    : [];
  const [last] = has('audit_event')
    ? await db.query<{ id: string; hash: string }[]>(
        'SELECT id::text AS id, hash FROM audit_event ORDER BY audit_event.id DESC LIMIT 1',
      )
    : [];
  const evidence = has('evidence')
    ? await db.query<{ id: string; key: string; sha256: string; size: string }[]>(
        'SELECT id, storage_key AS key, sha256, size_bytes::text AS size FROM evidence ORDER BY id',
      )
    : [];
  return {
    tables: counts,
    lastMigration: migration?.name ?? null,
    audit: {
      events: counts['public.audit_event'] ?? 0,
      lastId: last?.id ?? null,
      lastHash: last?.hash ?? null,
    },
    evidence: evidence.map((e) => ({ id: e.id, key: e.key, sha256: e.sha256, sizeBytes: Number(e.size) })),
  };
}

export class BackupError extends Error {}

const EVIDENCE_KEY = /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}-[0-9a-f-]{36}$/;

/** Reads and checks a backup's manifest; a missing, unreadable or foreign one is refused with a sentence. */
export async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new BackupError(
      `${dir} has no ${MANIFEST_FILE}: it is not a backup made by npm run backup, or that backup was interrupted.`,
    );
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    throw new BackupError(`${join(dir, MANIFEST_FILE)} is not valid JSON: the backup is damaged.`);
  }
  if (manifest?.format !== FORMAT || manifest.formatVersion !== FORMAT_VERSION) {
    throw new BackupError(
      `${join(dir, MANIFEST_FILE)} is not a ${FORMAT} manifest of version ${FORMAT_VERSION}.`,
    );
  }
  const files = manifest.evidence?.files;
  if (
    typeof manifest.dump?.sha256 !== 'string' ||
    typeof manifest.database?.tables !== 'object' ||
    !Array.isArray(files) ||
    files.some((f) => !EVIDENCE_KEY.test(f?.key) || !/^[0-9a-f]{64}$/.test(f?.sha256))
  ) {
    throw new BackupError(`${join(dir, MANIFEST_FILE)} is incomplete or damaged.`);
  }
  return manifest;
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const tmp = join(dir, `${MANIFEST_FILE}.part`);
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
  await rename(tmp, join(dir, MANIFEST_FILE));
}

/** SHA-256 and size of a file. */
export async function hashFile(path: string): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    sizeBytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}

/**
 * Copies a file through a `.part` beside the target, hashing what is read, and renames it into place only
 * when the hash is the expected one; otherwise nothing is left at the target.
 */
export async function copyVerified(from: string, to: string, expectedSha256: string): Promise<number> {
  await mkdir(dirname(to), { recursive: true });
  const part = `${to}.part`;
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(from), tap, createWriteStream(part, { flags: 'w', mode: 0o640 }));
    const actual = hash.digest('hex');
    if (actual !== expectedSha256) {
      throw new BackupError(
        `${from} does not match its recorded SHA-256 (${expectedSha256}): it is damaged.`,
      );
    }
    await rename(part, to);
    return sizeBytes;
  } finally {
    await rm(part, { force: true });
  }
}
