import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import { badInput, Role, transactional, type Actor } from '@zhezi/core';
import { OrgUnit } from './org-unit.entity';
import type { LeaderPortfolio, SetLeaderPortfolioInput } from './org-unit-admin.types';
import { User } from './user.entity';

/** Which units each leader oversees (分管). A unit has at most one such leader. */
@Injectable()
export class PortfolioService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<LeaderPortfolio[]> {
    const leaders = await this.dataSource
      .getRepository(User)
      .find({ where: { role: Role.LEADER, active: true }, order: { username: 'ASC' } });
    const rows = await this.dataSource.query<{ leader_id: string; org_unit_id: string }[]>(
      `SELECT p.leader_id, p.org_unit_id FROM leader_portfolio p JOIN org_unit u ON u.id = p.org_unit_id
       ORDER BY u.sort_order, u.code`,
    );
    const units = await this.dataSource
      .getRepository(OrgUnit)
      .findBy({ id: In(rows.map((r) => r.org_unit_id)) });
    const byId = new Map(units.map((u) => [u.id, u]));
    return leaders.map((leader) => ({
      leader,
      orgUnits: rows.filter((r) => r.leader_id === leader.id).map((r) => byId.get(r.org_unit_id)!),
    }));
  }

  /** Replaces a leader's portfolio; a unit another leader oversaw passes to this one (recorded as such). */
  set(actor: Actor, input: SetLeaderPortfolioInput): Promise<LeaderPortfolio> {
    return transactional(this.dataSource, async (manager) => {
      const leader = await manager.findOneBy(User, { id: input.leaderId });
      if (!leader || leader.role !== Role.LEADER || !leader.active) {
        throw badInput('leaderId', '分管领导须为在任的区领导账号');
      }
      const ids = [...new Set(input.orgUnitIds)];
      const units = await manager.findBy(OrgUnit, { id: In(ids) });
      const missing = ids.find((id) => !units.some((u) => u.id === id && u.active));
      if (missing) throw badInput('orgUnitIds', `机构不存在或已停用：${missing}`);
      const before = await manager.query<{ org_unit_id: string; leader_id: string }[]>(
        `SELECT org_unit_id, leader_id FROM leader_portfolio WHERE leader_id = $1 OR org_unit_id = ANY($2::uuid[])
         ORDER BY org_unit_id FOR UPDATE`,
        [leader.id, ids],
      );
      await manager.query(`DELETE FROM leader_portfolio WHERE leader_id = $1`, [leader.id]);
      await manager.query(
        `INSERT INTO leader_portfolio (org_unit_id, leader_id) SELECT u, $1 FROM unnest($2::uuid[]) AS u
         ON CONFLICT (org_unit_id) DO UPDATE SET leader_id = EXCLUDED.leader_id, updated_at = now()`,
        [leader.id, ids],
      );
      await this.audit.record(manager, actor, {
        action: 'leaderPortfolio.set',
        entityType: 'User',
        entityId: leader.id,
        unitIds: ids,
        before: { portfolio: before },
        after: { leaderId: leader.id, orgUnitIds: ids },
      });
      const order = new Map(ids.map((id, i) => [id, i]));
      return { leader, orgUnits: units.sort((a, b) => order.get(a.id)! - order.get(b.id)!) };
    });
  }

  /** Unit id → the leader overseeing it. */
  async overseers(manager: EntityManager): Promise<Map<string, string>> {
    const rows = await manager.query<{ org_unit_id: string; leader_id: string }[]>(
      `SELECT org_unit_id, leader_id FROM leader_portfolio`,
    );
    return new Map(rows.map((r) => [r.org_unit_id, r.leader_id]));
  }

  /** The leader overseeing the first of these units that has one (tables name the principal lead unit first). */
  async leaderOverseeing(manager: EntityManager, orgUnitIds: readonly string[]): Promise<string | null> {
    return (await this.leadersOverseeing(manager, [orgUnitIds]))[0];
  }

  /** {@link leaderOverseeing} for many lists of units at once, in one query: a leader or null per list. */
  async leadersOverseeing(
    manager: EntityManager,
    lists: readonly (readonly string[])[],
  ): Promise<(string | null)[]> {
    const found: (string | null)[] = lists.map(() => null);
    if (!lists.some((units) => units.length)) return found;
    const rows = await manager.query<{ n: number; leader_id: string }[]>(
      `SELECT DISTINCT ON (w.n) w.n, p.leader_id FROM unnest($1::int[], $2::uuid[]) WITH ORDINALITY AS w(n, unit, i)
       JOIN leader_portfolio p ON p.org_unit_id = w.unit
       JOIN app_user l ON l.id = p.leader_id AND l.active AND l.role = $3
       ORDER BY w.n, w.i`,
      [lists.flatMap((units, n) => units.map(() => n)), lists.flat(), Role.LEADER],
    );
    for (const row of rows) found[row.n] = row.leader_id;
    return found;
  }
}
