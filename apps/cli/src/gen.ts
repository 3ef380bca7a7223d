import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { dataSourceOptions, loadConfig } from '@zhezi/core';
import { generateCity, GENERATED_PASSWORD, type CitySummary } from '@zhezi/seed';

/** Generates a city's worth of lists into a migrated database, in one transaction. */
export async function generate(
  url: string,
  assignments: number,
  seed: number,
  now = new Date(),
): Promise<CitySummary> {
  const ds = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    return await ds.transaction((manager) => generateCity(manager, { assignments, seed, now }));
  } finally {
    await ds.destroy();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { assignments: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' } },
  });
  const assignments = Number(values.assignments);
  const seed = Number(values.seed);
  if (!Number.isInteger(assignments) || assignments < 4 || !Number.isInteger(seed)) {
    console.error('usage: npm run gen -- --assignments N [--seed S]   (N ≥ 4, integers)');
    process.exit(2);
  }
  const { env, databaseUrl } = loadConfig();
  if (env === 'production') {
    console.error('refusing to generate test data into a production database');
    process.exit(1);
  }
  const started = performance.now();
  const summary = await generate(databaseUrl, assignments, seed);
  console.log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s:`);
  for (const [what, count] of Object.entries(summary)) console.log(`  ${what.padEnd(20)} ${count}`);
  console.log(`generated users' password: ${GENERATED_PASSWORD}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
