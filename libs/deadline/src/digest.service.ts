import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  APP_CONFIG,
  Clock,
  Role,
  transactional,
  type AppConfig,
  addDays,
  beijingDay,
  beijingInstant,
} from '@zhezi/core';
import { NotificationKind, NotificationService, type PendingDelivery } from '@zhezi/notify';
import { datedSql } from './light';
import { WorkCalendarService } from './work-calendar.service';

const OPEN = `a.status NOT IN ('CLOSED', 'SUSPENDED')`;

interface DigestRow {
  id: string;
  soon: number;
  overdue: number;
  approvals: number;
}

/**
 * The 08:30 digest on workdays: per user, what falls due soon and what is overdue (their unit's list; the
 * district's for inspectors; their tasks' for responsible leaders) and what waits for their approval.
 */
@Injectable()
export class DigestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly calendars: WorkCalendarService,
    private readonly notifications: NotificationService,
  ) {}

  run(): Promise<{ users: number; deliveries: PendingDelivery[] }> {
    return transactional(
      this.dataSource,
      async (manager) => {
        const now = this.clock.now();
        const calendar = await this.calendars.current();
        const today = beijingDay(now);
        if (!calendar.isWorkday(today)) return { users: 0, deliveries: [] };
        const soonEnd = beijingInstant(
          addDays(calendar.addWorkdays(today, this.config.deadlines.warningWorkdays), 1),
        );
        const rows = await manager.query<DigestRow[]>(
          `WITH counts AS (
             SELECT a.org_unit_id, t.responsible_leader_id,
                    count(*) FILTER (WHERE ${datedSql('a')} AND a.due_at < $1)::int AS overdue,
                    count(*) FILTER (WHERE ${datedSql('a')} AND a.due_at >= $1 AND a.due_at < $2)::int AS soon
             FROM assignment a JOIN task t ON t.id = a.task_id WHERE ${OPEN}
             GROUP BY a.org_unit_id, t.responsible_leader_id),
           approvals AS (
             SELECT unnest(approver_ids) AS user_id, count(*)::int AS n FROM approval_step
             WHERE status = 'PENDING' GROUP BY 1)
           SELECT u.id,
             coalesce((SELECT sum(c.soon) FROM counts c WHERE
               CASE WHEN u.role = $3 THEN true WHEN u.role = $4 THEN c.responsible_leader_id = u.id
                    ELSE c.org_unit_id = u.org_unit_id END), 0)::int AS soon,
             coalesce((SELECT sum(c.overdue) FROM counts c WHERE
               CASE WHEN u.role = $3 THEN true WHEN u.role = $4 THEN c.responsible_leader_id = u.id
                    ELSE c.org_unit_id = u.org_unit_id END), 0)::int AS overdue,
             coalesce(ap.n, 0) AS approvals
           FROM app_user u LEFT JOIN approvals ap ON ap.user_id = u.id
           WHERE u.active AND u.role <> $5`,
          [now, soonEnd, Role.INSPECTOR, Role.LEADER, Role.ADMIN],
        );
        const deliveries: PendingDelivery[] = [];
        let users = 0;
        for (const row of rows.filter((r) => r.soon || r.overdue || r.approvals)) {
          users++;
          deliveries.push(
            ...(await this.notifications.notify(manager, {
              userIds: [row.id],
              kind: NotificationKind.DIGEST,
              title: `【每日提示】${today}`,
              body: `即将到期 ${row.soon} 项（${this.config.deadlines.warningWorkdays}个工作日内），已逾期 ${row.overdue} 项，待我审批 ${row.approvals} 项。`,
              subjectType: null,
              subjectId: null,
              path: '/',
              dedupeKey: `digest:${today}`,
            })),
          );
        }
        return { users, deliveries };
      },
      { audited: false },
    );
  }
}
