import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, IsNull, Repository, type EntityManager } from 'typeorm';
import { ApprovalKind, ApprovalRequest, ApprovalStatus } from '@zhezi/approval';
import { AuditService } from '@zhezi/audit';
import {
  badInput,
  conflict,
  notFound,
  paginate,
  Role,
  transactional,
  type Actor,
  type Connection,
  type PageArgs,
} from '@zhezi/core';
import { ASSIGNABLE_KINDS, OrgUnit, User } from '@zhezi/org';
import { DueKind, Recurrence } from '@zhezi/plan';
import { checkWithinDeadline, datedMilestones } from '@zhezi/task';
import { DraftTask } from './draft-task.entity';
import { applyEdit, mergeReadings } from './draft-units';
import type { MergeDraftTasksInput, SplitDraftTaskInput, UpdateDraftTaskInput } from './decomposition.types';

const ROWS_PER_INSERT = 1000;

/**
 * A plan's draft tasks between reading and review: listed, edited, merged, split and removed by the leader,
 * each change locked by version, renumbered and audited; none while the plan's decomposition is under review.
 */
@Injectable()
export class DraftService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @InjectRepository(DraftTask) private readonly drafts: Repository<DraftTask>,
  ) {}

  /** Writes new drafts a thousand rows a statement (a 10,000-row list is ten). */
  async insertDrafts(manager: EntityManager, drafts: DraftTask[]): Promise<void> {
    for (let i = 0; i < drafts.length; i += ROWS_PER_INSERT) {
      await manager.insert(DraftTask, drafts.slice(i, i + ROWS_PER_INSERT));
    }
  }

  /** Published drafts remember their tasks (a version each, as a save would), in one statement. */
  async markPublished(manager: EntityManager, published: readonly { id: string; taskId: string }[]) {
    if (!published.length) return;
    await manager.query(
      `UPDATE draft_task d SET task_id = p.task_id, version = d.version + 1, updated_at = now()
       FROM unnest($1::uuid[], $2::uuid[]) AS p(id, task_id) WHERE d.id = p.id`,
      [published.map((p) => p.id), published.map((p) => p.taskId)],
    );
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

  /** Drafts under review stay as submitted: the approvers decide on what they see. */
  async assertNotInReview(manager: EntityManager, planId: string): Promise<void> {
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
