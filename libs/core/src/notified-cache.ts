import { Logger } from '@nestjs/common';
import { BoundedMap } from './bounded-map';
import type { Clock } from './clock';
import type { PgListener } from './pg-listener';

export interface NotifiedCacheOptions {
  /** Said on commit of every change to a row, with the row's id (a trigger's NOTIFY). */
  channel: string;
  limit: number;
  /** A backstop only: a change is heard within milliseconds, unless the listener's connection dies unnoticed. */
  maxAgeMs: number;
}

/**
 * Rows this process has read, held in memory while PostgreSQL tells every change to them: a trigger says the
 * row's id on the channel when the change commits, and every process evicts it. While the channel cannot be heard
 * (not yet listening, or reconnecting) every read goes to the database, and on reconnection all is forgotten,
 * since what was said meanwhile is lost. The values are shared between requests: callers must not change them.
 */
export class NotifiedCache<V> {
  private readonly logger: Logger;
  private readonly entries: BoundedMap<string, { value: V; storedAt: number }>;
  /** Moved by every eviction: a read that started before one may hold what it evicted. */
  private generation = 0;

  constructor(
    private readonly listener: PgListener,
    private readonly clock: Clock,
    private readonly options: NotifiedCacheOptions,
  ) {
    this.logger = new Logger(`NotifiedCache ${options.channel}`);
    this.entries = new BoundedMap(options.limit);
  }

  /** Starts listening; until then, and if that fails, every read goes to the database. */
  async listen(): Promise<void> {
    await this.listener
      .listen(
        this.options.channel,
        (id) => this.evict(id),
        () => this.clear(),
      )
      .catch((error: Error) => this.logger.warn(`not listening (${error.message}); rows read every time`));
  }

  /**
   * The rows of `ids` that `read` finds (it answers those it finds, by id), from memory where they can be
   * trusted; a row it does not find is asked for again next time.
   */
  async getMany(
    ids: readonly string[],
    read: (ids: string[]) => Promise<Map<string, V>>,
  ): Promise<Map<string, V>> {
    if (!this.listener.isListening(this.options.channel)) return read([...ids]);
    const now = this.clock.now().getTime();
    const found = new Map<string, V>();
    const missing: string[] = [];
    for (const id of ids) {
      const hit = this.entries.get(id);
      if (hit && now - hit.storedAt < this.options.maxAgeMs) found.set(id, hit.value);
      else missing.push(id);
    }
    if (!missing.length) return found;
    const generation = this.generation;
    const rows = await read(missing);
    const keep = generation === this.generation && this.listener.isListening(this.options.channel);
    for (const [id, value] of rows) {
      found.set(id, value);
      if (keep) this.entries.set(id, { value, storedAt: now });
    }
    return found;
  }

  /** Also called by this process's own changes right after commit: its next request must not wait for NOTIFY. */
  evict(id: string): void {
    this.generation++;
    this.entries.delete(id);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
