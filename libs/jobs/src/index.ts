export * from './job-handler';
export * from './jobs';
export * from './redis';
