export * from './access.module';
export * from './access.policy';
export * from './notification-access';
