import { badInput, Role, type Actor } from '@zhezi/core';
import type { User } from '@zhezi/org';
import { DueKind, Recurrence, type Plan, type Target } from '@zhezi/plan';
import type { Task } from './task.entity';
import type { CreateTaskInput } from './task.types';

/** The columns a new task is written with, whether made by hand or published in a set. */
export function newTaskFields(
  actor: Actor,
  input: CreateTaskInput,
  plan: Pick<Plan, 'id' | 'periodEnd'>,
  target: Target | null,
  code: string,
): Partial<Task> {
  return {
    planId: plan.id,
    targetId: target?.id ?? null,
    code,
    title: input.title,
    description: input.description ?? '',
    responsibleLeaderId: input.responsibleLeaderId ?? null,
    // Without a date of its own a task is due when its target is, else at the end of the plan.
    dueAt: input.dueAt ?? target?.dueAt ?? plan.periodEnd,
    dueKind: input.dueKind ?? DueKind.DATE,
    recurrence: input.dueKind === DueKind.RECURRING ? (input.recurrence ?? Recurrence.YEARLY) : null,
    priority: input.priority,
    escalationPolicyId: input.escalationPolicyId ?? null,
    createdById: actor.userId,
  };
}

/** A task's target must be one of its plan's. */
export function checkTarget(target: Target | null | undefined, planId: string): Target {
  if (!target || target.planId !== planId) throw badInput('targetId', '目标节点不存在或不属于该规划');
  return target;
}

/** A responsible leader is an active district leader (`user` as found among active users). */
export function checkLeader(user: User | null | undefined): void {
  if (!user || user.role !== Role.LEADER) throw badInput('responsibleLeaderId', '责任领导须为区领导账号');
}

export const codeTaken = (code: string) => badInput('code', `序号“${code}”在该规划中已被使用`);
