import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, type AppConfig } from './config';

const RECONNECT_MS = 1000;

type Handler = (payload: string) => void;

/**
 * PostgreSQL LISTEN on one connection per process, opened when the first channel is wanted. NOTIFY is
 * delivered on commit, so whatever a handler hears was really written, by this process or any other.
 * After a lost connection it reconnects and calls each channel's `onReconnect`: what was said meanwhile is gone.
 */
@Injectable()
export class PgListener implements OnModuleDestroy {
  private readonly logger = new Logger('PgListener');
  private readonly channels = new Map<string, { handlers: Handler[]; onReconnect?: () => void }>();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async listen(channel: string, handler: Handler, onReconnect?: () => void): Promise<void> {
    const entry = this.channels.get(channel);
    if (entry) {
      entry.handlers.push(handler);
      return;
    }
    this.channels.set(channel, { handlers: [handler], onReconnect });
    await this.connect();
    await this.client?.query(`LISTEN "${channel}"`);
  }

  private connect(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.open().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl });
    client.on('notification', (message) => {
      for (const handler of this.channels.get(message.channel)?.handlers ?? [])
        handler(message.payload ?? '');
    });
    client.on('error', (error) => {
      if (this.client !== client) return;
      this.logger.warn(`listener lost (${error.message}); reconnecting`);
      this.client = null;
      void client.end().catch(() => undefined);
      setTimeout(() => void this.reopen(), RECONNECT_MS);
    });
    await client.connect();
    for (const channel of this.channels.keys()) await client.query(`LISTEN "${channel}"`);
    this.client = client;
  }

  private async reopen(): Promise<void> {
    try {
      await this.connect();
      for (const { onReconnect } of this.channels.values()) onReconnect?.();
    } catch {
      if (!this.closed) setTimeout(() => void this.reopen(), RECONNECT_MS);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }
}
