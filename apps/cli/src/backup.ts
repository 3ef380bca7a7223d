import 'reflect-metadata';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource, type QueryRunner } from 'typeorm';
import { verifyAuditChain } from '@zhezi/audit';
import { AppError, dataSourceOptions, loadConfig } from '@zhezi/core';
import {
  BackupError,
  copyVerified,
  databaseFacts,
  DUMP_FILE,
  EVIDENCE_FOLDER,
  hashFile,
  writeManifest,
  type Manifest,
} from './backup-manifest';
import { findPgTool, maskUrl, PgToolError, runPgTool, serverMajor } from './pg-tools';

const USAGE = `usage: npm run backup -- DIR

Backs up the database (DATABASE_URL, through pg_dump of the server's major version, custom format) and the
evidence files (EVIDENCE_DIR) into DIR, a new or empty folder, with a manifest of row counts, file hashes and
the audit chain's last hash that npm run restore checks.`;

export interface BackupOptions {
  databaseUrl: string;
  evidenceDir: string;
  /** Progress and summary lines; console.log by default. */
  log?: (line: string) => void;
}

/** A connection for backup and restore; never a slow-query warning: counting a large table is slow, and fine. */
export async function connectTool(url: string): Promise<DataSource> {
  try {
    return await new DataSource(dataSourceOptions(url, Number.MAX_SAFE_INTEGER)).initialize();
  } catch (error) {
    throw new BackupError(
      `cannot connect to PostgreSQL at ${maskUrl(url)} (${(error as Error).message}): ` +
        'check DATABASE_URL and that the server is running.',
    );
  }
}

export const runnerQuery = (runner: QueryRunner) => ({
  query: <T>(sql: string, params?: unknown[]) => runner.query(sql, params) as Promise<T>,
});

export async function appVersion(): Promise<string | null> {
  const text = await readFile(join(process.cwd(), 'package.json'), 'utf8').catch(() => null);
  return text ? ((JSON.parse(text) as { version?: string }).version ?? null) : null;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * One consistent backup. A read-only serializable transaction that waits for a safe snapshot exports that
 * snapshot to pg_dump, and reads the manifest's counts, evidence rows and audit chain in it, so the dump and
 * the manifest describe the same instant. Evidence files are immutable and written before their row commits,
 * so every row in the snapshot has its file; the files are copied by the rows, and later uploads, or a
 * failed upload's leftover, are not.
 */
export async function backup(dir: string, { databaseUrl, evidenceDir, log = console.log }: BackupOptions) {
  const existing = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (existing.length) throw new BackupError(`${dir} is not empty: back up into a new or empty folder.`);

  const ds = await connectTool(databaseUrl);
  const runner = ds.createQueryRunner();
  const db = runnerQuery(runner);
  try {
    await mkdir(join(dir, EVIDENCE_FOLDER), { recursive: true });
    const [server] = await db.query<{ num: string; version: string; database: string }[]>(
      `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version,
              current_database() AS database`,
    );
    const pgDump = await findPgTool('pg_dump', serverMajor(server.num));
    log(`backing up ${maskUrl(databaseUrl)} (PostgreSQL ${server.version}) with ${pgDump.path} into ${dir}`);

    await runner.query('BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE');
    const [{ snapshot }] = await db.query<{ snapshot: string }[]>('SELECT pg_export_snapshot() AS snapshot');
    const dumpPath = join(dir, DUMP_FILE);
    const dumped = runPgTool(pgDump.path, databaseUrl, [
      '--format=custom',
      `--snapshot=${snapshot}`,
      `--file=${dumpPath}`,
    ]);
    // Awaited below; until then a failure must not count as unhandled.
    dumped.catch(() => undefined);
    const facts = await databaseFacts(db);
    const rows = Object.values(facts.tables).reduce((sum, n) => sum + n, 0);
    log(`  ${Object.keys(facts.tables).length} tables, ${rows} rows; checking the audit chain`);
    const chain = await verifyAuditChain(db);
    await dumped;
    await runner.query('COMMIT');
    const dump = await hashFile(dumpPath);
    log(`  database dumped: ${megabytes(dump.sizeBytes)}`);

    let totalBytes = 0;
    for (const [index, file] of facts.evidence.entries()) {
      const from = join(evidenceDir, ...file.key.split('/'));
      try {
        totalBytes += await copyVerified(
          from,
          join(dir, EVIDENCE_FOLDER, ...file.key.split('/')),
          file.sha256,
        );
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        throw new BackupError(
          `evidence ${file.id} has no file at ${from}: check EVIDENCE_DIR (${evidenceDir}).`,
        );
      }
      const done = index + 1;
      if (done % 500 === 0 || done === facts.evidence.length) {
        log(
          `  evidence files: ${done}/${facts.evidence.length} copied and checked (${megabytes(totalBytes)})`,
        );
      }
    }

    const manifest: Manifest = {
      format: 'zhezi-backup',
      formatVersion: 1,
      createdAt: new Date().toISOString(),
      app: { version: await appVersion(), node: process.version },
      postgres: {
        serverVersion: server.version,
        serverVersionNum: Number(server.num),
        pgDump: pgDump.version,
        database: server.database,
      },
      dump: { file: DUMP_FILE, ...dump },
      database: {
        tables: facts.tables,
        lastMigration: facts.lastMigration,
        audit: facts.audit,
        auditChainOk: chain.ok,
      },
      evidence: { count: facts.evidence.length, totalBytes, files: facts.evidence },
    };
    await writeManifest(dir, manifest);
    log(
      `backup complete: ${rows} rows in ${Object.keys(facts.tables).length} tables, ` +
        `${facts.evidence.length} evidence files (${megabytes(totalBytes)}), schema at ${facts.lastMigration ?? 'no migration'}`,
    );
    log(
      chain.ok
        ? facts.audit.lastId
          ? `  audit chain intact: ${facts.audit.events} events, the last ${facts.audit.lastId} with hash ${facts.audit.lastHash}`
          : '  audit log empty'
        : `  WARNING: the audit chain is already broken at event ${chain.firstBrokenId} (${chain.reason}); backed up as it is`,
    );
    return manifest;
  } catch (error) {
    // The folder was empty: all in it now is this run's, and of no use without a manifest.
    for (const entry of await readdir(dir).catch(() => [])) {
      await rm(join(dir, entry), { recursive: true, force: true });
    }
    throw error;
  } finally {
    await runner.query('ROLLBACK').catch(() => undefined);
    await runner.release();
    await ds.destroy();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help || positionals.length !== 1) {
    console.log(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const config = loadConfig();
  const [dir] = positionals;
  await endOnExpectedFailure('backup', () =>
    backup(dir, { databaseUrl: config.databaseUrl, evidenceDir: config.evidenceDir }),
  );
}

/** Backup and restore: an expected failure ends the command with one line; anything else keeps its stack. */
export async function endOnExpectedFailure(command: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof BackupError || error instanceof PgToolError || error instanceof AppError) {
      console.error(`${command} failed: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
