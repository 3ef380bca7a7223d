import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import { badInput, conflict, transactional, type Actor } from '@zhezi/core';
import { LOCAL_KINDS, OrgUnit } from './org-unit.entity';
import { lockUnitsForEdit } from './org-unit-admin.service';
import { OrgService } from './org.service';
import type { MergeOrgUnitsInput, OrgUnitMergeResult } from './org-unit-admin.types';
import { UnitMergeHooks } from './unit-merge.hooks';

interface ShareRow {
  id: string;
  task_id: string;
  task_code: string;
  parent_id: string | null;
  role: string;
  status: string;
  status_before_suspend: string | null;
  progress_percent: number;
  due_at: Date;
  original_due_at: Date | null;
  extension_count: number;
  closed_at: Date | null;
}

/**
 * How far along a share is, for choosing the merged share's state: the less advanced share's state wins, so
 * a merge never makes work look further along than one of its parts. An open share is always less advanced
 * than a closed one; a suspension (a decision someone took) is kept.
 */
const ADVANCEMENT: Record<string, number> = {
  SUSPENDED: 0,
  ASSIGNED: 1,
  ACCEPTED: 2,
  RETURNED: 3,
  IN_PROGRESS: 3,
  CLOSE_OUT_REQUESTED: 4,
  CLOSED: 9,
};

const SHARE_COLUMNS = `a.id, a.task_id, t.code AS task_code, a.parent_id, a.role, a.status, a.status_before_suspend,
  a.progress_percent, a.due_at, a.original_due_at, a.extension_count, a.closed_at`;

/**
 * Merges one unit into another (机构合并) in one audited transaction. Open shares, unpublished drafts,
 * channels, keyword rules, portfolios, child units and users move to the surviving unit; the merged unit
 * becomes inactive and its names become the survivor's aliases. Closed shares stay on the merged unit, so
 * closed history keeps the name it was closed under (the unit row is kept, only inactive).
 */
@Injectable()
export class UnitMergeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly hooks: UnitMergeHooks,
    /** Told of the merge once committed: this process's next read must not wait for NOTIFY. */
    private readonly org: OrgService,
  ) {}

  async merge(actor: Actor, input: MergeOrgUnitsInput): Promise<OrgUnitMergeResult> {
    if (input.fromId === input.intoId) throw badInput('intoId', '不能把机构并入其自身');
    const result = await transactional(this.dataSource, async (manager) => {
      const [from, into] = await lockUnitsForEdit(manager, [
        { id: input.fromId, version: input.fromVersion, field: 'fromId' },
        { id: input.intoId, version: input.intoVersion, field: 'intoId' },
      ]);
      if (!from.active || !into.active) throw conflict('只能合并在用的机构', { reason: 'UNIT_INACTIVE' });
      const family = (u: OrgUnit) => (LOCAL_KINDS.includes(u.kind) ? 'LOCAL' : u.kind);
      if (family(from) !== family(into)) {
        throw badInput('intoId', `${from.name}与${into.name}类别不同，不能合并（街道与镇可互相合并）`);
      }
      const before = { from: { ...from }, into: { ...into } };
      const pairs = await this.collidingShares(manager, from.id, into.id);
      await this.assertMergeable(manager, pairs);

      // An UPDATE … RETURNING answers [rows, count].
      const [moved] = await manager.query<[{ id: string; task_id: string }[], number]>(
        `UPDATE assignment SET org_unit_id = $2, version = version + 1, updated_at = now()
         WHERE org_unit_id = $1 AND status <> 'CLOSED' AND NOT (id = ANY($3::uuid[]))
         RETURNING id, task_id`,
        [from.id, into.id, pairs.map((p) => p.absorbed.id)],
      );
      const merged = [];
      for (const pair of pairs) merged.push(await this.mergeShare(manager, pair.absorbed, pair.survivor));
      await this.hooks.sharesMerged(
        manager,
        actor,
        merged.map((m) => ({ taskId: m.taskId, assignmentId: m.survivorId, dueChanged: m.dueChanged })),
      );
      const movedUsers = await this.moveUnitRows(manager, from, into);

      into.aliases = [...new Set([...into.aliases, from.name, ...from.aliases])].filter(
        (n) => n !== into.name,
      );
      if (into.parentId === from.id) into.parentId = from.parentId;
      from.active = false;
      from.mergedIntoId = into.id;
      await manager.save([from, into]);
      // The leader board leaves inactive units out: its cached figures must be recomputed.
      await manager.query(
        `UPDATE board_unit_summary SET revision = revision + 1 WHERE org_unit_id = ANY($1::uuid[])`,
        [[from.id, into.id]],
      );

      for (const share of moved) {
        await this.audit.record(manager, actor, {
          action: 'assignment.transfer',
          entityType: 'Assignment',
          entityId: share.id,
          taskId: share.task_id,
          unitIds: [from.id, into.id],
          after: { orgUnitId: into.id, fromOrgUnitId: from.id, fromOrgUnitName: from.name },
        });
      }
      for (const m of merged) {
        await this.audit.record(manager, actor, {
          action: 'assignment.merge',
          entityType: 'Assignment',
          entityId: m.survivorId,
          taskId: m.taskId,
          unitIds: [from.id, into.id],
          before: m.before,
          after: m.after,
        });
      }
      await this.audit.record(manager, actor, {
        action: 'orgUnit.merge',
        entityType: 'OrgUnit',
        entityId: from.id,
        unitIds: [from.id, into.id],
        before,
        after: {
          from,
          into,
          movedShareIds: moved.map((s) => s.id),
          mergedShares: merged.map((m) => ({ absorbedId: m.absorbedId, survivorId: m.survivorId })),
          movedUserIds: movedUsers,
        },
      });
      return {
        from,
        into,
        movedShares: moved.length + merged.length,
        mergedShares: merged.length,
        movedUsers: movedUsers.length,
      };
    });
    // The two units and the children moved under the survivor.
    this.org.unitsChanged();
    return result;
  }

  /** The merged unit's open shares of tasks the survivor also holds a share of, each with the survivor's. */
  private async collidingShares(manager: EntityManager, fromId: string, intoId: string) {
    const rows = await manager.query<(ShareRow & { org_unit_id: string })[]>(
      `SELECT ${SHARE_COLUMNS}, a.org_unit_id
       FROM assignment a JOIN task t ON t.id = a.task_id
       WHERE a.org_unit_id IN ($1, $2)
         AND a.task_id IN (SELECT task_id FROM assignment WHERE org_unit_id = $1 AND status <> 'CLOSED')
         AND a.task_id IN (SELECT task_id FROM assignment WHERE org_unit_id = $2)
       ORDER BY t.code, a.id
       FOR UPDATE OF a`,
      [fromId, intoId],
    );
    return rows
      .filter((r) => r.org_unit_id === fromId)
      .map((absorbed) => ({
        absorbed,
        survivor: rows.find((r) => r.task_id === absorbed.task_id && r.org_unit_id === intoId)!,
      }));
  }

  /**
   * Two shares of one task become one only where nothing is half-decided: a pending approval on either, or a
   * supervision notice open on both (a share answers one notice at a time), must be settled first. Nor when
   * they are parts split off by different departments: a unit holds one share of a task, so the merged share
   * would leave one department without its part (its roll-up frozen, never closing through its parts).
   */
  private async assertMergeable(manager: EntityManager, pairs: { absorbed: ShareRow; survivor: ShareRow }[]) {
    if (!pairs.length) return;
    const pending = await manager.query<{ code: string; reason: string }[]>(
      `SELECT p.code, CASE WHEN EXISTS (SELECT 1 FROM approval_request r
                                        WHERE r.assignment_id IN (p.a, p.b) AND r.status = 'PENDING')
                           THEN 'PENDING_APPROVAL' ELSE 'OPEN_NOTICES' END AS reason
       FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS p(a, b, code)
       WHERE EXISTS (SELECT 1 FROM approval_request r WHERE r.assignment_id IN (p.a, p.b) AND r.status = 'PENDING')
          OR (EXISTS (SELECT 1 FROM supervision_notice n WHERE n.assignment_id = p.a AND n.status <> 'CLOSED')
              AND EXISTS (SELECT 1 FROM supervision_notice n WHERE n.assignment_id = p.b AND n.status <> 'CLOSED'))`,
      [
        pairs.map((p) => p.absorbed.id),
        pairs.map((p) => p.survivor.id),
        pairs.map((p) => p.absorbed.task_code),
      ],
    );
    const blocked = [
      ...pairs
        .filter((p) => p.absorbed.parent_id !== p.survivor.parent_id)
        .map((p) => ({ code: p.absorbed.task_code, reason: 'SPLIT_BY_OTHER_UNIT' })),
      ...pending,
    ];
    if (blocked.length) {
      throw conflict(
        `两单位在以下任务上各有分工，且有待决审批、均有未结督办单或分别来自不同部门的分解，请先处理后再合并：${blocked
          .map((b) => b.code)
          .join('、')}`,
        { reason: 'MERGE_BLOCKED', blocked },
      );
    }
  }

  /**
   * Folds the merged unit's share of a task into the survivor's: the less advanced share gives the status
   * (with its ladder), the lower progress and the earlier due date stand, LEAD beats SUPPORT; reports,
   * evidence, approvals, notices, escalations and missed reports all move to the surviving row.
   */
  private async mergeShare(manager: EntityManager, absorbed: ShareRow, survivor: ShareRow) {
    const base = ADVANCEMENT[absorbed.status] < ADVANCEMENT[survivor.status] ? absorbed : survivor;
    const dropped = base === absorbed ? survivor : absorbed;
    const open = [absorbed, survivor].filter((s) => s.status !== 'CLOSED');
    const due = open.reduce((a, b) => (a.due_at.getTime() <= b.due_at.getTime() ? a : b));
    const after = {
      role: absorbed.role === 'LEAD' || survivor.role === 'LEAD' ? 'LEAD' : 'SUPPORT',
      status: base.status,
      statusBeforeSuspend: base.status_before_suspend,
      progressPercent: Math.min(absorbed.progress_percent, survivor.progress_percent),
      dueAt: due.due_at,
      originalDueAt: due.original_due_at,
      extensionCount: due.extension_count,
      closedAt: base.closed_at,
    };
    const [a, s] = [absorbed.id, survivor.id];
    await this.foldReports(manager, a, s);
    // The ladder kept is the base share's; the other one's firings move below it as earlier (negative) cycles.
    await manager.query(
      `UPDATE escalation SET cycle = cycle - (SELECT max(cycle) + 1 FROM escalation WHERE assignment_id = $1)
         + LEAST(0, (SELECT min(cycle) FROM escalation WHERE assignment_id = $2))
       WHERE assignment_id = $1`,
      [dropped.id, base.id],
    );
    await manager.query(`DELETE FROM escalation_state WHERE assignment_id = $1`, [dropped.id]);
    await manager.query(
      `DELETE FROM missed_report m WHERE assignment_id = $1
         AND EXISTS (SELECT 1 FROM missed_report k WHERE k.assignment_id = $2 AND k.period_key = m.period_key)`,
      [a, s],
    );
    for (const table of ['escalation_state', 'escalation', 'missed_report', 'evidence', 'approval_request']) {
      await manager.query(`UPDATE ${table} SET assignment_id = $2 WHERE assignment_id = $1`, [a, s]);
    }
    await manager.query(`UPDATE supervision_notice SET assignment_id = $2 WHERE assignment_id = $1`, [a, s]);
    await manager.query(`UPDATE assignment SET parent_id = $2 WHERE parent_id = $1`, [a, s]);
    await manager.query(`DELETE FROM assignment WHERE id = $1`, [a]);
    await manager.query(
      `UPDATE assignment SET role = $2, status = $3, status_before_suspend = $4, progress_percent = $5,
         due_at = $6, original_due_at = $7, extension_count = $8, closed_at = $9,
         version = version + 1, updated_at = now()
       WHERE id = $1`,
      [
        s,
        after.role,
        after.status,
        after.statusBeforeSuspend,
        after.progressPercent,
        after.dueAt,
        after.originalDueAt,
        after.extensionCount,
        after.closedAt,
      ],
    );
    return {
      taskId: survivor.task_id,
      absorbedId: a,
      survivorId: s,
      dueChanged: due.due_at.getTime() !== base.due_at.getTime(),
      before: { absorbed, survivor },
      after,
    };
  }

  /**
   * Reports move to the surviving share; where both reported for one period, the merged unit's report and
   * its revisions become earlier revisions of the survivor's, which stays current.
   */
  private async foldReports(manager: EntityManager, a: string, s: string): Promise<void> {
    const clashes = await manager.query<
      { absorbed: string; survivor: string; revision: number; count: number }[]
    >(
      `SELECT x.id AS absorbed, y.id AS survivor, y.revision, x.revision AS count
       FROM progress_report x JOIN progress_report y ON y.assignment_id = $2 AND y.period = x.period
       WHERE x.assignment_id = $1`,
      [a, s],
    );
    for (const c of clashes) {
      // The survivor's revisions are 1..revision-1; the merged unit's history follows them, then the current one.
      await manager.query(
        `INSERT INTO progress_report_revision (report_id, revision, text, percent, reason, submitted_by_id, submitted_at)
         SELECT $2, $3 - 1 + h.revision, h.text, h.percent, h.reason, h.submitted_by_id, h.submitted_at
         FROM (SELECT revision, text, percent, reason, submitted_by_id, submitted_at
               FROM progress_report_revision WHERE report_id = $1
               UNION ALL
               SELECT revision, text, percent, reason, submitted_by_id, submitted_at
               FROM progress_report WHERE id = $1) AS h`,
        [c.absorbed, c.survivor, c.revision],
      );
      await manager.query(`UPDATE progress_report SET revision = revision + $2 WHERE id = $1`, [
        c.survivor,
        c.count,
      ]);
      await manager.query(`UPDATE evidence SET report_id = $2 WHERE report_id = $1`, [
        c.absorbed,
        c.survivor,
      ]);
      await manager.query(`DELETE FROM progress_report_revision WHERE report_id = $1`, [c.absorbed]);
      await manager.query(`DELETE FROM progress_report WHERE id = $1`, [c.absorbed]);
    }
    await manager.query(`UPDATE progress_report SET assignment_id = $2 WHERE assignment_id = $1`, [a, s]);
  }

  /** Everything else that names the unit; returns the ids of the users moved. */
  private async moveUnitRows(manager: EntityManager, from: OrgUnit, into: OrgUnit): Promise<string[]> {
    const params = [from.id, into.id];
    const [users] = await manager.query<[{ id: string }[], number]>(
      `UPDATE app_user SET org_unit_id = $2, updated_at = now() WHERE org_unit_id = $1 RETURNING id`,
      params,
    );
    await manager.query(`UPDATE notification_channel SET org_unit_id = $2 WHERE org_unit_id = $1`, params);
    // A keyword both units carry keeps the higher weight.
    await manager.query(
      `UPDATE unit_keyword k SET weight = GREATEST(k.weight, f.weight), updated_at = now()
       FROM unit_keyword f WHERE k.org_unit_id = $2 AND f.org_unit_id = $1 AND f.keyword = k.keyword`,
      params,
    );
    await manager.query(
      `DELETE FROM unit_keyword f WHERE f.org_unit_id = $1
         AND EXISTS (SELECT 1 FROM unit_keyword k WHERE k.org_unit_id = $2 AND k.keyword = f.keyword)`,
      params,
    );
    await manager.query(`UPDATE unit_keyword SET org_unit_id = $2 WHERE org_unit_id = $1`, params);
    // Unpublished drafts: the unit is replaced in place, kept once, and never both lead and support.
    await manager.query(
      `UPDATE draft_task d SET
         lead_unit_ids = x.lead,
         support_unit_ids = ARRAY(SELECT u FROM unnest(array_replace(d.support_unit_ids, $1, $2))
                                    WITH ORDINALITY AS s(u, i)
                                  WHERE NOT (u = ANY(x.lead)) GROUP BY u ORDER BY min(i)),
         version = d.version + 1, updated_at = now()
       FROM (SELECT id, ARRAY(SELECT u FROM unnest(array_replace(lead_unit_ids, $1, $2)) WITH ORDINALITY AS l(u, i)
                              GROUP BY u ORDER BY min(i)) AS lead
             FROM draft_task) AS x
       WHERE x.id = d.id AND d.task_id IS NULL AND $1 = ANY(d.lead_unit_ids || d.support_unit_ids)`,
      params,
    );
    await manager.query(
      `INSERT INTO leader_portfolio (org_unit_id, leader_id)
       SELECT $2, leader_id FROM leader_portfolio WHERE org_unit_id = $1 ON CONFLICT DO NOTHING`,
      params,
    );
    await manager.query(`DELETE FROM leader_portfolio WHERE org_unit_id = $1`, [from.id]);
    await manager.query(
      `UPDATE org_unit SET parent_id = $2, version = version + 1 WHERE parent_id = $1 AND id <> $2`,
      params,
    );
    // Flows that name the unit (a ROLE step limited to it) and requests still waiting for it.
    await manager.query(
      `UPDATE approval_flow SET steps = (
         SELECT jsonb_agg(CASE WHEN st->>'orgUnitId' = $1::text
                               THEN jsonb_set(st, '{orgUnitId}', to_jsonb($2::text)) ELSE st END ORDER BY i)
         FROM jsonb_array_elements(steps) WITH ORDINALITY AS e(st, i))
       WHERE steps @> jsonb_build_array(jsonb_build_object('orgUnitId', $1::text))`,
      params,
    );
    await manager.query(
      `UPDATE approval_request SET requester_unit_id = $2 WHERE requester_unit_id = $1 AND status = 'PENDING'`,
      params,
    );
    return users.map((u) => u.id);
  }
}
