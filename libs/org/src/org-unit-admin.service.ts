import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import { badInput, conflict, notFound, transactional, type Actor } from '@zhezi/core';
import { ASSIGNABLE_KINDS, OrgUnit, OrgUnitKind } from './org-unit.entity';
import { OrgService } from './org.service';
import type { CreateOrgUnitInput, OrgUnitVersionInput, UpdateOrgUnitInput } from './org-unit-admin.types';

/** Locks units in id order (so two edits never deadlock) and checks each is at the version the caller read. */
export async function lockUnitsForEdit(
  manager: EntityManager,
  wanted: { id: string; version: number; field: string }[],
): Promise<OrgUnit[]> {
  const found = await manager.find(OrgUnit, {
    where: { id: In(wanted.map((w) => w.id)) },
    order: { id: 'ASC' },
    lock: { mode: 'pessimistic_write' },
  });
  return wanted.map(({ id, version, field }) => {
    const unit = found.find((u) => u.id === id);
    if (!unit) throw badInput(field, `机构不存在：${id}`);
    if (unit.version !== version) {
      throw conflict(`${unit.name}已被他人修改，请刷新后重试`, { currentVersion: unit.version });
    }
    return unit;
  });
}

/** Admins keep the org chart: create units, rename them (the old name stays an alias), move and deactivate. */
@Injectable()
export class OrgUnitAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    /** Told of each change once committed: this process's next read must not wait for NOTIFY. */
    private readonly org: OrgService,
  ) {}

  create(actor: Actor, input: CreateOrgUnitInput): Promise<OrgUnit> {
    return transactional(this.dataSource, async (manager) => {
      if (input.kind === OrgUnitKind.GOVERNMENT) throw badInput('kind', '区政府只能有一个');
      await this.requireParent(manager, input.parentId, null);
      if (await manager.existsBy(OrgUnit, { code: input.code })) {
        throw conflict(`机构代码“${input.code}”已被使用`, { field: 'code' });
      }
      const aliases = this.cleanAliases(input.aliases ?? [], input.name);
      await this.assertNamesFree(manager, [input.name, ...aliases], null);
      const unit = await manager.save(manager.create(OrgUnit, { ...input, aliases }));
      await this.record(manager, actor, 'orgUnit.create', null, unit);
      return unit;
    });
  }

  async update(actor: Actor, input: UpdateOrgUnitInput): Promise<OrgUnit> {
    const changed = await transactional(this.dataSource, async (manager) => {
      const [unit] = await lockUnitsForEdit(manager, [{ id: input.id, version: input.version, field: 'id' }]);
      if (!unit.active) throw conflict(`${unit.name}已停用，不能修改`, { reason: 'UNIT_INACTIVE' });
      const before = { ...unit };
      const name = input.name?.trim() ?? unit.name;
      let aliases = input.aliases ?? unit.aliases;
      // Old documents and sheets keep the old name: it becomes an alias.
      if (name !== unit.name) aliases = [...aliases, unit.name];
      aliases = this.cleanAliases(aliases, name);
      const newNames = [name, ...aliases].filter((n) => n !== unit.name && !unit.aliases.includes(n));
      await this.assertNamesFree(manager, newNames, unit.id);
      if (input.parentId !== undefined && input.parentId !== unit.parentId) {
        if (unit.kind === OrgUnitKind.GOVERNMENT) throw badInput('parentId', '区政府没有上级机构');
        await this.requireParent(manager, input.parentId, unit.id);
      }
      if (input.kind && input.kind !== unit.kind) await this.checkKindChange(manager, unit, input.kind);
      Object.assign(unit, {
        name,
        aliases,
        ...(input.kind && { kind: input.kind }),
        ...(input.parentId && { parentId: input.parentId }),
      });
      const saved = await manager.save(unit);
      await this.record(manager, actor, 'orgUnit.update', before, saved);
      return saved;
    });
    this.org.unitsChanged([changed.id]);
    return changed;
  }

  /** A unit leaves the chart only with nothing open: otherwise the refusal lists what is. */
  async deactivate(actor: Actor, input: OrgUnitVersionInput): Promise<OrgUnit> {
    const changed = await transactional(this.dataSource, async (manager) => {
      const [unit] = await lockUnitsForEdit(manager, [{ id: input.id, version: input.version, field: 'id' }]);
      if (!unit.active) return unit;
      if (unit.kind === OrgUnitKind.GOVERNMENT) throw badInput('id', '区政府不能停用');
      const [open] = await manager.query<Record<string, number>[]>(
        `SELECT
           (SELECT count(*) FROM assignment WHERE org_unit_id = $1 AND status <> 'CLOSED')::int AS "openShares",
           (SELECT count(*) FROM draft_task WHERE task_id IS NULL
              AND $1 = ANY(lead_unit_ids || support_unit_ids))::int AS drafts,
           (SELECT count(*) FROM app_user WHERE org_unit_id = $1 AND active)::int AS users,
           (SELECT count(*) FROM org_unit WHERE parent_id = $1 AND active)::int AS "childUnits",
           (SELECT count(*) FROM approval_request
              WHERE requester_unit_id = $1 AND status = 'PENDING')::int AS "pendingApprovals"`,
        [unit.id],
      );
      const openWork = Object.entries(open).filter(([, n]) => n > 0);
      if (openWork.length) {
        throw conflict(`${unit.name}仍有未办结事项，不能停用（可将其合并到其他机构）`, {
          reason: 'UNIT_HAS_OPEN_WORK',
          open: Object.fromEntries(openWork),
        });
      }
      const before = { ...unit };
      unit.active = false;
      const saved = await manager.save(unit);
      await manager.query(`DELETE FROM leader_portfolio WHERE org_unit_id = $1`, [unit.id]);
      await manager.query(`UPDATE notification_channel SET active = false WHERE org_unit_id = $1`, [unit.id]);
      // The leader board leaves inactive units out: its cached figures must be recomputed.
      await manager.query(`UPDATE board_unit_summary SET revision = revision + 1 WHERE org_unit_id = $1`, [
        unit.id,
      ]);
      await this.record(manager, actor, 'orgUnit.deactivate', before, saved);
      return saved;
    });
    this.org.unitsChanged([changed.id]);
    return changed;
  }

  private cleanAliases(aliases: string[], name: string): string[] {
    return [...new Set(aliases.map((a) => a.trim()).filter((a) => a && a !== name))];
  }

  /** A name or alias must point at one unit, or imports could not tell which is meant. */
  private async assertNamesFree(manager: EntityManager, names: string[], unitId: string | null) {
    if (!names.length) return;
    const [taken] = await manager.query<{ name: string; owner: string }[]>(
      `SELECT n AS name, u.name AS owner FROM unnest($1::text[]) AS n
       JOIN org_unit u ON (u.name = n OR (u.active AND n = ANY(u.aliases)))
       WHERE u.id IS DISTINCT FROM $2::uuid LIMIT 1`,
      [names, unitId],
    );
    if (taken) {
      throw conflict(`名称“${taken.name}”已被${taken.owner}使用`, { field: 'name', reason: 'NAME_TAKEN' });
    }
  }

  /** The parent exists, is active, and is not the unit itself or one of its descendants. */
  private async requireParent(manager: EntityManager, parentId: string, unitId: string | null) {
    const parent = await manager.findOneBy(OrgUnit, { id: parentId });
    if (!parent) throw notFound('机构', parentId);
    if (!parent.active) throw badInput('parentId', `${parent.name}已停用`);
    if (!unitId) return;
    const [cycle] = await manager.query<unknown[]>(
      `WITH RECURSIVE up AS (
         SELECT id, parent_id FROM org_unit WHERE id = $1
         UNION SELECT o.id, o.parent_id FROM org_unit o JOIN up ON o.id = up.parent_id)
       SELECT 1 FROM up WHERE id = $2`,
      [parentId, unitId],
    );
    if (cycle) throw badInput('parentId', '上级机构不能是其自身或其下级');
  }

  /** A unit still carrying open work must stay a kind that carries shares. */
  private async checkKindChange(manager: EntityManager, unit: OrgUnit, kind: OrgUnitKind) {
    if (kind === OrgUnitKind.GOVERNMENT) throw badInput('kind', '区政府只能有一个');
    if (ASSIGNABLE_KINDS.includes(kind)) return;
    const [{ n }] = await manager.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM assignment WHERE org_unit_id = $1 AND status <> 'CLOSED'`,
      [unit.id],
    );
    if (n > 0) throw badInput('kind', `${unit.name}仍有 ${n} 项在办任务，不能改为不承办任务的类别`);
  }

  private record(
    manager: EntityManager,
    actor: Actor,
    action: string,
    before: OrgUnit | null,
    unit: OrgUnit,
  ) {
    return this.audit.record(manager, actor, {
      action,
      entityType: 'OrgUnit',
      entityId: unit.id,
      unitIds: [unit.id],
      before,
      after: unit,
    });
  }
}
