// What reading an uploaded file needs, without Nest or TypeORM: the worker threads that read plan documents and
// task tables load only this, so they start in a fraction of the time the whole of @zhezi/core takes.
export * from './errors';
export * from './file-worker';
export * from './zip-guard';
export { DEFAULT_FILE_LIMITS, type FileLimits } from './config';
