import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository, type EntityManager } from 'typeorm';
import { AccessPolicy } from '@zhezi/access';
import { AuditService } from '@zhezi/audit';
import {
  badInput,
  Clock,
  conflict,
  forbidden,
  paginate,
  rowsByLoader,
  transactional,
  type Actor,
  type Connection,
  type PageArgs,
  type RequestContext,
  tableRef,
  column,
  type TableRef,
} from '@zhezi/core';
import { DomainEventType, OutboxService } from '@zhezi/outbox';
import { Assignment, AssignmentStatus } from './assignment.entity';
import { AssignmentAction, takersFor, Taker } from './assignment.lifecycle';
import { AssignmentChangeKind, AssignmentObservers } from './assignment.observers';
import { AssignmentStateService } from './assignment-state.service';
import { ProgressReport, ProgressReportRevision } from './progress-report.entity';
import { parsePeriod, ReportCadence, type ReportPeriod } from './report-period';
import { TaskPriority, type Task } from './task.entity';
import { meanProgress } from './task-state';
import type { SubmitProgressInput } from './task.types';

/** Urgent tasks report weekly, the rest monthly. */
export const cadenceOf = (task: Pick<Task, 'priority'>) =>
  task.priority === TaskPriority.URGENT ? ReportCadence.WEEKLY : ReportCadence.MONTHLY;

/** The referenced task's report cadence, in SQL. */
export const cadenceSql = (task: TableRef<'task'>) =>
  `CASE WHEN ${column(task, 'priority')} = 'URGENT' THEN '${ReportCadence.WEEKLY}' ELSE '${ReportCadence.MONTHLY}' END`;

@Injectable()
export class ProgressService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly assignments: AssignmentStateService,
    private readonly observers: AssignmentObservers,
    @InjectRepository(ProgressReport) private readonly reports: Repository<ProgressReport>,
    @InjectRepository(ProgressReportRevision) private readonly revisions: Repository<ProgressReportRevision>,
  ) {}

  /**
   * 进展报送 by the assignment's own unit. The first report of an accepted share starts the work (IN_PROGRESS);
   * a resubmission within the period replaces the report and keeps the earlier text as a revision.
   */
  submitProgress(actor: Actor, input: SubmitProgressInput): Promise<ProgressReport> {
    return transactional(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const assignment = await this.assignments.lockForChange(
        manager,
        actor,
        input.assignmentId,
        input.version,
      );
      if (!takersFor(actor, assignment.orgUnitId).includes(Taker.UNIT)) {
        throw forbidden('只有承办单位可以报送本单位的进展');
      }
      const task = await this.assignments.lockTask(manager, assignment.taskId, 'assignmentId');
      const period = this.requirePeriod(input.period, cadenceOf(task), now);
      const percent = await this.reportedPercent(manager, assignment, input);

      const report = await this.upsertReport(manager, actor, assignment, period, input, percent, now);
      await this.attachEvidence(manager, assignment, report, input.evidenceIds);

      const before = { status: assignment.status, progressPercent: assignment.progressPercent };
      assignment.progressPercent = percent;
      if (assignment.status === AssignmentStatus.IN_PROGRESS) {
        await manager.save(assignment);
      } else {
        await this.assignments.applyTransition(
          manager,
          actor,
          assignment,
          AssignmentAction.REPORT_PROGRESS,
          undefined,
          [Taker.UNIT],
        );
      }
      await this.audit.record(manager, actor, {
        action: 'progress.submit',
        entityType: 'ProgressReport',
        entityId: report.id,
        taskId: task.id,
        unitIds: await this.assignments.unitIdsOf(manager, assignment),
        before,
        after: { ...report, evidenceIds: input.evidenceIds },
      });
      await this.outbox.add(manager, {
        type: DomainEventType.PROGRESS_SUBMITTED,
        aggregateType: 'Assignment',
        aggregateId: assignment.id,
        payload: { taskId: task.id, reportId: report.id, period: period.key, percent },
      });
      await this.observers.changed(manager, [{ assignment, kind: AssignmentChangeKind.ANSWERED }]);
      await this.assignments.settleTask(manager, actor, task);
      return report;
    });
  }

  /** Open assignments, visible to the actor (of one unit if given), with no report for a period that has ended. */
  async missingReports(
    actor: Actor,
    periodKey: string,
    orgUnitId: string | null,
    page: PageArgs,
  ): Promise<Connection<Assignment>> {
    const period = parsePeriod(periodKey);
    if (!period) throw badInput('period', `报送期格式应为“2026-11”或“2026-W48”：${periodKey}`);
    if (period.end > this.clock.now()) throw badInput('period', '该报送期尚未结束');
    const qb = this.dataSource
      .getRepository(Assignment)
      .createQueryBuilder('a')
      .innerJoin('task', 't', 't.id = a.task_id')
      .where('a.status NOT IN (:...done)', { done: [AssignmentStatus.CLOSED, AssignmentStatus.SUSPENDED] })
      .andWhere('a.created_at < :periodEnd', { periodEnd: period.end })
      .andWhere(`${cadenceSql(tableRef('task', 't'))} = :cadence`, { cadence: period.cadence })
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM progress_report r WHERE r.assignment_id = a.id AND r.period = :period)',
        {
          period: period.key,
        },
      );
    const visible = this.access.assignmentCondition(actor, tableRef('assignment', 'a'));
    if (visible) qb.andWhere(visible.sql, visible.params);
    if (orgUnitId) qb.andWhere('a.org_unit_id = :orgUnitId', { orgUnitId });
    return paginate(qb, page, 'a.due_at', (a) => a.dueAt);
  }

  /**
   * The percent a report records. A split share's progress is its parts' (settleTask keeps it so): its report
   * records that figure and its own text, and a different figure is refused rather than silently replaced —
   * the department sums up its subdistricts' work, it does not overrule their figures.
   */
  private async reportedPercent(
    manager: EntityManager,
    assignment: Assignment,
    input: SubmitProgressInput,
  ): Promise<number> {
    const parts = await manager.findBy(Assignment, { parentId: assignment.id });
    if (parts.length > 0) {
      const rolledUp = meanProgress(parts);
      if (input.percent != null && input.percent !== rolledUp) {
        throw badInput('percent', `该分工已分解给街镇，进度按下级分工汇总为 ${rolledUp}%，无需另行填写`);
      }
      return rolledUp;
    }
    if (input.percent == null) throw badInput('percent', '请填写进度（0–100）');
    if (input.percent < assignment.progressPercent && !input.reason) {
      throw badInput('reason', `进度低于上次报送的 ${assignment.progressPercent}%，请说明原因`);
    }
    return input.percent;
  }

  private requirePeriod(key: string, cadence: ReportCadence, now: Date): ReportPeriod {
    const period = parsePeriod(key);
    const expected = cadence === ReportCadence.WEEKLY ? '周报，如“2026-W48”' : '月报，如“2026-11”';
    if (!period || period.cadence !== cadence) throw badInput('period', `该任务按${expected}报送`);
    if (period.start > now) throw badInput('period', '不能报送尚未开始的报送期');
    return period;
  }

  private async upsertReport(
    manager: EntityManager,
    actor: Actor,
    assignment: Assignment,
    period: ReportPeriod,
    input: SubmitProgressInput,
    percent: number,
    now: Date,
  ): Promise<ProgressReport> {
    const content = { text: input.text, percent, reason: input.reason ?? null };
    const existing = await manager.findOneBy(ProgressReport, {
      assignmentId: assignment.id,
      period: period.key,
    });
    if (!existing) {
      return manager.save(
        manager.create(ProgressReport, {
          ...content,
          assignmentId: assignment.id,
          period: period.key,
          submittedById: actor.userId,
          submittedAt: now,
        }),
      );
    }
    if (now >= period.end) throw conflict(`报送期 ${period.key} 已结束，不能再修改已报送的进展`);
    await manager.save(
      manager.create(ProgressReportRevision, {
        reportId: existing.id,
        revision: existing.revision,
        text: existing.text,
        percent: existing.percent,
        reason: existing.reason,
        submittedById: existing.submittedById,
        submittedAt: existing.submittedAt,
      }),
    );
    Object.assign(existing, content, {
      revision: existing.revision + 1,
      submittedById: actor.userId,
      submittedAt: now,
    });
    return manager.save(existing);
  }

  /** Evidence must have been uploaded for this assignment and not yet be part of another report. */
  private async attachEvidence(
    manager: EntityManager,
    assignment: Assignment,
    report: ProgressReport,
    evidenceIds: string[],
  ): Promise<void> {
    if (evidenceIds.length === 0) return;
    const [{ n }] = await manager.query<{ n: number }[]>(
      `WITH attached AS (
         UPDATE evidence SET report_id = $1
          WHERE id = ANY($2::uuid[]) AND assignment_id = $3 AND (report_id IS NULL OR report_id = $1)
          RETURNING id)
       SELECT count(*)::int AS n FROM attached`,
      [report.id, [...new Set(evidenceIds)], assignment.id],
    );
    if (n !== new Set(evidenceIds).size) {
      throw badInput('evidenceIds', '佐证材料不存在、不属于该分工或已用于其他报送');
    }
  }

  reportsOfAssignmentLoader(ctx: RequestContext) {
    return rowsByLoader(ctx, 'assignment.reports', this.reports, 'assignmentId', { period: 'DESC' });
  }

  revisionsLoader(ctx: RequestContext) {
    return rowsByLoader(ctx, 'report.revisions', this.revisions, 'reportId', { revision: 'ASC' });
  }
}
