import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { killOnExit, stopProcess } from './worker-services';

const ROOT = join(__dirname, '..', '..');
const KEEP_OUTPUT = 20_000;

/** `npm run start:worker` as a child process of the test, so that it can be killed outright. */
export class WorkerProcess {
  private output = '';
  private readonly child: ChildProcess;

  constructor(env: { DATABASE_URL: string; REDIS_URL: string; REDIS_PREFIX: string }) {
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/worker/src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...env,
        ESCALATION_DISPATCH_EVERY_MS: '1000',
        ESCALATION_HORIZON_MS: '5000',
        NODE_ENV: 'test',
        NO_COLOR: '1',
        // ready() waits for its "listening on" line; its own HTTP port must not collide with another's.
        LOG_LEVEL: 'info',
        WORKER_HTTP_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    killOnExit(this.child);
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-KEEP_OUTPUT);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines it wrote, for failure messages. */
  tail(lines = 30): string {
    return this.output.trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Resolves once the worker says it listens on its queues (it has added the start-up reconciliation). */
  async ready(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!/listening on \d+ queue/.test(this.output)) {
      if (!this.running) throw new Error(`the worker exited while starting:\n${this.tail()}`);
      if (Date.now() > deadline)
        throw new Error(`the worker did not start in ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGKILL: no shutdown hooks, no lock release, open transactions cut off. */
  async kill(): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** A normal shutdown (SIGTERM runs Nest's shutdown hooks), SIGKILL if that takes too long. */
  stop(): Promise<void> {
    return stopProcess(this.child, 15_000);
  }
}
