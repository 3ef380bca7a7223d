import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '@zhezi/core';

/** A share that absorbed another unit's share of the same task in a merge. */
export interface MergedShare {
  taskId: string;
  assignmentId: string;
  /** The merged share took the other share's (earlier) due date: its ladder starts a new cycle. */
  dueChanged: boolean;
}

export type SharesMergedHook = (
  manager: EntityManager,
  actor: Actor,
  shares: readonly MergedShare[],
) => Promise<void>;

/**
 * Features that derive state from shares (the task's status and progress, the deadline ladders) follow a merge
 * here, inside its transaction; the org feature does not know them.
 */
@Injectable()
export class UnitMergeHooks {
  private readonly hooks: SharesMergedHook[] = [];

  register(hook: SharesMergedHook): void {
    this.hooks.push(hook);
  }

  async sharesMerged(manager: EntityManager, actor: Actor, shares: readonly MergedShare[]): Promise<void> {
    if (!shares.length) return;
    for (const hook of this.hooks) await hook(manager, actor, shares);
  }
}
