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
  /** A .docx is read for its task table; anything else as an .xlsx workbook. */
  fileName: string;
  data: Uint8Array;
  maxRows: number;
  limits: { maxUncompressedBytes: number; maxEntries: number };
}

/** The worker beside this file, compiled (.js) or not (.ts). */
const WORKER = join(__dirname, `task-list-read.worker${extname(__filename)}`);

/**
 * Reads an uploaded 折子工程 table — an Excel workbook, or a Word document whose list is a table — in a worker
 * thread within `limits` (see runFileWorker).
 */
export function readTaskListFile(data: Buffer, limits: FileLimits, fileName = ''): Promise<ReadTaskList> {
  const job: TaskListReadJob = {
    fileName,
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

/** Distinct problems shown in a refusal's message; the rest are counted, and all are in `issues`. */
const SHOWN_PROBLEMS = 3;
/** Rows named for one problem before “等 n 行”. */
const SHOWN_ROWS = 3;

/**
 * The whole list of problems travels with the error, so the office fixes the file in one pass. The message
 * leads with the count and names distinct problems, each once with the rows it is on: forty rows with the same
 * misspelt unit are one problem, and a different error beside them is not pushed out of the message.
 */
export function importFailed(issues: TaskListIssue[]): AppError {
  const problems = new Map<string, { header: string | null; message: string; rows: number[] }>();
  for (const i of issues) {
    const key = `${i.column ?? ''}|${i.message}`;
    const problem = problems.get(key) ?? { header: i.header, message: i.message, rows: [] };
    if (i.row) problem.rows.push(i.row);
    problems.set(key, problem);
  }
  const where = ({ header, rows }: { header: string | null; rows: number[] }) => {
    if (!rows.length) return '';
    const shown = rows.slice(0, SHOWN_ROWS).join('、');
    const more = rows.length > SHOWN_ROWS ? `等 ${rows.length} 行` : '行';
    return `第 ${shown} ${more}${header ? `“${header}”` : ''}：`;
  };
  // One problem of each column first, so a deadline error shows beside ten different misspelt units.
  const perColumn = new Map<string | null, number>();
  const distinct = [...problems.values()]
    .map((p) => {
      const rank = perColumn.get(p.header) ?? 0;
      perColumn.set(p.header, rank + 1);
      return { ...p, rank };
    })
    .sort((a, b) => a.rank - b.rank);
  const shown = distinct
    .slice(0, SHOWN_PROBLEMS)
    .map((p) => `${where(p)}${p.message}`)
    .join('；');
  const kinds = distinct.length > 1 ? `（${distinct.length} 类）` : '';
  const rest =
    distinct.length > SHOWN_PROBLEMS ? `；另有 ${distinct.length - SHOWN_PROBLEMS} 类问题见详细列表` : '';
  return new AppError(
    ErrorCode.BAD_USER_INPUT,
    `导入文件有 ${issues.length} 处问题${kinds}，未导入任何内容。${shown}${rest}`,
    { field: 'file', issues },
  );
}
