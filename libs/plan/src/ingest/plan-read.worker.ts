import { serveFileWorker } from '@zhezi/core/files';
import { documentText } from './document-text';
import type { PlanReadJob } from './plan-file';
import { readPlan } from './plan-read';

// Runs in a worker thread started by readPlanFile.
serveFileWorker(async ({ fileName, data, options, limits }: PlanReadJob) => {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return readPlan({ ...options, text: await documentText(fileName, buffer, limits) });
});
