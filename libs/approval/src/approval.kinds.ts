import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '@zhezi/core';
import type { ApprovalKind } from './approval-flow.entity';
import type { ApprovalRequest, ApprovalStatus } from './approval-request.entity';

/** How a request ended: the last approval, a rejection, or the requester taking it back. */
export type ApprovalOutcome = ApprovalStatus.APPROVED | ApprovalStatus.REJECTED | ApprovalStatus.WITHDRAWN;

/** What a request is about, for the messages to its approvers and its requester. */
export interface RequestSubject {
  /** The task's title, or the plan's for a decomposition. */
  title: string;
  /** For an extension: the date asked for. */
  newDueAt?: Date;
  /**
   * Units whose history shows the request's events besides the requester's: for a share, its unit and the
   * department that split it off (as for the share's own events).
   */
  unitIds: string[];
}

/**
 * What the module owning a kind's subject does with its requests. Approval knows kinds, flows, steps and
 * decisions; the task module settles close-outs, extensions and adjustments, decomposition publishes a plan.
 */
export interface ApprovalKindHandler {
  describe(manager: EntityManager, request: ApprovalRequest): Promise<RequestSubject>;
  /** Runs in the transaction of the decision (or withdrawal) that ends the request. */
  settle(
    manager: EntityManager,
    actor: Actor,
    request: ApprovalRequest,
    outcome: ApprovalOutcome,
  ): Promise<void>;
}

@Injectable()
export class ApprovalKinds {
  private readonly handlers = new Map<ApprovalKind, ApprovalKindHandler>();

  register(kind: ApprovalKind, handler: ApprovalKindHandler): void {
    if (this.handlers.has(kind)) throw new Error(`${kind} approvals already have a handler`);
    this.handlers.set(kind, handler);
  }

  /** A request whose kind has no handler must not end with nothing done: it fails instead. */
  of(kind: ApprovalKind): ApprovalKindHandler {
    const handler = this.handlers.get(kind);
    if (!handler) throw new Error(`no handler registered for ${kind} approvals in this process`);
    return handler;
  }
}
