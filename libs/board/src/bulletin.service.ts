import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '@zhezi/access';
import {
  APP_CONFIG,
  badInput,
  Clock,
  notFound,
  type Actor,
  type AppConfig,
  beijingInstant,
  tableRef,
} from '@zhezi/core';
import { OrgUnitKind } from '@zhezi/org';
import type { Bulletin, BulletinRow } from './bulletin.types';
import { rankByScore, scoreOf } from './score';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

type Row = Omit<BulletinRow, 'score' | 'rank' | 'orgUnit'> & { still_open: number };

/**
 * The inspectorate's monthly bulletin (通报) for a plan: per unit, what it closed on time and late in the
 * month, what stood overdue at the month's end (or now, for the current month), extensions approved, reports
 * missed, notices open, and the assessment score and rank over those figures.
 */
@Injectable()
export class BulletinService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: AccessPolicy,
  ) {}

  async bulletin(actor: Actor, planId: string, month: string): Promise<Bulletin> {
    const m = MONTH.exec(month);
    if (!m) throw badInput('month', '月份格式应为 YYYY-MM');
    const [plan] = await this.dataSource.query<{ title: string }[]>(`SELECT title FROM plan WHERE id = $1`, [
      planId,
    ]);
    if (!plan) throw notFound('计划', planId);
    const year = Number(m[1]);
    const next = m[2] === '12' ? `${year + 1}-01` : `${year}-${String(Number(m[2]) + 1).padStart(2, '0')}`;
    const from = beijingInstant(`${month}-01`);
    const until = beijingInstant(`${next}-01`);
    const now = this.clock.now();
    if (from > now) throw badInput('month', '该月尚未开始');
    const asOf = until < now ? until : now;
    const scope = this.access.assignmentCondition(actor, tableRef('assignment', 'a'));
    // The shares the actor sees that existed by the month's end (or now): one handed out later is no figure of it.
    const [sql, params] = this.dataSource.driver.escapeQueryWithParameters(
      `WITH a AS (
         SELECT a.* FROM assignment a JOIN task t ON t.id = a.task_id
         WHERE t.plan_id = :planId AND a.created_at <= :asOf ${scope ? `AND ${scope.sql}` : ''}
       ), late AS (
         SELECT a.*, ((:asOf::timestamptz AT TIME ZONE 'Asia/Shanghai')::date
                      - (a.due_at AT TIME ZONE 'Asia/Shanghai')::date) AS days
         FROM a WHERE a.due_kind <> 'ONGOING' AND a.due_at < :asOf AND (a.closed_at IS NULL OR a.closed_at > :asOf)
       )
       SELECT u.id AS "orgUnitId", u.kind,
              (SELECT count(*) FROM a WHERE a.org_unit_id = u.id)::int AS assigned,
              (SELECT count(*) FROM a WHERE a.org_unit_id = u.id AND a.closed_at >= :from AND a.closed_at < :until
                 AND (a.closed_at <= a.due_at OR a.due_kind = 'ONGOING'))::int AS "closedOnTime",
              (SELECT count(*) FROM a WHERE a.org_unit_id = u.id AND a.closed_at >= :from AND a.closed_at < :until
                 AND a.closed_at > a.due_at AND a.due_kind <> 'ONGOING')::int AS "closedLate",
              (SELECT count(*) FROM late WHERE late.org_unit_id = u.id)::int AS overdue,
              (SELECT coalesce(sum(days), 0) FROM late WHERE late.org_unit_id = u.id)::int AS "overdueDaysSum",
              (SELECT coalesce(max(days), 0) FROM late WHERE late.org_unit_id = u.id)::int AS "overdueDaysMax",
              (SELECT count(*) FROM approval_request r JOIN a ON a.id = r.assignment_id
               WHERE a.org_unit_id = u.id AND r.kind = 'EXTENSION' AND r.status = 'APPROVED'
                 AND r.closed_at >= :from AND r.closed_at < :until)::int AS extensions,
              (SELECT count(*) FROM missed_report mr JOIN a ON a.id = mr.assignment_id
               WHERE a.org_unit_id = u.id AND mr.due_at >= :from AND mr.due_at < :until)::int AS "missedReports",
              (SELECT count(*) FROM supervision_notice n JOIN a ON a.id = n.assignment_id
               WHERE a.org_unit_id = u.id AND n.opened_at < :asOf AND (n.closed_at IS NULL OR n.closed_at > :asOf))::int
                AS "openNotices",
              (SELECT count(*) FROM a WHERE a.org_unit_id = u.id AND (a.closed_at IS NULL OR a.closed_at > :asOf))::int
                AS still_open
       FROM org_unit u WHERE u.id IN (SELECT DISTINCT org_unit_id FROM a)
       ORDER BY u.sort_order, u.code`,
      { ...scope?.params, planId, from, until, asOf },
    );
    const rows = await this.dataSource.query<Row[]>(sql, params);
    const weights = this.config.boards.scoreWeights;
    const scored = rows.map(({ still_open, ...row }) => {
      const due = row.closedOnTime + row.closedLate + row.overdue;
      const score = scoreOf(
        {
          onTimeRate: due ? row.closedOnTime / due : 1,
          overdueDaysSum: row.overdueDaysSum,
          open: still_open,
          missedReports: row.missedReports,
          assigned: row.assigned,
        },
        weights,
      );
      return { ...row, score, rank: 0 };
    });
    const ranked = [
      ...rankByScore(scored.filter((r) => r.kind === OrgUnitKind.DEPARTMENT)),
      ...rankByScore(scored.filter((r) => r.kind !== OrgUnitKind.DEPARTMENT)),
    ];
    return { planId, planTitle: plan.title, month, asOf, rows: ranked };
  }
}
