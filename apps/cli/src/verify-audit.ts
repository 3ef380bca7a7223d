import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { verifyAuditChain, type ChainReport, type VerifyOptions } from '@zhezi/audit';
import { AppError, dataSourceOptions, loadConfig } from '@zhezi/core';

const USAGE = 'usage: npm run audit:verify [-- [--from ID] [--limit N]]';

/** Checks the audit log's hash chain; raw SQL only, so no entities are loaded. */
export async function verifyAuditDatabase(url: string, options: VerifyOptions = {}): Promise<ChainReport> {
  const ds = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    return await verifyAuditChain(ds, options);
  } finally {
    await ds.destroy();
  }
}

export function formatReport(report: ChainReport): string {
  if (!report.ok) {
    return [
      `audit chain BROKEN at event ${report.firstBrokenId}: ${report.reason}`,
      `  ${report.checked - 1} event(s) before it verified` +
        (report.lastCheckedId ? `, the last of them ${report.lastCheckedId}` : ''),
    ].join('\n');
  }
  if (report.checked === 0) return 'audit chain ok: no events to check';
  return (
    `audit chain ok: ${report.checked} event(s) verified, up to event ${report.lastCheckedId}\n` +
    `  its hash ${report.lastHash} (keep it elsewhere: a later run must still reach it)`
  );
}

export function parseArgs(args: string[]): VerifyOptions | null {
  const options: VerifyOptions = {};
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) return null;
    if (flag === '--from') options.fromId = value;
    else if (flag === '--limit') options.limit = Number(value);
    else return null;
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (!options) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const report = await verifyAuditDatabase(loadConfig().databaseUrl, options);
  if (report.ok) {
    console.log(formatReport(report));
  } else {
    console.error(formatReport(report));
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    if (error instanceof AppError) {
      console.error(`${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  });
}
