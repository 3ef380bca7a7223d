import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@zhezi/core';
import { Notification } from './notification.entity';
import { NOTIFICATION_CHANNEL } from './notification.service';

const RECONNECT_MS = 1000;

/**
 * Live notifications for GraphQL subscriptions. Whichever process writes a notification (API or worker),
 * PostgreSQL announces it on commit; this listens on one connection, opened when the first subscriber
 * arrives, and reconnects if the database goes away.
 */
@Injectable()
export class NotificationStream implements OnModuleDestroy {
  private readonly logger = new Logger('NotificationStream');
  private readonly pubsub = new PubSub<Record<string, Notification>>();
  private client: Client | null = null;
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async subscribe(userId: string): Promise<AsyncIterableIterator<Notification>> {
    await this.listen();
    return this.pubsub.asyncIterableIterator(`user:${userId}`);
  }

  private async listen(): Promise<void> {
    if (this.client || this.closed) return;
    const client = new Client({ connectionString: this.config.databaseUrl });
    this.client = client;
    client.on('notification', (message) => void this.forward(message.payload ?? ''));
    client.on('error', (error) => {
      this.logger.warn(`listener lost (${error.message}); reconnecting`);
      this.client = null;
      void client.end().catch(() => undefined);
      setTimeout(() => void this.listen().catch(() => undefined), RECONNECT_MS);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFICATION_CHANNEL}`);
    } catch (error) {
      this.client = null;
      throw error;
    }
  }

  private async forward(payload: string): Promise<void> {
    const [userId, id] = payload.split(':');
    const notification = await this.dataSource.getRepository(Notification).findOneBy({ id });
    if (notification) await this.pubsub.publish(`user:${userId}`, notification);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }
}
