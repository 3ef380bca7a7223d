import type { INestApplicationContext } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '@zhezi/core';
import { newTaskOf, type DraftTask } from '@zhezi/decomposition';
import { AssignmentService, AssignmentStateService, TaskService } from '@zhezi/task';

/**
 * Publishes drafts as DecompositionService.publish did before it wrote in sets: each draft through the
 * services that create one task by hand (task, milestones, shares with their audit events and observers,
 * the task settled), then the drafts saved. The yardstick the set-based publication is compared with
 * (test/decomposition-publish.e2e.spec.ts) and measured against (`npm run bench:decomposition`).
 */
export async function publishRowByRow(
  app: INestApplicationContext,
  manager: EntityManager,
  actor: Actor,
  drafts: DraftTask[],
): Promise<void> {
  const tasks = app.get(TaskService);
  const assignments = app.get(AssignmentService);
  const state = app.get(AssignmentStateService);
  for (const draft of drafts) {
    const { input, shares } = newTaskOf(draft);
    const task = await tasks.createWithin(manager, actor, input);
    const units = await assignments.checkNewShares(manager, task, shares);
    await assignments.createShares(manager, actor, task, shares, units);
    await state.settleTask(manager, actor, task);
    draft.taskId = task.id;
  }
  await manager.save(drafts);
}
