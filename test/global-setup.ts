import { generate } from '@graphql-codegen/cli';
import { migrateUp } from '../apps/cli/src/migrate';
import codegenConfig from './codegen';
import { createTemplateDatabase } from '../libs/testing/src/test-database';
import { RUN_ID_VAR } from '../libs/testing/src/test-env';
import { MissingServer, startTestServers, type TestServers } from './support/test-servers';

/** What the global teardown stops; jest shares globals between the two hooks, and nothing else. */
declare global {
  var zheziTestServers: TestServers | undefined;
}

/** Generates the typed operations, chooses (or starts) the servers, then migrates one template database per run; every test file clones it. */
export default async function globalSetup(): Promise<void> {
  // The specs' typed operations (test/gql) follow their documents on every run, `npx jest <file>` included.
  await generate({ ...codegenConfig, silent: true }, true);
  const servers = await startTestServers().catch((error: unknown) => {
    // One sentence says what is missing and what to do; a stack trace would only bury it.
    if (error instanceof MissingServer) error.stack = `\n${error.message}\n`;
    throw error;
  });
  globalThis.zheziTestServers = servers;
  stopOnInterrupt(servers);
  const run = `${Date.now().toString(36)}${process.pid}`;
  process.env[RUN_ID_VAR] = run;
  try {
    await migrateUp(await createTemplateDatabase(run));
  } catch (error) {
    await servers.stop(); // jest skips the teardown when the setup fails
    throw error;
  }
}

/** Ctrl-C or a kill skips the global teardown: stop the private servers anyway, then exit as the signal would. */
function stopOnInterrupt(servers: TestServers): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      void servers.stop().finally(() => process.kill(process.pid, signal));
    });
  }
}
