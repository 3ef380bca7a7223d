import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, type EntityManager } from 'typeorm';
import {
  badInput,
  Clock,
  NotifiedCache,
  notFound,
  PgListener,
  readByIds,
  requestLoader,
  rowByIdLoader,
  rowsByLoader,
  type RequestContext,
} from '@zhezi/core';
import { OrgUnit, type OrgUnitKind } from './org-unit.entity';
import { User } from './user.entity';
import type { OrgUnitsArgs } from './org.types';

/** Said on commit of every change to a unit row, with its id (trigger of migration OrgUnitChangeNotify). */
export const ORG_UNIT_CHANGED_CHANNEL = 'zhezi_org_unit_changed';

@Injectable()
export class OrgService implements OnModuleInit {
  /**
   * Units by id, per process: every board, share and access check names the same few hundred units, and a
   * unit board read its own unit on every request. Units read from here are shared: never change one.
   */
  private readonly unitCache: NotifiedCache<OrgUnit>;

  constructor(
    @InjectRepository(OrgUnit) private readonly units: Repository<OrgUnit>,
    @InjectRepository(User) private readonly users: Repository<User>,
    listener: PgListener,
    clock: Clock,
  ) {
    this.unitCache = new NotifiedCache(listener, clock, {
      channel: ORG_UNIT_CHANGED_CHANNEL,
      limit: 20_000,
      maxAgeMs: 10 * 60_000,
    });
  }

  onModuleInit(): Promise<void> {
    return this.unitCache.listen();
  }

  listUnits(args: OrgUnitsArgs): Promise<OrgUnit[]> {
    const where = {
      ...(!args.includeInactive && { active: true }),
      ...(args.kind && { kind: args.kind }),
      ...(args.parentId && { parentId: args.parentId }),
    };
    return this.units.find({ where, order: { sortOrder: 'ASC', code: 'ASC' } });
  }

  async getUnit(id: string): Promise<OrgUnit> {
    const unit = (await this.unitsByIds([id])).get(id);
    if (!unit) throw notFound('机构', id);
    return unit;
  }

  /** The units of `ids` that exist, by id. */
  unitsByIds(ids: readonly string[]): Promise<Map<string, OrgUnit>> {
    return this.unitCache.getMany(
      ids,
      async (missing) => new Map((await readByIds(this.units, missing)).map((unit) => [unit.id, unit])),
    );
  }

  /** After this process's own change to units commits (all of them if not named): no waiting for NOTIFY. */
  unitsChanged(ids?: readonly string[]): void {
    if (ids) ids.forEach((id) => this.unitCache.evict(id));
    else this.unitCache.clear();
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
    return requestLoader<string, OrgUnit | null>(ctx, 'orgUnit.byId', async (ids) => {
      const found = await this.unitsByIds(ids);
      return ids.map((id) => found.get(id) ?? null);
    });
  }

  childUnitsLoader(ctx: RequestContext) {
    return rowsByLoader(ctx, 'orgUnit.children', this.units, 'parentId', { sortOrder: 'ASC', code: 'ASC' });
  }

  userLoader(ctx: RequestContext) {
    return rowByIdLoader(ctx, 'user.byId', this.users);
  }
}
