import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository, type EntityManager } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import {
  badInput,
  notFound,
  paginate,
  transactional,
  type Actor,
  type Connection,
  type PageArgs,
} from '@zhezi/core';
import { ASSIGNABLE_KINDS, OrgUnit } from '@zhezi/org';
import type { UnitSuggestion } from './draft-task.entity';
import { UnitKeyword } from './unit-keyword.entity';
import { jieba, UnitSuggester, type KeywordEntry } from './unit-suggester';

/** A measure or a task's contents; longer text is a whole document, which ingestPlan reads. */
const MAX_TEXT = 20000;

/** The keyword → unit dictionary (admins edit it) and the suggestions made from it. */
@Injectable()
export class SuggestionService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @InjectRepository(UnitKeyword) private readonly keywords: Repository<UnitKeyword>,
  ) {}

  /** The segmenter's dictionary loads at start-up, not in the first request that needs it. */
  onModuleInit(): void {
    jieba();
  }

  /** Read afresh for each use: dictionaries are small, and an edit in one process reaches every other. */
  async suggester(manager: EntityManager = this.dataSource.manager): Promise<UnitSuggester> {
    const rows = await manager
      .createQueryBuilder(UnitKeyword, 'k')
      .innerJoin(OrgUnit, 'u', 'u.id = k.org_unit_id AND u.active')
      .select([
        'k.org_unit_id AS "orgUnitId"',
        'u.kind AS "unitKind"',
        'u.sort_order AS "unitOrder"',
        'k.keyword AS keyword',
      ])
      .addSelect('k.weight::float8', 'weight')
      .orderBy('k.keyword')
      .addOrderBy('k.org_unit_id')
      .getRawMany<KeywordEntry>();
    return new UnitSuggester(rows);
  }

  async suggest(title: string, body = ''): Promise<UnitSuggestion[]> {
    if (title.length + body.length > MAX_TEXT) throw badInput('text', `文本过长：最多 ${MAX_TEXT} 字`);
    return (await this.suggester()).suggest(title, body);
  }

  list(
    orgUnitId: string | undefined,
    search: string | undefined,
    page: PageArgs,
  ): Promise<Connection<UnitKeyword>> {
    const qb = this.keywords.createQueryBuilder('k');
    if (orgUnitId) qb.andWhere('k.org_unit_id = :orgUnitId', { orgUnitId });
    if (search?.trim()) qb.andWhere('strpos(k.keyword, :search) > 0', { search: search.trim() });
    return paginate(qb, page, 'k.updated_at', (k) => k.updatedAt);
  }

  /** Adds a keyword to a unit, or changes its weight. */
  set(actor: Actor, input: { orgUnitId: string; keyword: string; weight: number }): Promise<UnitKeyword> {
    const keyword = input.keyword.trim();
    if (!keyword) throw badInput('keyword', '关键词不能为空');
    return transactional(this.dataSource, async (manager) => {
      const unit = await manager.findOneBy(OrgUnit, { id: input.orgUnitId });
      if (!unit || !ASSIGNABLE_KINDS.includes(unit.kind))
        throw badInput('orgUnitId', '单位不存在或不能承办任务');
      const before = await manager.findOneBy(UnitKeyword, { orgUnitId: unit.id, keyword });
      await manager
        .createQueryBuilder()
        .insert()
        .into(UnitKeyword)
        .values({ orgUnitId: unit.id, keyword, weight: input.weight })
        .orUpdate(['weight', 'updated_at'], ['keyword', 'org_unit_id'])
        .execute();
      const saved = await manager.findOneByOrFail(UnitKeyword, { orgUnitId: unit.id, keyword });
      await this.audit.record(manager, actor, {
        action: 'unitKeyword.set',
        entityType: 'UnitKeyword',
        entityId: saved.id,
        unitIds: [unit.id],
        before,
        after: { ...saved, orgUnitName: unit.name },
      });
      return saved;
    });
  }

  remove(actor: Actor, id: string): Promise<UnitKeyword> {
    return transactional(this.dataSource, async (manager) => {
      const keyword = await manager.findOneBy(UnitKeyword, { id });
      if (!keyword) throw notFound('关键词', id);
      await manager.delete(UnitKeyword, { id });
      await this.audit.record(manager, actor, {
        action: 'unitKeyword.remove',
        entityType: 'UnitKeyword',
        entityId: id,
        unitIds: [keyword.orgUnitId],
        before: keyword,
      });
      return keyword;
    });
  }
}
