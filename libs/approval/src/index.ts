export * from './approval-flow.entity';
export * from './approval-request.entity';
export * from './approval.effects';
export * from './approval.module';
export * from './approval.service';
