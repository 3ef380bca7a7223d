import { parentPort, Worker, type WorkerOptions } from 'node:worker_threads';
import type { FileLimits } from './config';
import { AppError, badInput, ErrorCode } from './errors';
import { fileTooLarge } from './zip-guard';

/** What reading one uploaded file may cost: the worker's heap, its wall-clock time, and how many run at once. */
export interface FileWorkerLimits {
  memoryMb: number;
  timeoutMs: number;
  concurrency: number;
}

/** The worker's share of the configured file limits. */
export function fileWorkerLimits(limits: FileLimits): FileWorkerLimits {
  return {
    memoryMb: limits.parseMemoryMb,
    timeoutMs: limits.parseTimeoutMs,
    concurrency: limits.parseConcurrency,
  };
}

type WorkerReply =
  | { ok: true; value: unknown }
  | { ok: false; error: { message: string; extensions: Record<string, unknown> } | null };

/** An idle worker is kept this long for the next file, then ended. */
const IDLE_MS = 60_000;

/**
 * The worker's side: answers each message it is sent, one at a time, with what `read` makes of it. An AppError
 * (a file the reader refuses) travels back as it is; anything else as a file that could not be read.
 */
export function serveFileWorker<I, O>(read: (input: I) => Promise<O> | O): void {
  const port = parentPort;
  if (!port) return;
  port.on('message', (input: I) => {
    void (async () => {
      let reply: WorkerReply;
      try {
        reply = { ok: true, value: await read(input) };
      } catch (error) {
        reply = {
          ok: false,
          error: error instanceof AppError ? { message: error.message, extensions: error.extensions } : null,
        };
      }
      port.postMessage(reply);
    })();
  });
}

let running = 0;
const waiting: (() => void)[] = [];

async function acquire(concurrency: number): Promise<void> {
  if (running < concurrency) {
    running++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}

/** Hands the slot to the next waiting read, if any. */
function release(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

/** Compiled code runs the .js beside it; from TypeScript sources (tests, `npm run …`) swc compiles the worker too. */
function startWorker(file: string, options: WorkerOptions): Worker {
  if (!file.endsWith('.ts')) return new Worker(file, options);
  const code = `require('@swc-node/register'); require(${JSON.stringify(file)});`;
  return new Worker(code, { ...options, eval: true });
}

interface IdleWorker {
  worker: Worker;
  timer: NodeJS.Timeout | null;
  /** Forgets the worker should it end or fail while idle (an unheard 'error' would end this process). */
  gone: () => void;
}

/** Workers that answered their last file normally, by script and heap limit, kept warm for the next one. */
const idle = new Map<string, IdleWorker[]>();

function takeIdle(key: string): Worker | undefined {
  const kept = idle.get(key)?.pop();
  if (!kept) return undefined;
  if (kept.timer) clearTimeout(kept.timer);
  kept.worker.off('error', kept.gone).off('exit', kept.gone).ref();
  return kept.worker;
}

/** One idle worker per script stays warm for good; more, kept after a busy spell, are ended after IDLE_MS. */
function keepIdle(key: string, worker: Worker): void {
  const list = idle.get(key) ?? [];
  idle.set(key, list);
  const kept: IdleWorker = {
    worker,
    timer: null,
    gone: () => {
      const at = list.indexOf(kept);
      if (at >= 0) list.splice(at, 1);
      if (kept.timer) clearTimeout(kept.timer);
      void worker.terminate();
    },
  };
  if (list.length > 0) {
    kept.timer = setTimeout(kept.gone, IDLE_MS);
    kept.timer.unref();
  }
  worker.on('error', kept.gone).on('exit', kept.gone).unref();
  list.push(kept);
}

function newWorker(file: string, limits: FileWorkerLimits): Worker {
  return startWorker(file, {
    resourceLimits: {
      maxOldGenerationSizeMb: limits.memoryMb,
      maxYoungGenerationSizeMb: Math.max(16, Math.min(64, limits.memoryMb / 8)),
    },
  });
}

const keyOf = (file: string, limits: FileWorkerLimits) => `${limits.memoryMb}:${file}`;

/** Starts a worker for `file` as the API starts, so that the first upload does not wait for it to load. */
export function prewarmFileWorker(file: string, limits: FileWorkerLimits): void {
  const key = keyOf(file, limits);
  if (!idle.get(key)?.length) keepIdle(key, newWorker(file, limits));
}

/**
 * Reads an uploaded file in a worker thread (`file`, which calls serveFileWorker), off the event loop and with
 * its own heap limit: a hostile file exhausts its worker, which is ended, and costs only its own request. A
 * worker that runs out of heap or time is PAYLOAD_TOO_LARGE on `file`; a crash of the reader BAD_USER_INPUT.
 * At most `concurrency` files are read at once, each by a worker of its own.
 */
export async function runFileWorker<T>(file: string, input: unknown, limits: FileWorkerLimits): Promise<T> {
  await acquire(limits.concurrency);
  try {
    return await runOnce<T>(file, input, limits);
  } finally {
    release();
  }
}

function runOnce<T>(file: string, input: unknown, limits: FileWorkerLimits): Promise<T> {
  const key = keyOf(file, limits);
  return new Promise<T>((resolve, reject) => {
    const worker = takeIdle(key) ?? newWorker(file, limits);
    const finish = (reuse: boolean, settle: () => void) => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (reuse) keepIdle(key, worker);
      else void worker.terminate();
      settle();
    };
    const onMessage = (reply: WorkerReply) =>
      finish(reply.ok || reply.error !== null, () => {
        if (reply.ok) return resolve(reply.value as T);
        if (!reply.error) return reject(badInput('file', '无法读取文件：文件已损坏或格式不受支持'));
        const { code, ...details } = reply.error.extensions;
        reject(new AppError(code as ErrorCode, reply.error.message, details));
      });
    const onError = (error: Error & { code?: string }) =>
      finish(false, () =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? fileTooLarge(`文件内容过多，读取所需内存超过 ${limits.memoryMb} MB`)
            : badInput('file', '无法读取文件：文件已损坏或格式不受支持'),
        ),
      );
    // A reader that ends without a word (a library calling process.exit, say) read nothing usable.
    const onExit = () =>
      finish(false, () => reject(badInput('file', '无法读取文件：文件已损坏或格式不受支持')));
    const timer = setTimeout(
      () =>
        finish(false, () => reject(fileTooLarge(`文件内容过多，${limits.timeoutMs / 1000} 秒内未能读完`))),
      limits.timeoutMs,
    );
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage(input);
  });
}
