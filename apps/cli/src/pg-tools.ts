import { execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** `pg_dump` and `pg_restore`: both must be of the server's major version (see {@link findPgTool}). */
export type PgTool = 'pg_dump' | 'pg_restore';

/** The major version in `pg_dump --version` output, e.g. "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)". */
export function toolMajor(versionOutput: string): number | null {
  const match = /\(PostgreSQL\) (\d+)/.exec(versionOutput);
  return match ? Number(match[1]) : null;
}

/** The major version in `SHOW server_version_num` (150020 → 15). */
export const serverMajor = (versionNum: number | string) => Math.floor(Number(versionNum) / 10000);

/** A database URL with its password masked, for messages. */
export function maskUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where to look, best first: PG_BIN_DIR, Debian's per-version directory, then PATH. */
function candidates(tool: PgTool, major: number): string[] {
  const dirs = [
    process.env.PG_BIN_DIR,
    `/usr/lib/postgresql/${major}/bin`,
    ...(process.env.PATH ?? '').split(':'),
  ];
  return dirs.filter((dir): dir is string => !!dir).map((dir) => join(dir, tool));
}

export interface FoundTool {
  path: string;
  version: string;
}

export class PgToolError extends Error {}

/**
 * The tool of the server's major version: an older pg_dump refuses a newer server, and a newer one writes an
 * archive an older pg_restore cannot read, so both sides of a backup use exactly the server's major.
 */
export async function findPgTool(tool: PgTool, major: number): Promise<FoundTool> {
  let other: FoundTool | undefined;
  for (const path of candidates(tool, major)) {
    if (!executable(path)) continue;
    const { stdout } = await promisify(execFile)(path, ['--version']);
    const found = { path, version: stdout.trim() };
    if (toolMajor(found.version) === major) return found;
    other ??= found;
  }
  const install =
    `install PostgreSQL ${major}'s client tools (Debian/Ubuntu: apt-get install postgresql-client-${major}, ` +
    `from apt.postgresql.org if your release lacks it) or set PG_BIN_DIR to the directory holding its ${tool}`;
  throw new PgToolError(
    other
      ? `the server runs PostgreSQL ${major} but ${other.path} is ${other.version}: ${install}.`
      : `${tool} was not found (PostgreSQL ${major} needs ${tool} ${major}): ${install}.`,
  );
}

/**
 * Runs a tool against the URL's database. The password travels in PGPASSWORD, not on the command line,
 * where every user of the machine could read it.
 */
export function runPgTool(path: string, databaseUrl: string, args: string[]): Promise<void> {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const env = { ...process.env, ...(password && { PGPASSWORD: password }) };
  return new Promise((resolve, reject) => {
    const child = spawn(path, [...args, `--dbname=${url.toString()}`], {
      env,
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new PgToolError(
            `${path} failed (${signal ?? `exit code ${code}`}): ${stderr.trim() || 'no output'}`,
          ),
        );
    });
  });
}
