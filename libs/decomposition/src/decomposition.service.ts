import { randomUUID } from 'crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, IsNull, Repository, type EntityManager } from 'typeorm';
import {
  ApprovalKinds,
  ApprovalKind,
  ApprovalRequest,
  ApprovalService,
  ApprovalStatus,
} from '@zhezi/approval';
import { AuditService } from '@zhezi/audit';
import {
  APP_CONFIG,
  AppError,
  badInput,
  endOfDayInBeijing,
  ErrorCode,
  notFound,
  Role,
  transactional,
  type Actor,
  type AppConfig,
} from '@zhezi/core';
import { User } from '@zhezi/org';
import {
  Plan,
  PlanIngestService,
  prewarmPlanReader,
  readPlanFile,
  DueKind,
  periodEnds,
  Recurrence,
  TargetLevel,
  type ReadMeasure,
} from '@zhezi/plan';
import { AssignmentRole, TaskBatchService, type NewTaskWithShares } from '@zhezi/task';
import { DraftTask } from './draft-task.entity';
import { issueField, type DraftIssueKind } from './draft-units';
import type { IngestPlanInput, IngestResult, SubmitDecompositionInput } from './decomposition.types';
import { DraftService } from './draft.service';
import { FileUploadService } from './file-upload.service';
import { prewarmTaskListReader } from './task-list-file';
import { UnitReadingService } from './unit-reading.service';

/** One problem with one draft, so the leader sees every draft to fix at once. */
export interface DraftIssue {
  draftTaskId: string;
  code: string;
  field: string;
  message: string;
  /** For what the text named but could not be read (see DraftTask.issues): which kind, as written. */
  kind?: DraftIssueKind;
  phrase?: string;
}

/** A task's title is at most this long (the column and the task input agree). */
const MAX_TITLE = 200;
/** A title is the measure's leading sentence without its full stop. */
const titleOf = (sentence: string) => sentence.replace(/[。；;：:，,\s]+$/u, '');

/**
 * Earlier deadlines in a measure's text are its milestones; a recurring deadline (每季度, 每年) has one at the
 * end of each period before the last, at which the task is due. An ongoing duty has none: it is reported on
 * every period instead.
 */
export function milestonesOf(
  measure: Pick<ReadMeasure, 'deadlines' | 'dueDay' | 'dueKind' | 'recurrence'>,
  period: { startYear: number; endYear: number },
) {
  const { deadlines, dueDay } = measure;
  const days = new Map<string, string>();
  if (measure.dueKind === DueKind.ONGOING) return [];
  if (measure.dueKind === DueKind.RECURRING && measure.recurrence) {
    const yearly = measure.recurrence === Recurrence.YEARLY;
    for (const end of periodEnds(measure.recurrence, `${period.startYear}-01-01`, dueDay))
      days.set(end.day, yearly ? `${end.title}目标` : end.title);
  }
  for (const d of deadlines) {
    if (d.recurring === 'YEARLY') {
      for (let year = period.startYear; year <= period.endYear; year++) {
        const day = `${year}-12-31`;
        if (day < dueDay) days.set(day, `${year}年度目标`);
      }
    } else if (d.day < dueDay) days.set(d.day, d.phrase);
  }
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, title]) => ({ title: title.slice(0, 200), dueAt: endOfDayInBeijing(day) }));
}

/** A draft as the task it publishes: its fields, and its lead then support units' shares. */
export function newTaskOf(draft: DraftTask): NewTaskWithShares {
  return {
    input: {
      planId: draft.planId,
      targetId: draft.targetIds[0],
      code: draft.code,
      title: draft.title,
      description: draft.description,
      responsibleLeaderId: draft.responsibleLeaderId ?? undefined,
      dueAt: draft.dueAt,
      dueKind: draft.dueKind,
      recurrence: draft.recurrence ?? undefined,
      milestones: draft.milestones,
    },
    shares: [
      ...draft.leadUnitIds.map((id, i) => ({
        orgUnitId: id,
        role: AssignmentRole.LEAD,
        field: `leadUnitIds.${i}`,
      })),
      ...draft.supportUnitIds.map((id, i) => ({
        orgUnitId: id,
        role: AssignmentRole.SUPPORT,
        field: `supportUnitIds.${i}`,
      })),
    ],
  };
}

/**
 * 任务分解: a plan's measures (or an imported table's rows) become draft tasks the leader edits; a
 * DECOMPOSITION approval publishes them as tasks with their units' shares, all in the final approval's
 * transaction. A published draft remembers its task, so publishing again creates nothing twice.
 */
@Injectable()
export class DecompositionService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly ingester: PlanIngestService,
    private readonly unitReading: UnitReadingService,
    private readonly approvals: ApprovalService,
    private readonly kinds: ApprovalKinds,
    private readonly taskBatch: TaskBatchService,
    private readonly uploads: FileUploadService,
    private readonly draftService: DraftService,
    @InjectRepository(DraftTask) private readonly drafts: Repository<DraftTask>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.kinds.register(ApprovalKind.DECOMPOSITION, {
      describe: async (manager, request) => ({
        title: (await manager.findOneByOrFail(Plan, { id: request.planId as string })).title,
        unitIds: [],
      }),
      settle: (manager, actor, request, outcome) =>
        outcome === ApprovalStatus.APPROVED ? this.publish(manager, actor, request) : Promise.resolve(),
    });
    // Like jieba's dictionary, the readers load as the process starts (not in tests: each starts an API).
    if (this.config.env !== 'test') {
      prewarmPlanReader(this.config.files);
      prewarmTaskListReader(this.config.files);
    }
  }

  async ingestPlan(actor: Actor, input: IngestPlanInput): Promise<IngestResult> {
    const file = await this.uploads.receive(actor, input.file);
    const { title, periodStartYear, periodEndYear } = input;
    const read = await readPlanFile(
      file.fileName,
      file.data,
      { title, periodStartYear, periodEndYear },
      this.config.files,
    );
    return transactional(this.dataSource, async (manager) => {
      const ingested = await this.ingester.write(manager, actor, read);
      const reader = await this.unitReading.reader(manager);
      // A review of the past period, and what frames the plan (指导思想, 保障措施…), are kept in the tree but
      // ask nothing of anyone.
      const tasks = ingested.measures.filter((m) => !m.review && m.actionable);
      const drafts = tasks.map((m, index) => {
        // Units the text names are the draft's; suggestions fill the rest, for the leader to confirm.
        const { title, ...units } = reader.read(m.node.title, m.node.body);
        return manager.create(DraftTask, {
          id: randomUUID(),
          planId: ingested.plan.id,
          position: index + 1,
          code: String(index + 1),
          title: titleOf(title).slice(0, MAX_TITLE),
          // A leading sentence too long for a title is kept whole in the contents.
          description: titleOf(title).length > MAX_TITLE ? `${m.node.title}${m.node.body}` : m.node.body,
          targetIds: [m.target.id],
          ...units,
          dueAt: endOfDayInBeijing(m.dueDay),
          dueKind: m.dueKind,
          recurrence: m.recurrence,
          milestones: milestonesOf(m, read.period),
          taskId: null,
        });
      });
      await this.draftService.insertDrafts(manager, drafts);
      const count = (level: TargetLevel) => ingested.targets.filter((t) => t.level === level).length;
      return {
        plan: ingested.plan,
        chapterCount: count(TargetLevel.CHAPTER),
        sectionCount: count(TargetLevel.SECTION),
        itemCount: count(TargetLevel.ITEM),
        measureCount: count(TargetLevel.MEASURE),
        indicatorCount: ingested.indicatorCount,
        draftTaskCount: drafts.length,
      };
    });
  }

  /** Opens the DECOMPOSITION approval for every unpublished draft of the plan, once they are all complete. */
  submit(actor: Actor, input: SubmitDecompositionInput): Promise<ApprovalRequest> {
    return transactional(this.dataSource, async (manager) => {
      const plan = await manager.findOne(Plan, {
        where: { id: input.planId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!plan) throw notFound('规划', input.planId);
      await this.draftService.assertNotInReview(manager, plan.id);
      const drafts = await manager.find(DraftTask, {
        where: { planId: plan.id, taskId: IsNull() },
        order: { position: 'ASC' },
      });
      if (drafts.length === 0) throw badInput('planId', '该规划没有待发布的任务草稿（已全部发布或尚未分解）');
      const issues = await this.check(manager, plan, drafts);
      if (issues.length) {
        throw new AppError(ErrorCode.BAD_USER_INPUT, `有 ${issues.length} 处需要先补全或修改`, {
          field: 'planId',
          issues,
        });
      }
      return this.approvals.open(manager, actor, {
        kind: ApprovalKind.DECOMPOSITION,
        taskId: null,
        planId: plan.id,
        assignmentId: null,
        requesterUnitId: actor.orgUnitId,
        payload: { draftTaskIds: drafts.map((d) => d.id) },
        comment: input.comment,
        routing: { unitId: null, leadDepartmentIds: [], responsibleLeaderId: null, leadUnitIds: [] },
      });
    });
  }

  /** The DECOMPOSITION approval's effect: each listed draft not yet published becomes a task with its shares. */
  async publish(manager: EntityManager, actor: Actor, request: ApprovalRequest): Promise<void> {
    const ids = request.payload.draftTaskIds;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))
      throw new Error(`the payload of decomposition request ${request.id} is malformed`);
    const drafts = await manager.find(DraftTask, {
      where: { id: In(ids), taskId: IsNull() },
      order: { position: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    const plan = await manager.findOneByOrFail(Plan, { id: request.planId as string });
    const issues = await this.check(manager, plan, drafts);
    if (issues.length) {
      throw new AppError(
        ErrorCode.BAD_USER_INPUT,
        `任务草稿有 ${issues.length} 处问题，无法发布：请退回，修改后重新提交`,
        {
          issues,
        },
      );
    }
    // Thousands of rows publish in sets: each table is written a batch of tasks at a time.
    const tasks = await this.taskBatch.createMany(manager, actor, drafts.map(newTaskOf));
    await this.draftService.markPublished(
      manager,
      drafts.map((draft, i) => ({ id: draft.id, taskId: tasks[i].id })),
    );
    await this.audit.record(manager, actor, {
      action: 'decomposition.publish',
      entityType: 'Plan',
      entityId: plan.id,
      after: {
        requestId: request.id,
        published: drafts.length,
        alreadyPublished: ids.length - drafts.length,
      },
    });
  }

  /** Everything a draft needs before it can become a task. */
  private async check(manager: EntityManager, plan: Plan, drafts: DraftTask[]): Promise<DraftIssue[]> {
    const issues: DraftIssue[] = [];
    const taken = new Set(
      (await manager.query<{ code: string }[]>(`SELECT code FROM task WHERE plan_id = $1`, [plan.id])).map(
        (r) => r.code,
      ),
    );
    const leaders = new Set(
      (await manager.findBy(User, { role: Role.LEADER, active: true })).map((u) => u.id),
    );
    for (const draft of drafts) {
      const issue = (field: string, message: string) =>
        issues.push({ draftTaskId: draft.id, code: draft.code, field, message });
      if (draft.leadUnitIds.length === 0)
        issue('leadUnitIds', `第${draft.code}项“${draft.title}”尚未指定牵头单位`);
      if (taken.has(draft.code)) issue('code', `序号“${draft.code}”重复`);
      taken.add(draft.code);
      if (draft.responsibleLeaderId && !leaders.has(draft.responsibleLeaderId)) {
        issue('responsibleLeaderId', `第${draft.code}项的责任领导不是在任的区领导`);
      }
      // What the text named but could not be read stays until the leader picks units or a leader.
      for (const open of draft.issues) {
        issues.push({
          draftTaskId: draft.id,
          code: draft.code,
          field: issueField(open),
          message: `第${draft.code}项：${open.message}`,
          kind: open.kind,
          phrase: open.phrase,
        });
      }
    }
    return issues;
  }
}
