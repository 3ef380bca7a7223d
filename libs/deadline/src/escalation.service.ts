import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { AccessPolicy } from '@zhezi/access';
import { AuditService } from '@zhezi/audit';
import {
  byKey,
  Clock,
  conflict,
  forbidden,
  notFound,
  requestLoader,
  rowsByLoader,
  transactional,
  type Actor,
  type RequestContext,
} from '@zhezi/core';
import {
  Assignment,
  AssignmentChangeKind,
  AssignmentObservers,
  AssignmentStateService,
  takersFor,
  Taker,
} from '@zhezi/task';
import { LADDER_STOPPED, LadderPlanner } from './escalation-planner';
import type { EscalationLevel, EscalationPolicyVersion } from './escalation-policy.entity';
import type { EscalationLadder } from './escalation-ladder';
import { EscalationPolicyService } from './escalation-policy.service';
import { EscalationSteps } from './escalation-steps';
import { Escalation, EscalationOutcome, EscalationState } from './escalation.entity';
import { EscalationRepository } from './escalation.repository';

/**
 * What the API serves of the deadline engine: the 督查室's 立即升级 / 跳过, a unit's 签收 of a reminder, moving
 * ladders to a policy's new version, and the ladder fields of an assignment. The worker's side (reactions,
 * firing, reconciliation) is EscalationEngine and EscalationReconciler.
 */
@Injectable()
export class EscalationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly planner: LadderPlanner,
    private readonly steps: EscalationSteps,
    private readonly repository: EscalationRepository,
    private readonly policies: EscalationPolicyService,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly assignments: AssignmentStateService,
    private readonly observers: AssignmentObservers,
  ) {}

  /** An inspector climbs to the next level now, or passes over it; either way with a reason, audited. */
  intervene(
    actor: Actor,
    assignmentId: string,
    reason: string,
    outcome: EscalationOutcome,
  ): Promise<Escalation> {
    return transactional(this.dataSource, async (manager) => {
      const assignment = await manager.findOneBy(Assignment, { id: assignmentId });
      if (!assignment) throw notFound('分工', assignmentId);
      const state = await this.planner.lockState(manager, assignmentId);
      if (!state || LADDER_STOPPED.has(assignment.status)) {
        throw conflict('该分工已销号或暂停，督办流程未在进行', { currentStatus: assignment.status });
      }
      const ladder = await this.planner.ladder();
      const version = await this.policies.version(manager, state.policyVersionId);
      const now = this.clock.now();
      const level = byHand(ladder, version, state, assignment, now);
      if (level === null) throw conflict('督办流程已到最后一级');
      const { written } = await this.steps.write(
        manager,
        [
          {
            target: assignment,
            version,
            cycle: state.cycle,
            level,
            occurrence: 0,
            plannedAt: ladder.levelAt(version.levels[level], assignment.dueAt),
            outcome,
            by: { actor, reason },
          },
        ],
        now,
      );
      const escalationId = written.get(assignment.id);
      if (!escalationId) throw conflict('该级已发出，请刷新后重试');
      Object.assign(state, { lastLevel: level, lastOccurrence: 0, lastAcknowledged: false });
      await this.planner.replan(manager, ladder, state, assignment, now);
      await this.audit.record(manager, actor, {
        action: outcome === EscalationOutcome.FIRED ? 'escalation.escalate_now' : 'escalation.skip',
        entityType: 'Assignment',
        entityId: assignment.id,
        taskId: assignment.taskId,
        unitIds: await this.assignments.unitIdsOf(manager, assignment),
        after: { level, action: version.levels[level].action, reason },
      });
      return manager.findOneByOrFail(Escalation, { id: escalationId });
    });
  }

  /** The unit signs for a reminder or urge (签收): its repeats stop. */
  acknowledgeEscalation(actor: Actor, escalationId: string): Promise<Escalation> {
    return transactional(this.dataSource, async (manager) => {
      const escalation = await manager.findOneBy(Escalation, { id: escalationId });
      if (!escalation) throw notFound('督办记录', escalationId);
      const assignment = await manager.findOneByOrFail(Assignment, { id: escalation.assignmentId });
      if (!takersFor(actor, assignment.orgUnitId).includes(Taker.UNIT))
        throw forbidden('只有承办单位可以签收');
      if (!escalation.acknowledgedAt) {
        await this.observers.changed(manager, [{ assignment, kind: AssignmentChangeKind.ANSWERED }]);
        await this.audit.record(manager, actor, {
          action: 'escalation.acknowledge',
          entityType: 'Escalation',
          entityId: escalation.id,
          taskId: assignment.taskId,
          unitIds: await this.assignments.unitIdsOf(manager, assignment),
          after: { action: escalation.action, level: escalation.level },
        });
      }
      return manager.findOneByOrFail(Escalation, { id: escalationId });
    });
  }

  /** Moves live assignments of a policy's older versions onto its current one: a new cycle from now. */
  migratePolicy(actor: Actor, policyId: string): Promise<number> {
    return transactional(this.dataSource, async (manager) => {
      const policy = await this.policies.get(policyId);
      const versionId = await this.repository.versionId(manager, policyId, policy.currentVersion);
      const now = this.clock.now();
      const ids = await this.repository.moveToVersion(manager, policyId, versionId, now);
      await this.planner.replanMany(manager, ids, now);
      await this.audit.record(manager, actor, {
        action: 'escalationPolicy.migrate',
        entityType: 'EscalationPolicy',
        entityId: policyId,
        after: { toVersion: policy.currentVersion, assignments: ids.length },
      });
      return ids.length;
    });
  }

  /** The level 立即升级 or 跳过 would take now, for the board to offer them; null when there is none. */
  async levelByHand(assignment: Assignment, ctx: RequestContext): Promise<EscalationLevel | null> {
    const state = await this.stateLoader(ctx).load(assignment.id);
    if (!state || LADDER_STOPPED.has(assignment.status)) return null;
    const version = await this.versionOf(state.policyVersionId);
    const level = byHand(await this.planner.ladder(), version, state, assignment, this.clock.now());
    return level === null ? null : version.levels[level];
  }

  /** Ladder state per assignment, for the `nextEscalation` and `light` fields. */
  stateLoader(ctx: RequestContext) {
    return requestLoader<string, EscalationState | null>(ctx, 'assignment.escalationState', async (ids) =>
      byKey(
        ids,
        await this.dataSource.getRepository(EscalationState).findBy({ assignmentId: In([...ids]) }),
        (row) => row.assignmentId,
      ),
    );
  }

  escalationsLoader(ctx: RequestContext) {
    const repository = this.dataSource.getRepository(Escalation);
    return rowsByLoader(ctx, 'assignment.escalations', repository, 'assignmentId', {
      firedAt: 'ASC',
      level: 'ASC',
    });
  }

  async versionOf(policyVersionId: string): Promise<EscalationPolicyVersion> {
    return this.policies.version(this.dataSource.manager, policyVersionId);
  }

  async assertCanSee(actor: Actor, assignmentId: string): Promise<void> {
    if (!(await this.access.canSeeAssignment(actor, assignmentId))) throw forbidden('无权查看该分工');
  }
}

/** An inspector's step: from the last level reached (or passed over), whatever its repeats. */
function byHand(
  ladder: EscalationLadder,
  version: EscalationPolicyVersion,
  state: EscalationState,
  assignment: Assignment,
  now: Date,
): number | null {
  return ladder.levelByHand({
    levels: version.levels,
    dueAt: assignment.dueAt,
    cycleStartedAt: state.cycleStartedAt,
    last: state.lastLevel === null ? null : { level: state.lastLevel, occurrence: 0, acknowledged: true },
    now,
  });
}
