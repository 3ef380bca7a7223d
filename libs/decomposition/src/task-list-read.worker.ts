import { extname } from 'node:path';
import { serveFileWorker } from '@zhezi/core/files';
import { readDocxTaskList } from './task-list.docx';
import { importFailed, type TaskListReadJob } from './task-list-file';
import { readTaskList, TaskListFileError } from './task-list.xlsx';

// Runs in a worker thread started by readTaskListFile.
serveFileWorker(async ({ fileName, data, maxRows, limits }: TaskListReadJob) => {
  try {
    if (extname(fileName).toLowerCase() === '.docx') {
      const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      return readDocxTaskList(buffer, limits, fileName, maxRows);
    }
    return await readTaskList(data, { maxRows, limits });
  } catch (error) {
    if (error instanceof TaskListFileError) throw importFailed(error.issues);
    throw error;
  }
});
