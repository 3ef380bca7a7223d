import { Injectable } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';
import { DataSource } from 'typeorm';
import { PgListener } from '@zhezi/core';
import { Notification } from './notification.entity';
import { NOTIFICATION_CHANNEL } from './notification.service';

/**
 * Live notifications for GraphQL subscriptions. Whichever process writes a notification (API or worker),
 * PostgreSQL announces it on commit; the first subscriber makes this process listen.
 */
@Injectable()
export class NotificationStream {
  private readonly pubsub = new PubSub<Record<string, Notification>>();
  private listening: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly listener: PgListener,
  ) {}

  async subscribe(userId: string): Promise<AsyncIterableIterator<Notification>> {
    this.listening ??= this.listener
      .listen(NOTIFICATION_CHANNEL, (payload) => void this.forward(payload))
      .catch((error: unknown) => {
        this.listening = null;
        throw error;
      });
    await this.listening;
    return this.pubsub.asyncIterableIterator(`user:${userId}`);
  }

  private async forward(payload: string): Promise<void> {
    const [userId, id] = payload.split(':');
    const notification = await this.dataSource.getRepository(Notification).findOneBy({ id });
    if (notification) await this.pubsub.publish(`user:${userId}`, notification);
  }
}
