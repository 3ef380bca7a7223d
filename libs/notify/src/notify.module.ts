import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeliveryService } from './delivery.service';
import { NotificationChannelService } from './notification-channel.service';
import {
  DeliveryAttempt,
  Notification,
  NotificationChannel,
  NotificationDelivery,
} from './notification.entity';
import {
  NotificationChannelResolver,
  NotificationDeliveryResolver,
  NotificationResolver,
} from './notification.resolver';
import { NotificationService } from './notification.service';
import { NotificationStream } from './notification.stream';

@Module({
  imports: [
    TypeOrmModule.forFeature([Notification, NotificationChannel, NotificationDelivery, DeliveryAttempt]),
  ],
  providers: [
    NotificationService,
    NotificationChannelService,
    DeliveryService,
    NotificationStream,
    NotificationResolver,
    NotificationDeliveryResolver,
    NotificationChannelResolver,
  ],
  exports: [NotificationService, DeliveryService],
})
export class NotifyModule {}
