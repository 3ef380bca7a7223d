import { extname, join } from 'node:path';
import {
  AppError,
  ErrorCode,
  fileWorkerLimits,
  prewarmFileWorker,
  runFileWorker,
  type FileLimits,
} from '@zhezi/core/files';
import type { readTaskList, TaskListIssue } from './task-list.xlsx';

export type ReadTaskList = Awaited<ReturnType<typeof readTaskList>>;

/** What the worker is sent. */
export interface TaskListReadJob {
  data: Uint8Array;
  maxRows: number;
  limits: { maxUncompressedBytes: number; maxEntries: number };
}

/** The worker beside this file, compiled (.js) or not (.ts). */
const WORKER = join(__dirname, `task-list-read.worker${extname(__filename)}`);

/** Reads an uploaded 折子工程 table in a worker thread within `limits` (see runFileWorker). */
export function readTaskListFile(data: Buffer, limits: FileLimits): Promise<ReadTaskList> {
  const job: TaskListReadJob = {
    data,
    maxRows: limits.maxImportRows,
    limits: { maxUncompressedBytes: limits.maxUncompressedBytes, maxEntries: limits.maxArchiveEntries },
  };
  return runFileWorker<ReadTaskList>(WORKER, job, fileWorkerLimits(limits));
}

/** Loads the table reader ahead of the first import (see prewarmFileWorker). */
export function prewarmTaskListReader(limits: FileLimits): void {
  prewarmFileWorker(WORKER, fileWorkerLimits(limits));
}

/** The whole list of problems travels with the error, so the office fixes the file in one pass. */
export function importFailed(issues: TaskListIssue[]): AppError {
  const shown = issues
    .slice(0, 3)
    .map((i) => (i.row ? `第 ${i.row} 行${i.header ? `“${i.header}”` : ''}：${i.message}` : i.message))
    .join('；');
  return new AppError(
    ErrorCode.BAD_USER_INPUT,
    `导入文件有 ${issues.length} 处问题，未导入任何内容。${shown}${issues.length > 3 ? '……' : ''}`,
    { field: 'file', issues },
  );
}
