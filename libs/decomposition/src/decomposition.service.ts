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
  conflict,
  endOfDayInBeijing,
  ErrorCode,
  notFound,
  paginate,
  Role,
  transactional,
  type Actor,
  type AppConfig,
  type Connection,
  type PageArgs,
} from '@zhezi/core';
import { ASSIGNABLE_KINDS, OrgUnit, User } from '@zhezi/org';
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
import {
  AssignmentRole,
  AssignmentService,
  checkWithinDeadline,
  datedMilestones,
  TaskService,
  type NewShare,
} from '@zhezi/task';
import { DraftTask } from './draft-task.entity';
import { applyEdit, issueField, mergeReadings, type DraftIssueKind } from './draft-units';
import type {
  IngestPlanInput,
  IngestResult,
  MergeDraftTasksInput,
  SplitDraftTaskInput,
  SubmitDecompositionInput,
  UpdateDraftTaskInput,
} from './decomposition.types';
import { FileUploadService } from './file-upload.service';
import { prewarmTaskListReader } from './task-list-file';
import { UnitReadingService } from './unit-reading.service';

const ROWS_PER_INSERT = 1000;

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
    private readonly tasks: TaskService,
    private readonly assignments: AssignmentService,
    private readonly uploads: FileUploadService,
    @InjectRepository(DraftTask) private readonly drafts: Repository<DraftTask>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.kinds.register(ApprovalKind.DECOMPOSITION, {
      describe: async (manager, request) => ({
        title: (await manager.findOneByOrFail(Plan, { id: request.planId as string })).title,
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
      await this.insertDrafts(manager, drafts);
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

  async insertDrafts(manager: EntityManager, drafts: DraftTask[]): Promise<void> {
    for (let i = 0; i < drafts.length; i += ROWS_PER_INSERT) {
      await manager.insert(DraftTask, drafts.slice(i, i + ROWS_PER_INSERT));
    }
  }

  listDrafts(planId: string, page: PageArgs): Promise<Connection<DraftTask>> {
    const qb = this.drafts.createQueryBuilder('d').where('d.plan_id = :planId', { planId });
    return paginate(qb, page, 'd.position', (d) => d.position, 'ASC', undefined, 'int');
  }

  updateDraft(actor: Actor, input: UpdateDraftTaskInput): Promise<DraftTask> {
    return transactional(this.dataSource, async (manager) => {
      const [draft] = await this.lockDrafts(manager, [input]);
      const before = { ...draft };
      const { id: _id, version: _version, responsibleLeaderId, ...changes } = input;
      const edited = {
        lead: input.leadUnitIds !== undefined,
        support: input.supportUnitIds !== undefined,
        leader: responsibleLeaderId !== undefined,
      };
      // Only the responsible leader may be cleared (null); every other field always has a value.
      const cleared = Object.entries(changes).find(([, value]) => value === null);
      if (cleared) throw badInput(cleared[0], '该项不能清空，不修改时请不要传入');
      Object.assign(
        draft,
        Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
      );
      if (responsibleLeaderId !== undefined) draft.responsibleLeaderId = responsibleLeaderId;
      // Only a recurring deadline has a period.
      if (draft.dueKind !== DueKind.RECURRING) draft.recurrence = null;
      else draft.recurrence ??= Recurrence.YEARLY;
      applyEdit(draft, before, edited);
      if (input.responsibleLeaderId) await this.requireLeader(manager, input.responsibleLeaderId);
      const units = [...draft.leadUnitIds, ...draft.supportUnitIds];
      if (new Set(units).size !== units.length) throw badInput('supportUnitIds', '同一单位不能重复指定');
      const found = await manager.findBy(OrgUnit, { id: In(units) });
      const fields = [
        ...draft.leadUnitIds.map((id, i) => ({ id, field: `leadUnitIds.${i}` })),
        ...draft.supportUnitIds.map((id, i) => ({ id, field: `supportUnitIds.${i}` })),
      ];
      for (const { id, field } of fields) {
        const unit = found.find((u) => u.id === id);
        if (!unit || !ASSIGNABLE_KINDS.includes(unit.kind))
          throw badInput(field, `单位不存在或不能承办任务：${id}`);
      }
      checkWithinDeadline(datedMilestones(draft.milestones), draft.dueAt, '完成时限');
      const saved = await manager.save(draft);
      await this.record(manager, actor, 'draftTask.update', saved, before);
      return saved;
    });
  }

  /** Merges drafts into the first in order: contents joined, units and measures united, the later deadline. */
  merge(actor: Actor, input: MergeDraftTasksInput): Promise<DraftTask> {
    return transactional(this.dataSource, async (manager) => {
      const drafts = await this.lockDrafts(manager, input.drafts);
      drafts.sort((a, b) => a.position - b.position);
      const [kept, ...merged] = drafts;
      const before = drafts.map((d) => ({ ...d }));
      const unique = <T>(values: T[]) => [...new Set(values)];
      kept.description = drafts
        .map((d) => d.description || d.title)
        .filter(Boolean)
        .join('\n');
      kept.targetIds = unique(drafts.flatMap((d) => d.targetIds));
      kept.leadUnitIds = unique(drafts.flatMap((d) => d.leadUnitIds));
      kept.supportUnitIds = unique(drafts.flatMap((d) => d.supportUnitIds)).filter(
        (id) => !kept.leadUnitIds.includes(id),
      );
      kept.responsibleLeaderId = drafts.find((d) => d.responsibleLeaderId)?.responsibleLeaderId ?? null;
      kept.dueAt = new Date(Math.max(...drafts.map((d) => d.dueAt.getTime())));
      // A dated part makes the whole dated; only drafts that are all ongoing stay ongoing.
      const dated = drafts
        .filter((d) => d.dueKind !== DueKind.ONGOING)
        .sort((a, b) => b.dueAt.getTime() - a.dueAt.getTime())[0];
      kept.dueKind = dated?.dueKind ?? DueKind.ONGOING;
      kept.recurrence = dated?.recurrence ?? null;
      kept.milestones = drafts
        .flatMap((d) => d.milestones)
        .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
      Object.assign(kept, mergeReadings(drafts));
      kept.suggestions = drafts
        .flatMap((d) => d.suggestions)
        .sort((a, b) => b.score - a.score)
        .filter((s, i, all) => all.findIndex((o) => o.orgUnitId === s.orgUnitId) === i);
      await manager.delete(DraftTask, { id: In(merged.map((d) => d.id)) });
      const saved = await manager.save(kept);
      await this.renumber(manager, kept.planId);
      await this.record(manager, actor, 'draftTask.merge', saved, { drafts: before });
      return manager.findOneByOrFail(DraftTask, { id: kept.id });
    });
  }

  /** Splits a draft into parts that keep its units, deadline and measures; the first part is the draft itself. */
  split(actor: Actor, input: SplitDraftTaskInput): Promise<DraftTask[]> {
    return transactional(this.dataSource, async (manager) => {
      const [draft] = await this.lockDrafts(manager, [input]);
      const before = { ...draft };
      const extra = input.parts.length - 1;
      await manager
        .createQueryBuilder()
        .update(DraftTask)
        .set({ position: () => `position + ${extra}` })
        .where('plan_id = :planId AND position > :position', {
          planId: draft.planId,
          position: draft.position,
        })
        .execute();
      const [first, ...rest] = input.parts;
      draft.title = first.title;
      draft.description = first.description ?? draft.description;
      await manager.save(draft);
      const { id: _id, createdAt: _c, updatedAt: _u, version: _v, ...shared } = draft;
      await this.insertDrafts(
        manager,
        rest.map((part, i) =>
          manager.create(DraftTask, {
            ...shared,
            id: randomUUID(),
            position: draft.position + i + 1,
            code: String(draft.position + i + 1),
            title: part.title,
            description: part.description ?? '',
          }),
        ),
      );
      await this.renumber(manager, draft.planId);
      const parts = await manager.find(DraftTask, {
        where: { planId: draft.planId },
        order: { position: 'ASC' },
        skip: draft.position - 1,
        take: input.parts.length,
      });
      await this.record(manager, actor, 'draftTask.split', draft, { draft: before, parts: parts.length });
      return parts;
    });
  }

  /** Removes drafts that are not tasks (a guiding principle, a paragraph of context); the measures stay. */
  remove(actor: Actor, refs: { id: string; version: number }[]): Promise<DraftTask[]> {
    return transactional(this.dataSource, async (manager) => {
      const drafts = await this.lockDrafts(manager, refs);
      await manager.delete(DraftTask, { id: In(drafts.map((d) => d.id)) });
      await this.renumber(manager, drafts[0].planId);
      for (const draft of drafts) {
        await this.audit.record(manager, actor, {
          action: 'draftTask.remove',
          entityType: 'DraftTask',
          entityId: draft.id,
          before: draft,
        });
      }
      return drafts;
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
      await this.assertNotInReview(manager, plan.id);
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
        `任务草稿有 ${issues.length} 处问题，无法发布：请驳回，修改后重新提交`,
        {
          issues,
        },
      );
    }
    for (const draft of drafts) {
      const task = await this.tasks.createWithin(manager, actor, {
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
      });
      const shares: NewShare[] = [
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
      ];
      const units = await this.assignments.checkNewShares(manager, task, shares);
      await this.assignments.createShares(manager, actor, task, shares, units);
      await this.assignments.settleTask(manager, actor, task);
      draft.taskId = task.id;
    }
    await manager.save(drafts);
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

  /** Drafts under review stay as submitted: the approvers decide on what they see. */
  private async assertNotInReview(manager: EntityManager, planId: string): Promise<void> {
    const pending = await manager.existsBy(ApprovalRequest, {
      planId,
      taskId: IsNull(),
      kind: ApprovalKind.DECOMPOSITION,
      status: ApprovalStatus.PENDING,
    });
    if (pending) throw conflict('该规划的任务分解正在审定中，审定结束前不能修改草稿或再次提交');
  }

  private async lockDrafts(
    manager: EntityManager,
    refs: { id: string; version: number }[],
  ): Promise<DraftTask[]> {
    if (new Set(refs.map((r) => r.id)).size !== refs.length) throw badInput('drafts', '同一草稿不能重复列出');
    const drafts = await manager.find(DraftTask, {
      where: { id: In(refs.map((r) => r.id)) },
      lock: { mode: 'pessimistic_write' },
    });
    for (const [i, ref] of refs.entries()) {
      const draft = drafts.find((d) => d.id === ref.id);
      if (!draft) throw notFound('任务草稿', ref.id);
      if (draft.taskId)
        throw conflict(`第${draft.code}项已发布为任务，请通过任务调整申请修改`, { taskId: draft.taskId });
      if (draft.version !== ref.version) {
        throw conflict('草稿已被他人修改，请刷新后重试', { index: i, currentVersion: draft.version });
      }
    }
    // Merging and removing work within one plan: its review state and numbering are the plan's.
    if (new Set(drafts.map((d) => d.planId)).size > 1) throw badInput('drafts', '只能同时处理同一规划的草稿');
    await this.assertNotInReview(manager, drafts[0].planId);
    return refs.map((r) => drafts.find((d) => d.id === r.id) as DraftTask);
  }

  /**
   * Positions 1…n in order. Plain numbers (序号 as the list counts them) follow the new order; a code written
   * otherwise (“（三）2”) and a published draft's code stay as they are.
   */
  private async renumber(manager: EntityManager, planId: string): Promise<void> {
    await manager.query(
      `UPDATE draft_task d SET position = n.rank,
         code = CASE WHEN d.task_id IS NULL AND d.code ~ '^[0-9]+$' THEN n.rank::text ELSE d.code END,
         version = d.version + 1, updated_at = now()
       FROM (SELECT id, row_number() OVER (ORDER BY position, created_at, id)::int AS rank
             FROM draft_task WHERE plan_id = $1) n
       WHERE d.id = n.id
         AND (d.position <> n.rank OR (d.task_id IS NULL AND d.code ~ '^[0-9]+$' AND d.code <> n.rank::text))`,
      [planId],
    );
  }

  private async requireLeader(manager: EntityManager, userId: string): Promise<void> {
    const leader = await manager.findOneBy(User, { id: userId, active: true });
    if (!leader || leader.role !== Role.LEADER)
      throw badInput('responsibleLeaderId', '责任领导须为区领导账号');
  }

  private record(manager: EntityManager, actor: Actor, action: string, draft: DraftTask, before: object) {
    return this.audit.record(manager, actor, {
      action,
      entityType: 'DraftTask',
      entityId: draft.id,
      before,
      after: draft,
    });
  }
}
