export * from './outbox-event.entity';
export * from './outbox.module';
export * from './outbox.service';
export * from './outbox.relay';
