import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '@zhezi/core';
import { UnitMergeHooks, type MergedShare } from '@zhezi/org';
import { Assignment } from './assignment.entity';
import { AssignmentChangeKind, AssignmentObservers } from './assignment.observers';
import { AssignmentStateService } from './assignment-state.service';
import { Task } from './task.entity';

/**
 * After a unit merge folded two shares of a task into one: the share's ladder follows its new state and due
 * date, and the task (and a split parent) re-derive their status and progress from the shares now there.
 */
@Injectable()
export class SettleTasksAfterMerge implements OnModuleInit {
  constructor(
    private readonly hooks: UnitMergeHooks,
    private readonly assignments: AssignmentStateService,
    private readonly observers: AssignmentObservers,
  ) {}

  onModuleInit(): void {
    this.hooks.register((manager, actor, shares) => this.settle(manager, actor, shares));
  }

  private async settle(manager: EntityManager, actor: Actor, shares: readonly MergedShare[]): Promise<void> {
    for (const share of shares) {
      const assignment = await manager.findOneByOrFail(Assignment, { id: share.assignmentId });
      const kind = share.dueChanged ? AssignmentChangeKind.DUE : AssignmentChangeKind.STATUS;
      await this.observers.changed(manager, [{ assignment, kind }]);
    }
    for (const taskId of [...new Set(shares.map((s) => s.taskId))].sort()) {
      const task = await manager.findOne(Task, {
        where: { id: taskId },
        lock: { mode: 'pessimistic_write' },
      });
      if (task) await this.assignments.settleTask(manager, actor, task);
    }
  }
}
