import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, transactional } from '@zhezi/core';
import { NotificationKind, NotificationService, type PendingDelivery } from '@zhezi/notify';
import { DueKind } from '@zhezi/plan';
import {
  Assignment,
  AssignmentChangeKind,
  AssignmentObservers,
  AssignmentRole,
  AssignmentStatus,
  type AssignmentChange,
  type AssignmentObserver,
} from '@zhezi/task';
import { Recipient } from './escalation-policy.entity';
import { LadderPlanner } from './escalation-planner';
import { EscalationSteps } from './escalation-steps';
import { EscalationOutcome, EscalationState } from './escalation.entity';
import { chineseDate } from './escalation.messages';
import { EscalationRepository, type DueSlot } from './escalation.repository';
import { recipientsOf } from './recipients';
import { SupervisionNoticeService } from './supervision-notice.service';

export interface DueEscalation {
  assignmentId: string;
  version: number;
  nextAt: Date;
}

export interface FiredEscalation {
  escalationId: string;
  assignmentId: string;
  plannedAt: Date;
  firedAt: Date;
}

/** What one firing transaction did: `next` holds the re-planned ladders, for the caller to queue. */
export interface FireBatch {
  scanned: number;
  fired: FiredEscalation[];
  deliveries: PendingDelivery[];
  next: DueEscalation[];
}

/**
 * What the worker runs, and the engine's reactions: each assignment's ladder kept in step with its changes (in
 * the same transaction), and firing exactly once per (assignment, cycle, level, occurrence).
 */
@Injectable()
export class EscalationEngine implements AssignmentObserver, OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly planner: LadderPlanner,
    private readonly steps: EscalationSteps,
    private readonly repository: EscalationRepository,
    private readonly notices: SupervisionNoticeService,
    private readonly notifications: NotificationService,
    private readonly observers: AssignmentObservers,
  ) {}

  onModuleInit(): void {
    this.observers.register(this);
  }

  async assignmentsChanged(manager: EntityManager, changes: readonly AssignmentChange[]): Promise<void> {
    const now = this.clock.now();
    const ladder = await this.planner.ladder();
    // New shares, however many, in a fixed number of statements: announced, and their ladders started.
    const created = changes.filter((c) => c.kind === AssignmentChangeKind.CREATED).map((c) => c.assignment);
    if (created.length) {
      await this.announce(manager, created);
      await this.planner.start(manager, ladder, created, now);
    }
    for (const { assignment, kind } of changes) {
      if (kind === AssignmentChangeKind.CREATED) continue;
      const state = await this.planner.lockState(manager, assignment.id);
      if (!state) {
        await this.planner.start(manager, ladder, [assignment], now);
        continue;
      }
      if (kind === AssignmentChangeKind.DUE) {
        // A new due date is a new ladder: its reminders count again, from now on.
        Object.assign(state, {
          cycle: state.cycle + 1,
          cycleStartedAt: now,
          lastLevel: null,
          lastOccurrence: null,
        });
        state.lastAcknowledged = false;
      }
      const accepted =
        kind === AssignmentChangeKind.STATUS && assignment.status === AssignmentStatus.ACCEPTED;
      if (kind === AssignmentChangeKind.ANSWERED || accepted) await this.acknowledge(manager, state, now);
      if (assignment.status === AssignmentStatus.CLOSED)
        await this.notices.closeForAssignment(manager, assignment.id);
      await this.planner.replan(manager, ladder, state, assignment, now);
    }
  }

  /** New shares on units' lists: each unit's officers and head hear of theirs (新交办), and its robots. */
  private async announce(manager: EntityManager, assignments: readonly Assignment[]): Promise<void> {
    const ids = assignments.map((a) => a.id);
    const facts = await this.repository.messageFacts(manager, ids);
    const wanted = [Recipient.UNIT_OFFICERS, Recipient.UNIT_HEAD];
    const recipients = await recipientsOf(manager, ids, wanted);
    await this.notifications.notifyMany(
      manager,
      assignments.map((assignment) => {
        const { title } = facts.get(assignment.id)!;
        return {
          userIds: recipients(assignment.id, wanted),
          unitIds: [assignment.orgUnitId],
          kind: NotificationKind.ASSIGNED,
          title: `【新交办】${title}`,
          body: `“${title}”已交办贵单位${assignment.role === AssignmentRole.LEAD ? '牵头' : '配合'}办理，完成时限${assignment.dueKind === DueKind.ONGOING ? '长期' : chineseDate(assignment.dueAt)}，请及时签收。`,
          subjectType: 'Assignment',
          subjectId: assignment.id,
          path: `/assignments/${assignment.id}`,
          dedupeKey: `assigned:${assignment.id}`,
        };
      }),
    );
  }

  private async acknowledge(manager: EntityManager, state: EscalationState, now: Date): Promise<void> {
    await this.repository.acknowledgeCycle(manager, state.assignmentId, state.cycle, now);
    state.lastAcknowledged = true;
  }

  /**
   * Fires, in one transaction, up to `limit` planned escalations due by `until` (never later than now), earliest
   * first, and re-plans their ladders. Ladders another transaction holds are skipped, so concurrent callers
   * share the work; the unique (assignment, cycle, level, occurrence) key makes a repeated step a no-op.
   */
  fireDue(until: Date, limit: number): Promise<FireBatch> {
    return transactional(
      this.dataSource,
      async (manager): Promise<FireBatch> => {
        const now = this.clock.now();
        const rows = await this.repository.dueLadders(manager, until, now, limit);
        if (!rows.length) return { scanned: 0, fired: [], deliveries: [], next: [] };
        const versions = await this.planner.versionsOf(manager, rows);
        const { written, deliveries } = await this.steps.write(
          manager,
          rows.map((r) => ({
            target: { id: r.assignment_id, taskId: r.task_id, orgUnitId: r.org_unit_id, dueAt: r.due_at },
            version: versions.get(r.policy_version_id)!,
            cycle: r.cycle,
            level: r.next_level,
            occurrence: r.next_occurrence ?? 0,
            plannedAt: r.next_at,
            outcome: EscalationOutcome.FIRED,
            by: null,
          })),
          now,
        );
        const ladder = await this.planner.ladder();
        const next = await this.repository.advance(
          manager,
          rows.map((r) => {
            const plan = this.planner.planOf(
              ladder,
              versions.get(r.policy_version_id)!,
              {
                cycleStartedAt: r.cycle_started_at,
                lastLevel: r.next_level,
                lastOccurrence: r.next_occurrence,
                lastAcknowledged: false,
              },
              { status: r.status, dueAt: r.due_at, dueKind: r.due_kind },
              now,
            );
            return {
              assignment_id: r.assignment_id,
              last_level: r.next_level,
              last_occurrence: r.next_occurrence,
              next_level: plan?.level ?? null,
              next_occurrence: plan?.occurrence ?? null,
              next_at: plan?.at.toISOString() ?? null,
            };
          }),
          now,
        );
        return {
          scanned: rows.length,
          fired: rows.flatMap((r) => {
            const escalationId = written.get(r.assignment_id);
            return escalationId
              ? [{ escalationId, assignmentId: r.assignment_id, plannedAt: r.next_at, firedAt: now }]
              : [];
          }),
          deliveries,
          next: next.flatMap((r) =>
            r.next_at ? [{ assignmentId: r.assignment_id, version: r.version, nextAt: r.next_at }] : [],
          ),
        };
      },
      { audited: false },
    );
  }

  /**
   * How many planned escalations come due before `until`, per slot of `slotMs` (each slot named by its end,
   * epoch ms). Anything already due falls in the current slot: a backlog is fired at once, not replayed.
   */
  dueSlots(until: Date, slotMs: number): Promise<DueSlot[]> {
    const current = Math.ceil(this.clock.now().getTime() / slotMs) * slotMs;
    return this.repository.dueSlots(until, slotMs, current);
  }

  async stateOf(assignmentId: string): Promise<DueEscalation | null> {
    const state = await this.dataSource.getRepository(EscalationState).findOneBy({ assignmentId });
    return state?.nextAt ? { assignmentId, version: state.version, nextAt: state.nextAt } : null;
  }
}
