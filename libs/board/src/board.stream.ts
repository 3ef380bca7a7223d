import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';
import { Clock, PgListener } from '@zhezi/core';
import type { BoardChange } from './board.types';

/** PostgreSQL announces every plan whose figures a committed change touched (the boards' triggers). */
export const BOARD_CHANNEL = 'zhezi_board';

/** A burst of changes (a batch of escalations, an import) reaches an open board as one message per this. */
const DEBOUNCE_MS = 1000;

/** Live "your figures changed" for open boards, one message per plan per second at most. */
@Injectable()
export class BoardStream implements OnModuleDestroy {
  private readonly pubsub = new PubSub<Record<string, BoardChange>>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private listening: Promise<void> | null = null;

  constructor(
    private readonly listener: PgListener,
    private readonly clock: Clock,
  ) {}

  /** Changes of one plan, or of every plan when `planId` is null. */
  async subscribe(planId: string | null): Promise<AsyncIterableIterator<BoardChange>> {
    this.listening ??= this.listener
      .listen(BOARD_CHANNEL, (payload) => this.changed(payload))
      .catch((error: unknown) => {
        this.listening = null;
        throw error;
      });
    await this.listening;
    return this.pubsub.asyncIterableIterator(planId ? `plan:${planId}` : 'plan:*');
  }

  private changed(planId: string): void {
    if (this.pending.has(planId)) return;
    this.pending.set(
      planId,
      setTimeout(() => {
        this.pending.delete(planId);
        const change = { planId, at: this.clock.now() };
        void this.pubsub.publish(`plan:${planId}`, change);
        void this.pubsub.publish('plan:*', change);
      }, DEBOUNCE_MS),
    );
  }

  onModuleDestroy(): void {
    this.pending.forEach((timer) => clearTimeout(timer));
    this.pending.clear();
  }
}
