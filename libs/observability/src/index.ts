export * from './health.service';
export * from './logging';
export * from './metrics';
export * from './metrics-access';
export * from './observability.module';
export * from './http-metrics.middleware';
export * from './ops-endpoints';
