import 'reflect-metadata';
import { access, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { verifyAuditChain } from '@zhezi/audit';
import { loadConfig } from '@zhezi/core';
import { MIGRATIONS } from '@zhezi/migrations';
import { connectTool, endOnExpectedFailure } from './backup';
import {
  BackupError,
  copyVerified,
  databaseFacts,
  DUMP_FILE,
  EVIDENCE_FOLDER,
  hashFile,
  readManifest,
  type Manifest,
} from './backup-manifest';
import { findPgTool, maskUrl, runPgTool, serverMajor } from './pg-tools';

const USAGE = `usage: npm run restore -- DIR [--force]

Restores a backup made by npm run backup into the empty database of DATABASE_URL and the evidence folder
EVIDENCE_DIR, then checks row counts, file hashes and the audit chain against the backup's manifest. Stop the
api and the worker first. --force first drops everything in a database that is not empty, and overwrites
evidence files of the same name.`;

export interface RestoreOptions {
  databaseUrl: string;
  evidenceDir: string;
  /** Drop what the database holds instead of refusing. */
  force?: boolean;
  log?: (line: string) => void;
}

export interface RestoreSummary {
  manifest: Manifest;
  rows: number;
  evidenceFiles: number;
  auditEvents: number;
  /** Migrations this version has that the restored schema lacks: run `npm run migrate`. */
  pendingMigrations: string[];
}

/** TypeORM records a migration by its class name. */
const migrationNames = MIGRATIONS.map((m) => m.name);

/** What makes a database not empty: any table, view or sequence outside the system schemas. */
async function userRelations(db: Pick<DataSource, 'query'>) {
  const [{ n, example }] = await db.query<{ n: number; example: string | null }[]>(
    `SELECT count(*)::int AS n, min(format('%I.%I', n.nspname, c.relname)) AS example
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`,
  );
  return { n, example };
}

/** Stored files in an evidence folder (its `.tmp/` of unfinished uploads aside). */
async function hasEvidenceFiles(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.some((e) => e.isFile() && !join(e.parentPath, e.name).startsWith(join(dir, '.tmp')));
}

/** What differs between the manifest and the restored database; empty when they agree. */
function differences(manifest: Manifest, facts: Awaited<ReturnType<typeof databaseFacts>>): string[] {
  const found: string[] = [];
  const tables = new Set([...Object.keys(manifest.database.tables), ...Object.keys(facts.tables)]);
  for (const table of tables) {
    const [want, got] = [manifest.database.tables[table], facts.tables[table]];
    if (want !== got) found.push(`${table} has ${got ?? 'no table'} rows, the backup ${want ?? 'no table'}`);
  }
  if (facts.lastMigration !== manifest.database.lastMigration) {
    found.push(`the schema is at ${facts.lastMigration}, the backup at ${manifest.database.lastMigration}`);
  }
  const { audit } = manifest.database;
  if (facts.audit.lastId !== audit.lastId || facts.audit.lastHash !== audit.lastHash) {
    found.push(
      `the last audit event is ${facts.audit.lastId} (${facts.audit.lastHash}), the backup's ${audit.lastId}`,
    );
  }
  const key = (e: { id: string; key: string; sha256: string }) => `${e.id} ${e.key} ${e.sha256}`;
  const restored = new Set(facts.evidence.map(key));
  const missing = manifest.evidence.files.filter((e) => !restored.has(key(e)));
  if (missing.length || facts.evidence.length !== manifest.evidence.files.length) {
    found.push(
      `the evidence rows differ from the backup's list (${missing.length} of its files have no row)`,
    );
  }
  return found;
}

/**
 * Restores a backup: checks the backup first (manifest, the dump's hash, the schema is one this version
 * knows), refuses a database that is not empty unless forced, copies the evidence files (each checked against
 * its hash, renamed into place only then), restores the dump in one transaction, and compares the result with
 * the manifest: row counts, evidence rows, the schema's last migration and the audit chain, verified in full
 * and ending at the recorded last hash.
 */
export async function restore(
  dir: string,
  { databaseUrl, evidenceDir, force = false, log = console.log }: RestoreOptions,
): Promise<RestoreSummary> {
  const manifest = await readManifest(dir);
  const dumpPath = join(dir, DUMP_FILE);
  const dump = await hashFile(dumpPath).catch(() => null);
  if (!dump || dump.sha256 !== manifest.dump.sha256) {
    throw new BackupError(
      `${dumpPath} is ${dump ? 'not the dump the manifest records' : 'missing'}: the backup is damaged or incomplete.`,
    );
  }
  const last = manifest.database.lastMigration;
  if (last && !migrationNames.includes(last)) {
    throw new BackupError(
      `the backup's schema ends at migration ${last}, which this version does not know: restore it with ` +
        `the version that made it (${manifest.app.version ?? 'unknown'}) or a newer one.`,
    );
  }

  const ds = await connectTool(databaseUrl);
  try {
    const [server] = await ds.query<{ num: string; version: string }[]>(
      `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version`,
    );
    const major = serverMajor(server.num);
    const backupMajor = serverMajor(manifest.postgres.serverVersionNum);
    if (backupMajor > major) {
      throw new BackupError(
        `the backup comes from PostgreSQL ${backupMajor} and ${maskUrl(databaseUrl)} runs ${server.version}: ` +
          `restore it into PostgreSQL ${backupMajor} or newer.`,
      );
    }
    const pgRestore = await findPgTool('pg_restore', major);

    const relations = await userRelations(ds);
    const evidenceInPlace = await hasEvidenceFiles(evidenceDir);
    if ((relations.n || evidenceInPlace) && !force) {
      throw new BackupError(
        relations.n
          ? `${maskUrl(databaseUrl)} is not empty (${relations.n} tables, views or sequences, such as ` +
            `${relations.example}): restore into an empty database, or pass --force to drop everything in it.`
          : `${evidenceDir} already holds evidence files: restore into an empty folder, or pass --force.`,
      );
    }
    log(
      `restoring the backup of ${manifest.createdAt} (${manifest.postgres.database}, PostgreSQL ` +
        `${manifest.postgres.serverVersion}) into ${maskUrl(databaseUrl)} with ${pgRestore.path}`,
    );

    // Files first: a damaged one stops the restore before the database is touched. On any failure the
    // files this run added are taken back, so a second attempt does not find the folder in use.
    const added: string[] = [];
    try {
      for (const [index, file] of manifest.evidence.files.entries()) {
        const path = file.key.split('/');
        const from = join(dir, EVIDENCE_FOLDER, ...path);
        const to = join(evidenceDir, ...path);
        const existed = await access(to).then(
          () => true,
          () => false,
        );
        await copyVerified(from, to, file.sha256).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
          throw new BackupError(`${from} is missing: the backup is incomplete.`);
        });
        if (!existed) added.push(to);
        const done = index + 1;
        if (done % 500 === 0 || done === manifest.evidence.count) {
          log(`  evidence files: ${done}/${manifest.evidence.count} copied and checked by SHA-256`);
        }
      }

      if (relations.n) {
        log(`  --force: dropping every schema of ${maskUrl(databaseUrl)}`);
        const schemas = await ds.query<{ name: string }[]>(
          `SELECT format('%I', nspname) AS name FROM pg_namespace
            WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'`,
        );
        await ds.transaction(async (manager) => {
          for (const { name } of schemas) await manager.query(`DROP SCHEMA ${name} CASCADE`);
          await manager.query('CREATE SCHEMA public');
        });
      }
      // Owners and grants belong to the server the backup came from; here all is the restoring user's.
      await runPgTool(pgRestore.path, databaseUrl, [
        '--exit-on-error',
        '--single-transaction',
        '--no-owner',
        '--no-privileges',
        dumpPath,
      ]);
    } catch (error) {
      await Promise.all(added.map((path) => rm(path, { force: true })));
      throw error;
    }
    log('  database restored; comparing it with the manifest');

    const facts = await databaseFacts(ds);
    const problems = differences(manifest, facts);
    const chain = await verifyAuditChain(ds);
    if (manifest.database.auditChainOk && !chain.ok) {
      problems.push(`the audit chain is broken at event ${chain.firstBrokenId}: ${chain.reason}`);
    } else if (chain.ok && chain.lastHash !== manifest.database.audit.lastHash) {
      problems.push(
        `the audit chain ends at hash ${chain.lastHash}, the backup's at ${manifest.database.audit.lastHash}`,
      );
    }
    if (problems.length) {
      throw new BackupError(`the restored database does not match the backup: ${problems.join('; ')}.`);
    }

    const rows = Object.values(facts.tables).reduce((sum, n) => sum + n, 0);
    const pendingMigrations = migrationNames.slice(last ? migrationNames.indexOf(last) + 1 : 0);
    log(
      `restore complete: ${rows} rows in ${Object.keys(facts.tables).length} tables and ` +
        `${manifest.evidence.count} evidence files, all as the manifest records`,
    );
    log(
      chain.ok
        ? chain.checked
          ? `  audit chain intact: ${chain.checked} events verified, ending at hash ${chain.lastHash}`
          : '  audit log empty, as in the backup'
        : `  WARNING: the audit chain is broken at event ${chain.firstBrokenId}, as it already was in the backup`,
    );
    if (pendingMigrations.length) {
      log(`  the schema predates this version: run npm run migrate (${pendingMigrations.length} to apply)`);
    }
    return {
      manifest,
      rows,
      evidenceFiles: manifest.evidence.count,
      auditEvents: chain.checked,
      pendingMigrations,
    };
  } finally {
    await ds.destroy();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.log(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const config = loadConfig();
  await endOnExpectedFailure('restore', () =>
    restore(positionals[0], {
      databaseUrl: config.databaseUrl,
      evidenceDir: config.evidenceDir,
      force: values.force,
    }),
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
