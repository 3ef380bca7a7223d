import { serveFileWorker } from '@zhezi/core/files';
import { importFailed, type TaskListReadJob } from './task-list-file';
import { readTaskList, TaskListFileError } from './task-list.xlsx';

// Runs in a worker thread started by readTaskListFile.
serveFileWorker(async ({ data, maxRows, limits }: TaskListReadJob) => {
  try {
    return await readTaskList(data, { maxRows, limits });
  } catch (error) {
    if (error instanceof TaskListFileError) throw importFailed(error.issues);
    throw error;
  }
});
