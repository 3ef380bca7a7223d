import { migrateUp } from '../apps/cli/src/migrate';
import { createTemplateDatabase } from '../libs/testing/src/test-database';
import { RUN_ID_VAR } from '../libs/testing/src/test-env';

/** Migrates one template database per run; every test file clones it. */
export default async function globalSetup(): Promise<void> {
  const run = `${Date.now().toString(36)}${process.pid}`;
  process.env[RUN_ID_VAR] = run;
  const url = await createTemplateDatabase(run);
  await migrateUp(url);
}
