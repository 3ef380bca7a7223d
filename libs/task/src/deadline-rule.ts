import { badInput } from '@zhezi/core';

/** A share's or a milestone's date, with the input field it came from. */
export interface DatedItem {
  dueAt: Date;
  field: string;
  /** The milestone's title; absent for a share. */
  milestone?: string;
}

/**
 * The one deadline rule: nothing under a task (a share, a part of a split share, a milestone) ends after the
 * deadline above it — the task's, or the splitting department's for a part. Checked when a task is created or
 * adjusted, a share split, a draft edited, and again when an approved adjustment is applied.
 */
export function checkWithinDeadline(
  items: readonly DatedItem[],
  limit: Date,
  limitName = '任务完成时限',
): void {
  for (const item of items) {
    if (item.dueAt <= limit) continue;
    throw badInput(
      item.milestone === undefined ? `${item.field}.dueAt` : item.field,
      item.milestone === undefined
        ? `完成时限不能晚于${limitName}`
        : `时间节点“${item.milestone}”晚于${limitName}`,
    );
  }
}

/** Milestones as dated items, `milestones.<i>.dueAt` each. */
export const datedMilestones = (milestones: readonly { title: string; dueAt: Date }[]): DatedItem[] =>
  milestones.map((m, i) => ({ dueAt: m.dueAt, field: `milestones.${i}.dueAt`, milestone: m.title }));

/** A share's (or a part's) due date: its own, never after the limit above it, else the limit itself. */
export function dueWithin(unit: { dueAt?: Date; field: string }, limit: Date, limitName: string): Date {
  const dueAt = unit.dueAt ?? limit;
  checkWithinDeadline([{ dueAt, field: unit.field }], limit, limitName);
  return dueAt;
}
