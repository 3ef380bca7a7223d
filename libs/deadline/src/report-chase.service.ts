import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  APP_CONFIG,
  Clock,
  transactional,
  type AppConfig,
  addDays,
  beijingDay,
  beijingInstant,
  type Day,
  tableRef,
} from '@zhezi/core';
import { NotificationKind, NotificationService, type PendingDelivery } from '@zhezi/notify';
import { cadenceSql, parsePeriod, periodOf, ReportCadence } from '@zhezi/task';
import { Recipient } from './escalation-policy.entity';
import { chineseDate } from './escalation.messages';
import { resolveRecipients } from './recipients';
import { WorkCalendarService } from './work-calendar.service';

/** The task in this file's queries (joined as t). */
const TASK = tableRef('task', 't');

/** Shares that owe reports: open and not waiting on a close-out or suspended. */
const REPORTING = `('ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'RETURNED')`;
const CADENCE_LABEL: Record<ReportCadence, string> = { MONTHLY: '月报', WEEKLY: '周报' };

export interface ChaseReport {
  reminded: number;
  missed: number;
  deliveries: PendingDelivery[];
}

/**
 * 催报: before a report day, units that have not reported are reminded; after it, each missing report is
 * recorded (it counts in the unit's assessment) and the unit told, and after a grace period the
 * inspectorate gets the list. Runs daily on workdays; every step is keyed, so reruns and catch-ups repeat nothing.
 */
@Injectable()
export class ReportChaseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly calendars: WorkCalendarService,
    private readonly notifications: NotificationService,
  ) {}

  /** The day a period's report is due: the configured day of the month, or the Friday of the week. */
  dueDay(key: string): Day {
    const period = parsePeriod(key);
    if (!period) throw new Error(`not a report period: ${key}`);
    if (period.cadence === ReportCadence.WEEKLY) return addDays(beijingDay(period.start), 4);
    return `${key}-${String(this.config.deadlines.reportDay).padStart(2, '0')}`;
  }

  run(): Promise<ChaseReport> {
    return transactional(
      this.dataSource,
      async (manager) => {
        const now = this.clock.now();
        const calendar = await this.calendars.current();
        const today = beijingDay(now);
        const report: ChaseReport = { reminded: 0, missed: 0, deliveries: [] };
        if (!calendar.isWorkday(today)) return report;
        const { reportReminderWorkdays, reportGraceWorkdays } = this.config.deadlines;
        for (const cadence of [ReportCadence.MONTHLY, ReportCadence.WEEKLY]) {
          const current = periodOf(now, cadence);
          const due = this.dueDay(current);
          if (today <= due && today >= calendar.addWorkdays(due, -reportReminderWorkdays)) {
            report.reminded += await this.remind(manager, cadence, current, due, report.deliveries);
          }
          const previous = periodOf(new Date(parsePeriod(current)!.start.getTime() - 1), cadence);
          const missedKey = due < today ? current : previous;
          const missedDue = this.dueDay(missedKey);
          report.missed += await this.recordMissed(manager, cadence, missedKey, missedDue, report.deliveries);
          if (today >= calendar.addWorkdays(missedDue, reportGraceWorkdays)) {
            await this.tellInspectorate(manager, cadence, missedKey, report.deliveries);
          }
        }
        return report;
      },
      { audited: false },
    );
  }

  private owing(manager: EntityManager, cadence: ReportCadence, key: string, dueEnd: Date) {
    return manager.query<{ id: string; title: string }[]>(
      `SELECT a.id, t.title FROM assignment a JOIN task t ON t.id = a.task_id
       WHERE a.status IN ${REPORTING} AND ${cadenceSql(TASK)} = $1 AND a.created_at < $3
         AND NOT EXISTS (SELECT 1 FROM progress_report r WHERE r.assignment_id = a.id AND r.period = $2)`,
      [cadence, key, dueEnd],
    );
  }

  private async remind(
    manager: EntityManager,
    cadence: ReportCadence,
    key: string,
    due: Day,
    deliveries: PendingDelivery[],
  ): Promise<number> {
    const owing = await this.owing(manager, cadence, key, beijingInstant(addDays(due, 1)));
    for (const a of owing) {
      deliveries.push(
        ...(await this.tell(manager, a.id, [Recipient.UNIT_OFFICERS], `report-remind:${a.id}:${key}`, {
          title: `【催报】${a.title}`,
          body: `“${a.title}”${key}${CADENCE_LABEL[cadence]}请于${chineseDate(beijingInstant(due))}前报送。`,
        })),
      );
    }
    return owing.length;
  }

  private async recordMissed(
    manager: EntityManager,
    cadence: ReportCadence,
    key: string,
    due: Day,
    deliveries: PendingDelivery[],
  ): Promise<number> {
    const dueEnd = beijingInstant(addDays(due, 1));
    const owing = await this.owing(manager, cadence, key, dueEnd);
    if (!owing.length) return 0;
    const fresh = await manager.query<{ assignment_id: string }[]>(
      `INSERT INTO missed_report (assignment_id, period_key, due_at, recorded_at)
       SELECT unnest($1::uuid[]), $2, $3, $4 ON CONFLICT DO NOTHING RETURNING assignment_id`,
      [owing.map((a) => a.id), key, dueEnd, this.clock.now()],
    );
    for (const { assignment_id: id } of fresh) {
      const title = owing.find((a) => a.id === id)!.title;
      deliveries.push(
        ...(await this.tell(
          manager,
          id,
          [Recipient.UNIT_OFFICERS, Recipient.UNIT_HEAD],
          `report-missed:${id}:${key}`,
          {
            title: `【逾期未报】${title}`,
            body: `“${title}”${key}${CADENCE_LABEL[cadence]}已超过报送时限（${chineseDate(beijingInstant(due))}），请尽快补报，逾期未报将计入考核。`,
          },
        )),
      );
    }
    return fresh.length;
  }

  private async tellInspectorate(
    manager: EntityManager,
    cadence: ReportCadence,
    key: string,
    deliveries: PendingDelivery[],
  ): Promise<void> {
    const [summary] = await manager.query<{ shares: number; units: number }[]>(
      `SELECT count(*)::int AS shares, count(DISTINCT a.org_unit_id)::int AS units
       FROM missed_report m JOIN assignment a ON a.id = m.assignment_id JOIN task t ON t.id = a.task_id
       WHERE m.period_key = $1 AND ${cadenceSql(TASK)} = $2
         AND NOT EXISTS (SELECT 1 FROM progress_report r WHERE r.assignment_id = a.id AND r.period = $1)`,
      [key, cadence],
    );
    if (!summary.shares) return;
    const inspectors = await manager.query<{ id: string }[]>(
      `SELECT id FROM app_user WHERE active AND role = 'INSPECTOR'`,
    );
    deliveries.push(
      ...(await this.notifications.notify(manager, {
        userIds: inspectors.map((u) => u.id),
        kind: NotificationKind.REPORT_CHASE,
        title: `【逾期未报汇总】${key}${CADENCE_LABEL[cadence]}`,
        body: `${key}${CADENCE_LABEL[cadence]}过了宽限期仍有${summary.shares}项分工未报送，涉及${summary.units}个单位。`,
        subjectType: null,
        subjectId: null,
        path: `/reports/missing?period=${key}`,
        dedupeKey: `report-missed-summary:${cadence}:${key}`,
      })),
    );
  }

  private async tell(
    manager: EntityManager,
    assignmentId: string,
    recipients: Recipient[],
    dedupeKey: string,
    message: { title: string; body: string },
  ): Promise<PendingDelivery[]> {
    return this.notifications.notify(manager, {
      userIds: await resolveRecipients(manager, assignmentId, recipients),
      kind: NotificationKind.REPORT_CHASE,
      ...message,
      subjectType: 'Assignment',
      subjectId: assignmentId,
      path: `/assignments/${assignmentId}`,
      dedupeKey,
    });
  }
}
