import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '@zhezi/core';
import type { ApprovalKind } from './approval-flow.entity';
import type { ApprovalRequest } from './approval-request.entity';

/** What a kind's final approval does, inside the transaction of that decision. */
export type ApprovalEffect = (
  manager: EntityManager,
  actor: Actor,
  request: ApprovalRequest,
) => Promise<void>;

/**
 * Effects that live in modules built on top of approvals (a decomposition publishes a plan's tasks) register
 * here, so the approval module does not depend on them.
 */
@Injectable()
export class ApprovalEffects {
  private readonly effects = new Map<ApprovalKind, ApprovalEffect>();

  register(kind: ApprovalKind, effect: ApprovalEffect): void {
    if (this.effects.has(kind)) throw new Error(`an effect for ${kind} approvals is already registered`);
    this.effects.set(kind, effect);
  }

  /** An approval whose effect is missing must not end as APPROVED with nothing done: it fails instead. */
  async apply(manager: EntityManager, actor: Actor, request: ApprovalRequest): Promise<void> {
    const effect = this.effects.get(request.kind);
    if (!effect) throw new Error(`no effect registered for ${request.kind} approvals in this process`);
    await effect(manager, actor, request);
  }
}
