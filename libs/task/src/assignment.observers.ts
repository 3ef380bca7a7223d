import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Assignment } from './assignment.entity';

export enum AssignmentChangeKind {
  CREATED = 'CREATED',
  STATUS = 'STATUS',
  DUE = 'DUE',
  /** The unit answered (a progress report, a supervision notice's response): standing repeats stop. */
  ANSWERED = 'ANSWERED',
}

export interface AssignmentChange {
  assignment: Assignment;
  kind: AssignmentChangeKind;
}

/** Features that keep state derived from assignments (the deadline engine's ladders) follow changes here. */
export interface AssignmentObserver {
  assignmentsChanged(manager: EntityManager, changes: readonly AssignmentChange[]): Promise<void>;
}

/**
 * Tells observers of a change inside the transaction that makes it, so derived state can never disagree
 * with a committed change. Observers register themselves; the task feature does not know them.
 */
@Injectable()
export class AssignmentObservers {
  private readonly observers: AssignmentObserver[] = [];

  register(observer: AssignmentObserver): void {
    this.observers.push(observer);
  }

  async changed(manager: EntityManager, changes: readonly AssignmentChange[]): Promise<void> {
    if (!changes.length) return;
    for (const observer of this.observers) await observer.assignmentsChanged(manager, changes);
  }
}
