export * from './channels/channel.types';
export * from './channels/webhook.channel';
export * from './delivery.service';
export * from './notification.entity';
export * from './notification.service';
export * from './notify.module';
