import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { beijingDay, type Actor } from '@zhezi/core';
import { NotificationKind, NotificationService, type PendingDelivery } from '@zhezi/notify';
import { DomainEventType, OutboxService } from '@zhezi/outbox';
import { Assignment } from '@zhezi/task';
import { EscalationAction, type EscalationPolicyVersion } from './escalation-policy.entity';
import { EscalationOutcome } from './escalation.entity';
import { escalationMessage } from './escalation.messages';
import { EscalationRepository } from './escalation.repository';
import { recipientsOf } from './recipients';
import type { SupervisionNotice } from './supervision-notice.entity';
import { SupervisionNoticeService } from './supervision-notice.service';
import { WorkCalendarService } from './work-calendar.service';

/** The assignment facts a step needs to be written and told. */
export type StepTarget = Pick<Assignment, 'id' | 'taskId' | 'orgUnitId' | 'dueAt'>;

/** One step of a ladder: fired on time, or an inspector's 立即升级 / 跳过 (with who and why). */
export interface Step {
  target: StepTarget;
  version: EscalationPolicyVersion;
  cycle: number;
  level: number;
  occurrence: number;
  plannedAt: Date;
  outcome: EscalationOutcome;
  by: { actor: Actor; reason: string } | null;
}

/**
 * Writes escalation steps (each once: the unique key) and, for those that fired, their effects — 督办单,
 * notifications and deliveries, domain events — in a fixed number of statements however many steps.
 */
@Injectable()
export class EscalationSteps {
  constructor(
    private readonly repository: EscalationRepository,
    private readonly calendars: WorkCalendarService,
    private readonly notices: SupervisionNoticeService,
    private readonly notifications: NotificationService,
    private readonly outbox: OutboxService,
  ) {}

  /** Returns the new escalation ids by assignment (a step already written has none) and the deliveries. */
  async write(
    manager: EntityManager,
    steps: readonly Step[],
    now: Date,
  ): Promise<{ written: Map<string, string>; deliveries: PendingDelivery[] }> {
    const written = await this.repository.insertSteps(
      manager,
      steps.map((step) => ({
        assignment_id: step.target.id,
        policy_version_id: step.version.id,
        cycle: step.cycle,
        level: step.level,
        occurrence: step.occurrence,
        action: step.version.levels[step.level].action,
        outcome: step.outcome,
        planned_at: step.plannedAt.toISOString(),
        by_user_id: step.by?.actor.userId ?? null,
        reason: step.by?.reason ?? null,
      })),
      now,
    );
    const firing = steps.filter((s) => s.outcome === EscalationOutcome.FIRED && written.has(s.target.id));
    if (!firing.length) return { written, deliveries: [] };

    const ids = firing.map((s) => s.target.id);
    const facts = await this.repository.messageFacts(manager, ids);
    const notices = await this.openNotices(manager, firing, written, facts);
    const recipients = await recipientsOf(
      manager,
      ids,
      firing.flatMap((s) => s.version.levels[s.level].recipients),
    );
    const calendar = await this.calendars.current();
    const today = beijingDay(now);
    const deliveries = await this.notifications.notifyMany(
      manager,
      firing.map((step) => {
        const level = step.version.levels[step.level];
        const { title, name } = facts.get(step.target.id)!;
        return {
          userIds: recipients(step.target.id, level.recipients),
          unitIds: [step.target.orgUnitId],
          kind: NotificationKind.ESCALATION,
          ...escalationMessage({
            action: level.action,
            occurrence: step.occurrence,
            taskTitle: title,
            unitName: name,
            dueAt: step.target.dueAt,
            workdaysLeft: calendar.workdaysBetween(today, beijingDay(step.target.dueAt)),
            notice: notices.get(step.target.id) ?? null,
          }),
          subjectType: 'Assignment',
          subjectId: step.target.id,
          path: `/assignments/${step.target.id}`,
          dedupeKey: `escalation:${written.get(step.target.id)}`,
        };
      }),
    );
    await this.outbox.addMany(
      manager,
      firing.map((step) => ({
        type: DomainEventType.ESCALATION_FIRED,
        aggregateType: 'Assignment',
        aggregateId: step.target.id,
        payload: {
          taskId: step.target.taskId,
          escalationId: written.get(step.target.id),
          action: step.version.levels[step.level].action,
          level: step.level,
          occurrence: step.occurrence,
          cycle: step.cycle,
          plannedAt: step.plannedAt.toISOString(),
          firedAt: now.toISOString(),
        },
      })),
    );
    return { written, deliveries };
  }

  /** SUPERVISE steps open a 督办单 (or find the one in force); rare enough to go one by one. */
  private async openNotices(
    manager: EntityManager,
    firing: readonly Step[],
    written: ReadonlyMap<string, string>,
    facts: ReadonlyMap<string, { title: string }>,
  ): Promise<Map<string, SupervisionNotice>> {
    const supervising = firing.filter((s) => s.version.levels[s.level].action === EscalationAction.SUPERVISE);
    const notices = new Map<string, SupervisionNotice>();
    if (!supervising.length) return notices;
    const assignments = await manager.findBy(Assignment, { id: In(supervising.map((s) => s.target.id)) });
    for (const step of supervising) {
      const notice = await this.notices.openForEscalation(
        manager,
        assignments.find((a) => a.id === step.target.id)!,
        written.get(step.target.id)!,
        step.version.noticeResponseWorkdays,
        `“${facts.get(step.target.id)!.title}”逾期未完成（督办流程第${step.level + 1}级）`,
      );
      notices.set(step.target.id, notice);
    }
    return notices;
  }
}
