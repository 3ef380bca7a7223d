import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@zhezi/core';
import { DueKind } from '@zhezi/plan';
import { Assignment, AssignmentStatus } from '@zhezi/task';
import { EscalationLadder, type LadderPlan } from './escalation-ladder';
import type { EscalationPolicyVersion } from './escalation-policy.entity';
import { EscalationPolicyService } from './escalation-policy.service';
import { EscalationState } from './escalation.entity';
import { EscalationRepository } from './escalation.repository';
import { WorkCalendarService } from './work-calendar.service';

/** Only these stop the ladder: a closed share has nothing left to chase, a suspended one is on hold. */
export const LADDER_STOPPED: ReadonlySet<AssignmentStatus> = new Set([
  AssignmentStatus.CLOSED,
  AssignmentStatus.SUSPENDED,
]);

/** The ladder history a plan is derived from. */
export type LadderHistory = Pick<
  EscalationState,
  'cycleStartedAt' | 'lastLevel' | 'lastOccurrence' | 'lastAcknowledged'
>;

/**
 * Plans each share's ladder: the next step from its policy version, deadline and history on the working-day
 * calendar. Shared by the engine (reactions, firing), the reconciliation and the inspectorate's operations.
 */
@Injectable()
export class LadderPlanner {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly calendars: WorkCalendarService,
    private readonly policies: EscalationPolicyService,
    private readonly repository: EscalationRepository,
  ) {}

  async ladder(): Promise<EscalationLadder> {
    return new EscalationLadder(await this.calendars.current(), this.config.deadlines.fireTime);
  }

  planOf(
    ladder: EscalationLadder,
    version: EscalationPolicyVersion,
    history: LadderHistory,
    assignment: Pick<Assignment, 'status' | 'dueAt' | 'dueKind'>,
    now: Date,
  ): LadderPlan | null {
    if (LADDER_STOPPED.has(assignment.status)) return null;
    // An ongoing duty (长期坚持) has no date to climb a ladder from: it is chased by its reports only.
    if (assignment.dueKind === DueKind.ONGOING) return null;
    return ladder.next({
      levels: version.levels,
      dueAt: assignment.dueAt,
      cycleStartedAt: history.cycleStartedAt,
      last:
        history.lastLevel === null
          ? null
          : {
              level: history.lastLevel,
              occurrence: history.lastOccurrence ?? 0,
              acknowledged: history.lastAcknowledged,
            },
      now,
    });
  }

  /** Applies a plan; bumps the version only when it differs, so unchanged plans keep their queued job. */
  setPlan(state: EscalationState, plan: LadderPlan | null): boolean {
    const same =
      state.nextLevel === (plan?.level ?? null) &&
      state.nextOccurrence === (plan?.occurrence ?? null) &&
      (state.nextAt?.getTime() ?? null) === (plan?.at.getTime() ?? null);
    if (same) return false;
    state.nextLevel = plan?.level ?? null;
    state.nextOccurrence = plan?.occurrence ?? null;
    state.nextAt = plan?.at ?? null;
    state.version += 1;
    return true;
  }

  lockState(manager: EntityManager, assignmentId: string): Promise<EscalationState | null> {
    return manager.findOne(EscalationState, { where: { assignmentId }, lock: { mode: 'pessimistic_write' } });
  }

  /** New shares' ladders, each on its task's policy, planned from now; in one statement however many. */
  async start(
    manager: EntityManager,
    ladder: EscalationLadder,
    assignments: readonly Assignment[],
    now: Date,
  ): Promise<void> {
    const versions = await this.policies.currentVersionsFor(
      manager,
      assignments.map((a) => a.taskId),
    );
    const ladders = assignments.map((assignment) => {
      const version = versions.get(assignment.taskId)!;
      const state = manager.create(EscalationState, {
        assignmentId: assignment.id,
        policyVersionId: version.id,
        cycle: 0,
        cycleStartedAt: now,
        lastLevel: null,
        lastOccurrence: null,
        lastAcknowledged: false,
        nextLevel: null,
        nextOccurrence: null,
        nextAt: null,
        version: 1,
        updatedAt: now,
      });
      this.setPlan(state, this.planOf(ladder, version, state, assignment, now));
      return {
        assignment_id: state.assignmentId,
        policy_version_id: state.policyVersionId,
        cycle_started_at: now.toISOString(),
        next_level: state.nextLevel,
        next_occurrence: state.nextOccurrence,
        next_at: state.nextAt?.toISOString() ?? null,
        version: state.version,
      };
    });
    await this.repository.insertLadders(ladders, now, manager);
  }

  async replan(
    manager: EntityManager,
    ladder: EscalationLadder,
    state: EscalationState,
    assignment: Assignment,
    now: Date,
  ): Promise<void> {
    const version = await this.policies.version(manager, state.policyVersionId);
    this.setPlan(state, this.planOf(ladder, version, state, assignment, now));
    state.updatedAt = now;
    await manager.save(state);
  }

  async replanMany(manager: EntityManager, ids: readonly string[], now: Date): Promise<void> {
    const ladder = await this.ladder();
    for (const id of ids) {
      const state = await this.lockState(manager, id);
      const assignment = await manager.findOneByOrFail(Assignment, { id });
      if (state) await this.replan(manager, ladder, state, assignment, now);
    }
  }

  /** The policy versions the rows name, each read once. */
  async versionsOf(
    manager: EntityManager,
    rows: readonly { policy_version_id: string }[],
  ): Promise<Map<string, EscalationPolicyVersion>> {
    const versions = new Map<string, EscalationPolicyVersion>();
    for (const id of new Set(rows.map((r) => r.policy_version_id))) {
      versions.set(id, await this.policies.version(manager, id));
    }
    return versions;
  }
}
