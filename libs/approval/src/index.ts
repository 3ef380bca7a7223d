export * from './approval-flow.entity';
export * from './approval-request.entity';
export * from './approval.kinds';
export * from './approval.messages';
export * from './approval.module';
export * from './approval.service';
export * from './approval-read.service';
