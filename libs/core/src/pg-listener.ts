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
  /** The channels LISTENed on `client`: what is said on them now reaches their handlers. */
  private heard = new Set<string>();
  private connectedBefore = false;
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
    const client = this.client;
    await client?.query(`LISTEN "${channel}"`);
    if (client && this.client === client) this.heard.add(channel);
  }

  /** False before the channel's first LISTEN and from a lost connection until the reconnection's LISTEN. */
  isListening(channel: string): boolean {
    return this.heard.has(channel);
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
      this.heard = new Set();
      void client.end().catch(() => undefined);
      setTimeout(() => void this.reopen(), RECONNECT_MS);
    });
    await client.connect();
    const channels = [...this.channels.keys()];
    for (const channel of channels) await client.query(`LISTEN "${channel}"`);
    // Before the channels count as heard again, so that no one serves what was said while they were not.
    if (this.connectedBefore) for (const { onReconnect } of this.channels.values()) onReconnect?.();
    this.client = client;
    this.heard = new Set(channels);
    this.connectedBefore = true;
  }

  private async reopen(): Promise<void> {
    try {
      await this.connect();
    } catch {
      if (!this.closed) setTimeout(() => void this.reopen(), RECONNECT_MS);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.heard = new Set();
    await this.client?.end().catch(() => undefined);
  }
}
