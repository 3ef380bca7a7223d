import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, type EntityManager } from 'typeorm';
import { badInput, notFound, readByIds, rowByIdLoader, rowsByLoader, type RequestContext } from '@zhezi/core';
import { OrgUnit, type OrgUnitKind } from './org-unit.entity';
import { User } from './user.entity';
import type { OrgUnitsArgs } from './org.types';

@Injectable()
export class OrgService {
  constructor(
    @InjectRepository(OrgUnit) private readonly units: Repository<OrgUnit>,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  listUnits(args: OrgUnitsArgs): Promise<OrgUnit[]> {
    const where = {
      ...(!args.includeInactive && { active: true }),
      ...(args.kind && { kind: args.kind }),
      ...(args.parentId && { parentId: args.parentId }),
    };
    return this.units.find({ where, order: { sortOrder: 'ASC', code: 'ASC' } });
  }

  unitsByIds(ids: readonly string[]): Promise<OrgUnit[]> {
    return this.units.findBy({ id: In([...ids]) });
  }

  async getUnit(id: string): Promise<OrgUnit> {
    const [unit] = await readByIds(this.units, [id]);
    if (!unit) throw notFound('机构', id);
    return unit;
  }

  /** Loads the units an input names and checks each is of an allowed kind; errors name the input's field. */
  async requireUnits(
    manager: EntityManager,
    wanted: { orgUnitId: string; field: string }[],
    kinds: readonly OrgUnitKind[],
  ): Promise<Map<string, OrgUnit>> {
    const found = await manager.findBy(OrgUnit, { id: In(wanted.map((w) => w.orgUnitId)) });
    const map = new Map(found.map((u) => [u.id, u]));
    for (const { orgUnitId, field } of wanted) {
      const unit = map.get(orgUnitId);
      if (!unit) throw badInput(`${field}.orgUnitId`, `机构不存在：${orgUnitId}`);
      if (!unit.active) throw badInput(`${field}.orgUnitId`, `${unit.name}已停用或已合并`);
      if (!kinds.includes(unit.kind)) throw badInput(`${field}.orgUnitId`, `${unit.name}不能承担此类分工`);
    }
    return map;
  }

  findActiveUser(id: string): Promise<User | null> {
    return this.users.findOneBy({ id, active: true });
  }

  /** Disabled users too: sign-in refuses them like anyone else, and records the attempt on their history. */
  findUserWithPassword(username: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username })
      .getOne();
  }

  unitLoader(ctx: RequestContext) {
    return rowByIdLoader(ctx, 'orgUnit.byId', this.units);
  }

  childUnitsLoader(ctx: RequestContext) {
    return rowsByLoader(ctx, 'orgUnit.children', this.units, 'parentId', { sortOrder: 'ASC', code: 'ASC' });
  }

  userLoader(ctx: RequestContext) {
    return rowByIdLoader(ctx, 'user.byId', this.users);
  }
}
