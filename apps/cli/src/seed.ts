import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AuditEvent } from '@zhezi/audit';
import { dataSourceOptions, loadConfig } from '@zhezi/core';
import { OrgUnit, User } from '@zhezi/org';
import { Indicator, Plan, PlanDocumentError, Target } from '@zhezi/plan';
import {
  formatDemoLogins,
  resolvePlanFile,
  SeedError,
  seedDistrict,
  type SeedCount,
  type SeedSummary,
} from '@zhezi/seed';
import { Assignment, Milestone, Task } from '@zhezi/task';

/** The entities the seed writes; nothing else is loaded, so the CLI starts quickly. */
const SEED_ENTITIES = [OrgUnit, User, Plan, Target, Indicator, Task, Milestone, Assignment, AuditEvent];

/** Seeds the Haidian demo district in one transaction; safe to run again. */
export async function seedDatabase(url: string, planFile?: string): Promise<SeedSummary> {
  const file = resolvePlanFile(planFile);
  const ds = await new DataSource({ ...dataSourceOptions(url), entities: SEED_ENTITIES }).initialize();
  try {
    return await ds.transaction((manager) => seedDistrict(manager, file));
  } finally {
    await ds.destroy();
  }
}

export function formatSummary(summary: SeedSummary): string[] {
  const line = (label: string, c: SeedCount) =>
    `  ${label.padEnd(12)} created ${String(c.created).padStart(3)}, existing ${String(c.existing).padStart(3)}` +
    (c.updated ? ` (${c.updated} updated)` : '');
  return [
    line('org units', summary.orgUnits),
    line('users', summary.users),
    line('plans', summary.plans),
    line('targets', summary.targets),
    line('indicators', summary.indicators),
    `  indicator figures created ${String(summary.indicatorValues).padStart(3)}`,
    line('tasks', summary.tasks),
    line('assignments', summary.assignments),
    `  milestones   created ${String(summary.milestones).padStart(3)}`,
    `  audit events created ${String(summary.auditEvents).padStart(3)}`,
    `  unit keywords added ${String(summary.unitKeywords).padStart(3)}`,
  ];
}

async function main(): Promise<void> {
  const { env, databaseUrl } = loadConfig();
  // Every demo login shares a published password: in production that is an open door.
  if (env === 'production' && process.env.SEED_ALLOW_PRODUCTION !== '1') {
    console.error(
      'refusing to seed demo logins with a published password in production (SEED_ALLOW_PRODUCTION=1 to force)',
    );
    process.exitCode = 2;
    return;
  }
  const planFile = resolvePlanFile();
  const summary = await seedDatabase(databaseUrl, planFile);
  console.log(
    [`seeded the Haidian demo district (plan text: ${planFile})`, ...formatSummary(summary)].join('\n'),
  );
  console.log(formatDemoLogins().join('\n'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // Expected failures (a missing plan file, a malformed outline) need a line, not a stack trace.
    const expected = error instanceof SeedError || error instanceof PlanDocumentError;
    console.error(expected ? `seed failed: ${error.message}` : error);
    process.exit(1);
  });
}
