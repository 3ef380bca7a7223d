import { extname, join } from 'node:path';
import { fileWorkerLimits, prewarmFileWorker, runFileWorker, type FileLimits } from '@zhezi/core/files';
import type { PlanIngestInput, ReadPlan } from './plan-read';

/** What the worker is sent: the file and the leader's overrides of title and period. */
export interface PlanReadJob {
  fileName: string;
  data: Uint8Array;
  options: Omit<PlanIngestInput, 'text'>;
  limits: { maxUncompressedBytes: number; maxEntries: number };
}

/** The worker beside this file, compiled (.js) or not (.ts). */
const WORKER = join(__dirname, `plan-read.worker${extname(__filename)}`);

/**
 * Reads an uploaded plan document (documentText, then readPlan) in a worker thread within `limits`, so a
 * hostile .docx costs its own request and nothing else.
 */
export function readPlanFile(
  fileName: string,
  data: Buffer,
  options: Omit<PlanIngestInput, 'text'>,
  limits: FileLimits,
): Promise<ReadPlan> {
  const job: PlanReadJob = {
    fileName,
    data,
    options,
    limits: { maxUncompressedBytes: limits.maxUncompressedBytes, maxEntries: limits.maxArchiveEntries },
  };
  return runFileWorker<ReadPlan>(WORKER, job, fileWorkerLimits(limits));
}

/** Loads the plan reader ahead of the first document (see prewarmFileWorker). */
export function prewarmPlanReader(limits: FileLimits): void {
  prewarmFileWorker(WORKER, fileWorkerLimits(limits));
}
