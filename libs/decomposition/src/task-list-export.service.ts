import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '@zhezi/access';
import {
  APP_CONFIG,
  Clock,
  notFound,
  readsEverything,
  type Actor,
  type AppConfig,
  beijingDay,
  tableRef,
  column,
} from '@zhezi/core';
import {
  ACTION_LABELS,
  EscalationAction,
  levelReachedSql,
  Light,
  lightOf,
  WorkCalendarService,
} from '@zhezi/deadline';
import { OrgService } from '@zhezi/org';
import { DueKind, Plan, Recurrence } from '@zhezi/plan';
import {
  AssignmentRole,
  AssignmentStatus,
  STATUS_LABELS as SHARE_STATUS_LABELS,
  TaskStatus,
} from '@zhezi/task';
import type { TaskListExportRow } from './task-list.xlsx';

const STATUS_LABELS: Record<TaskStatus, string> = {
  UNASSIGNED: '待交办',
  ASSIGNED: '待签收',
  IN_PROGRESS: '推进中',
  CLOSED: '已销号',
  SUSPENDED: '已暂停',
};
const LIGHT_LABELS: Record<Light, string> = { RED: '红灯', YELLOW: '黄灯', GREEN: '绿灯' };
const LIGHT_ORDER = [Light.GREEN, Light.YELLOW, Light.RED];

/** A column of the task's latest progress report on any of its shares. */
const LATEST_REPORT = (column: string) =>
  `SELECT ${column} FROM progress_report r JOIN assignment ra ON ra.id = r.assignment_id
   WHERE ra.task_id = t.id ORDER BY r.submitted_at DESC LIMIT 1`;

/** The 督办 level reached (SQL over alias `la`) ranked by how far up the ladder its action stands. */
const LEVEL_RANK = `array_position(ARRAY['${Object.values(EscalationAction).join("','")}'], ${levelReachedSql('la')})`;

/** A share's light as `lightOf` takes it. */
const lightSubject = (s: {
  closed: boolean;
  dueAt: string;
  dueKind: DueKind;
  createdAt: string;
  progress: number;
  openNotice: boolean;
}) => ({
  closed: s.closed,
  dueAt: new Date(s.dueAt),
  startedAt: new Date(s.createdAt),
  progressPercent: s.progress,
  openNotice: s.openNotice,
  ongoing: s.dueKind === DueKind.ONGOING,
});

/** 完成时限 as the import reads it back: 长期, 每季度, or the day. */
function deadlineText(dueAt: Date | string, kind: DueKind, recurrence: Recurrence | null): string {
  if (kind === DueKind.ONGOING) return '长期';
  const day = beijingDay(new Date(dueAt));
  return kind === DueKind.RECURRING && recurrence ? `${RECURRENCE_TEXT[recurrence]}，${day}前` : day;
}
const RECURRENCE_TEXT: Record<Recurrence, string> = {
  MONTHLY: '每月',
  QUARTERLY: '每季度',
  HALF_YEARLY: '每半年',
  YEARLY: '每年',
};

/** One unit's share of a task on that unit's list, with its own figures. */
interface UnitShareRow {
  status: AssignmentStatus;
  closed: boolean;
  dueAt: string;
  dueKind: DueKind;
  createdAt: string;
  progress: number;
  openNotice: boolean;
  level: EscalationAction | null;
  reportText: string | null;
  reportAt: string | null;
}

interface ShareRow {
  unit: string;
  /** A task's own share, not a part a department split off. */
  top: boolean;
  role: AssignmentRole;
  closed: boolean;
  dueAt: string;
  dueKind: DueKind;
  createdAt: string;
  progress: number;
  openNotice: boolean;
}

interface TaskRow {
  code: string;
  title: string;
  description: string;
  status: TaskStatus;
  progress: number;
  dueAt: Date;
  dueKind: DueKind;
  recurrence: Recurrence | null;
  leader: string | null;
  /** The category target of a task list's task (“一、科技创新”), else null. */
  category: string | null;
  shares: ShareRow[] | null;
  /** On a unit's list: that unit's share; the task's figures above and below are then not read. */
  unitShare: UnitShareRow | null;
  reportText: string | null;
  reportAt: Date | null;
  level: EscalationAction | null;
}

/** A task list as offices print it: the import layout plus status, light, progress, latest report and 督办 level. */
@Injectable()
export class TaskListExportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessPolicy,
    private readonly org: OrgService,
    private readonly calendars: WorkCalendarService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The plan's tasks the actor may see; with `unit`, that unit's list (if the actor may see it), each row with
   * the unit's own share's figures, whoever downloads it. A unit's user downloads its own list by default.
   */
  async rows(
    actor: Actor,
    planId: string,
    unit?: string,
  ): Promise<{ plan: Plan; rows: TaskListExportRow[]; at: Date }> {
    const plan = await this.dataSource.manager.findOneBy(Plan, { id: planId });
    if (!plan) throw notFound('规划', planId);
    const orgUnitId = unit ?? (readsEverything(actor) ? undefined : actor.orgUnitId);
    if (orgUnitId) {
      await this.org.getUnit(orgUnitId);
      await this.access.assertCanSeeUnit(actor, orgUnitId);
    }
    // The unit columns name the units of the shares the actor sees; readers see the task's direct shares.
    const scope = (alias: string) => this.access.assignmentCondition(actor, tableRef('assignment', alias));
    const shareScope = (alias: string) => scope(alias)?.sql ?? `${alias}.parent_id IS NULL`;
    const qb = this.dataSource
      .createQueryBuilder()
      .from('task', 't')
      .leftJoin('app_user', 'u', 'u.id = t.responsible_leader_id')
      // A task of an imported list stands under its category row, which is a target above the tasks.
      .leftJoin('target', 'tg', `tg.id = t.target_id AND tg.level IN ('PART', 'CHAPTER', 'SECTION', 'ITEM')`)
      .select([
        't.code AS code',
        't.title AS title',
        't.description AS description',
        'u.display_name AS leader',
        't.due_kind AS "dueKind"',
        't.recurrence AS recurrence',
        `CASE WHEN tg.id IS NULL THEN NULL ELSE concat(tg.number, tg.title) END AS category`,
      ])
      .addSelect(
        `(SELECT json_agg(json_build_object('unit', o.name, 'role', a.role, 'closed', a.status = 'CLOSED',
            'top', a.parent_id IS NULL, 'dueAt', a.due_at, 'dueKind', a.due_kind, 'createdAt', a.created_at, 'progress', a.progress_percent,
            'openNotice', EXISTS (SELECT 1 FROM supervision_notice n WHERE n.assignment_id = a.id AND n.status <> 'CLOSED'))
            ORDER BY o.sort_order, o.name)
          FROM assignment a JOIN org_unit o ON o.id = a.org_unit_id
          WHERE a.task_id = t.id AND ${shareScope('a')})`,
        'shares',
      )
      .where('t.plan_id = :planId', { planId })
      // 序号 in numeric order: 2 before 10.
      .orderBy(`NULLIF(substring(t.code from '^[0-9]+'), '')::numeric`, 'ASC', 'NULLS LAST')
      .addOrderBy('t.code');
    const visible = this.access.taskCondition(actor, column(tableRef('task', 't'), 'id'));
    if (visible) qb.andWhere(visible.sql, visible.params);
    // The subqueries' conditions name the same parameters.
    qb.setParameters(scope('a')?.params ?? {});
    if (orgUnitId) {
      // The unit's share as the actor sees it (a department on a subdistrict's list: the parts it split off);
      // a unit holds one share of a task (a database key).
      const unitShares = `FROM assignment us WHERE us.task_id = t.id AND us.org_unit_id = :orgUnitId
        AND ${scope('us')?.sql ?? 'true'}`;
      qb.addSelect(
        `(SELECT json_build_object('status', us.status, 'closed', us.status = 'CLOSED', 'dueAt', us.due_at, 'dueKind', us.due_kind,
            'createdAt', us.created_at, 'progress', us.progress_percent,
            'openNotice', EXISTS (SELECT 1 FROM supervision_notice n WHERE n.assignment_id = us.id AND n.status <> 'CLOSED'),
            'level', ${levelReachedSql('us')},
            'reportText', (SELECT r.text FROM progress_report r WHERE r.assignment_id = us.id
                           ORDER BY r.submitted_at DESC LIMIT 1),
            'reportAt', (SELECT max(r.submitted_at) FROM progress_report r WHERE r.assignment_id = us.id))
          ${unitShares})`,
        'unitShare',
      );
      qb.andWhere(`EXISTS (SELECT 1 ${unitShares})`, { orgUnitId });
    } else {
      // A reader's whole list: the task's own figures, its latest report, the highest level fired on a share.
      qb.addSelect(['t.status AS status', 't.progress_percent AS progress', 't.due_at AS "dueAt"'])
        .addSelect(`(${LATEST_REPORT('r.text')})`, 'reportText')
        .addSelect(`(${LATEST_REPORT('r.submitted_at')})`, 'reportAt')
        .addSelect(
          `(SELECT ${levelReachedSql('la')} FROM assignment la
            WHERE la.task_id = t.id AND ${LEVEL_RANK} IS NOT NULL ORDER BY ${LEVEL_RANK} DESC LIMIT 1)`,
          'level',
        );
    }
    const tasks = await qb.getRawMany<TaskRow>();
    const now = this.clock.now();
    const calendar = await this.calendars.current();
    const rows = tasks.map((t): TaskListExportRow => {
      const visible = t.shares ?? [];
      // The units a task was handed to; a subdistrict that only holds a split part sees that part.
      const shares = visible.some((s) => s.top) ? visible.filter((s) => s.top) : visible;
      const leads = shares.filter((s) => s.role === AssignmentRole.LEAD);
      const units = {
        code: t.code,
        title: t.title,
        content: t.description,
        leadUnits: leads.map((s) => s.unit),
        supportUnits: shares.filter((s) => s.role === AssignmentRole.SUPPORT).map((s) => s.unit),
        responsibleLeader: t.leader ?? '',
        category: t.category ?? '',
      };
      const unit = t.unitShare;
      if (unit) {
        const unitLight = lightOf(lightSubject(unit), now, calendar, this.config.deadlines);
        return {
          ...units,
          deadline: deadlineText(unit.dueAt, unit.dueKind, t.recurrence),
          status: SHARE_STATUS_LABELS[unit.status],
          light: unitLight ? LIGHT_LABELS[unitLight] : '',
          progress: `${unit.progress}%`,
          latestReport: report(unit.reportText, unit.reportAt),
          escalation: unit.level ? ACTION_LABELS[unit.level] : '',
        };
      }
      // The task shows its worst lead share (any share, when none leads): one red lead makes the task red.
      const light = (leads.length ? leads : shares)
        .map((s) => lightOf(lightSubject(s), now, calendar, this.config.deadlines))
        .filter((l): l is Light => l !== null)
        .sort((a, b) => LIGHT_ORDER.indexOf(b) - LIGHT_ORDER.indexOf(a))[0];
      return {
        ...units,
        deadline: deadlineText(t.dueAt, t.dueKind, t.recurrence),
        status: STATUS_LABELS[t.status],
        light: light ? LIGHT_LABELS[light] : '',
        progress: `${t.progress}%`,
        latestReport: report(t.reportText, t.reportAt),
        escalation: t.level ? ACTION_LABELS[t.level] : '',
      };
    });
    return { plan, rows, at: now };
  }
}

/** A latest report as printed: its day, then its text. */
const report = (text: string | null, at: Date | string | null) =>
  text && at ? `${beijingDay(new Date(at))} ${text}` : '';
