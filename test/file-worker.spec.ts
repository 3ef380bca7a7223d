import { join } from 'node:path';
import { AppError, runFileWorker, type FileWorkerLimits } from '@zhezi/core';
import type { GreedyMode } from './fixtures/greedy-file.worker';

const WORKER = join(__dirname, 'fixtures/greedy-file.worker.ts');
const LIMITS: FileWorkerLimits = { memoryMb: 64, timeoutMs: 3000, concurrency: 2 };

async function failure(mode: GreedyMode): Promise<AppError> {
  const error = await runFileWorker(WORKER, { mode }, LIMITS).then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Counts event-loop turns while `work` runs: a reader that blocked the loop would leave gaps. */
async function longestStall<T>(work: Promise<T>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  await work.catch(() => undefined);
  clearInterval(timer);
  return longest;
}

describe('runFileWorker: a reader in a worker thread with its own heap and time', () => {
  it('answers what the reader returns, and a refusal as the same AppError', async () => {
    await expect(runFileWorker(WORKER, { mode: 'read' }, LIMITS)).resolves.toEqual({ read: true });
    expect((await failure('refuse')).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
    expect((await failure('crash')).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
  }, 30_000);

  it('ends a worker that outgrows its heap, and this process keeps its own', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const error = await failure('heap');
    expect(error.extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'file' });
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * 1024 * 1024);
  }, 30_000);

  it('ends a worker that runs past its time, without blocking the event loop meanwhile', async () => {
    const started = performance.now();
    const refused = failure('loop');
    const stall = await longestStall(refused);
    expect((await refused).extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'file' });
    expect(performance.now() - started).toBeLessThan(LIMITS.timeoutMs + 5000);
    expect(stall).toBeLessThan(1000);
    // The slot is free again: the next file is read.
    await expect(runFileWorker(WORKER, { mode: 'read' }, LIMITS)).resolves.toEqual({ read: true });
  }, 30_000);
});
