import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@zhezi/core';
import type { EscalationLadder } from './escalation-ladder';
import { LadderPlanner } from './escalation-planner';
import { EscalationRepository, type GroupPlan, type GroupStart } from './escalation.repository';

export interface ReconcileReport {
  scanned: number;
  created: number;
  changed: number;
  ms: number;
}

/**
 * Re-derives every open assignment's plan from its due date, policy version and ladder history, and starts
 * the ladder of any assignment that has none (rows written outside the service). A plan is a pure function of
 * its inputs, so the database groups ladders by their inputs and each distinct set is planned once (many shares
 * have the same deadline and history); groups whose plan differs are updated by their key, so a ladder a
 * transaction re-planned meanwhile (its inputs moved) is left to that transaction.
 */
@Injectable()
export class EscalationReconciler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly planner: LadderPlanner,
    private readonly repository: EscalationRepository,
  ) {}

  async reconcile(): Promise<ReconcileReport> {
    const started = performance.now();
    const now = this.clock.now();
    const ladder = await this.planner.ladder();
    // Two scans at once, each on its own connection: ladders to start, and the inputs of the others.
    const [created, { scanned, changed }] = await Promise.all([
      this.startMissing(ladder, now),
      this.replanAll(ladder, now),
    ]);
    return { scanned: scanned + created, created, changed, ms: Math.round(performance.now() - started) };
  }

  private async replanAll(
    ladder: EscalationLadder,
    now: Date,
  ): Promise<{ scanned: number; changed: number }> {
    const groups = await this.repository.ladderGroups();
    const versions = await this.planner.versionsOf(this.dataSource.manager, groups);
    const plans: GroupPlan[] = [];
    for (const group of groups) {
      const plan = this.planner.planOf(
        ladder,
        versions.get(group.policy_version_id)!,
        {
          cycleStartedAt: new Date(group.cycle_ms),
          lastLevel: group.last_level,
          lastOccurrence: group.last_occurrence,
          lastAcknowledged: group.last_acknowledged,
        },
        { status: group.status, dueAt: new Date(group.due_ms), dueKind: group.due_kind },
        now,
      );
      const same =
        group.next_level === (plan?.level ?? null) &&
        group.next_occurrence === (plan?.occurrence ?? null) &&
        group.next_ms === (plan?.at.getTime() ?? null);
      if (!same)
        plans.push({
          key: group.key,
          next_level: plan?.level ?? null,
          next_occurrence: plan?.occurrence ?? null,
          next_at: plan?.at.toISOString() ?? null,
        });
    }
    const scanned = groups.reduce((sum, g) => sum + g.n, 0);
    return { scanned, changed: plans.length ? await this.repository.planGroups(plans, now) : 0 };
  }

  /**
   * Starts the ladders of open assignments that have none. Their first plan depends on their creation time only
   * through the level times before it, so each group is planned once per range between those times and the
   * ladders are written in one statement.
   */
  private async startMissing(ladder: EscalationLadder, now: Date): Promise<number> {
    const groups = await this.repository.startGroups();
    if (!groups.length) return 0;
    const versions = await this.planner.versionsOf(this.dataSource.manager, groups);
    const starts: GroupStart[] = [];
    for (const group of groups) {
      const version = versions.get(group.policy_version_id)!;
      const dueAt = new Date(group.due_ms);
      for (const range of ladder.cycleStartRanges(version.levels, dueAt)) {
        const history = {
          cycleStartedAt: range.startedAt,
          lastLevel: null,
          lastOccurrence: null,
          lastAcknowledged: false,
        };
        const plan = this.planner.planOf(
          ladder,
          version,
          history,
          { status: group.status, dueAt, dueKind: group.due_kind },
          now,
        );
        starts.push({
          key: group.key,
          after: range.after?.toISOString() ?? null,
          up_to: range.upTo?.toISOString() ?? null,
          next_level: plan?.level ?? null,
          next_occurrence: plan?.occurrence ?? null,
          next_at: plan?.at.toISOString() ?? null,
        });
      }
    }
    return this.repository.startLadders(starts, now);
  }
}
