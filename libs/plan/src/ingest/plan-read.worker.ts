import { serveFileWorker } from '@zhezi/core';
import { documentText } from './document-text';
import type { PlanReadJob } from './plan-file';
import { readPlan } from './plan-ingest.service';

// Runs in a worker thread started by readPlanFile.
serveFileWorker(async ({ fileName, data, options, limits }: PlanReadJob) => {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return readPlan({ ...options, text: await documentText(fileName, buffer, limits) });
});
