import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import {
  Clock,
  groupByKey,
  notFound,
  requestLoader,
  transactional,
  type Actor,
  type RequestContext,
} from '@zhezi/core';
import { Indicator } from '@zhezi/plan';
import { indicatorProgress } from './indicator-progress';
import { IndicatorValue, type IndicatorStatus } from './indicator-board.types';

/** Each quantitative indicator of a plan with its latest reported value and whether it is on track. */
@Injectable()
export class IndicatorBoardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async board(planId: string): Promise<IndicatorStatus[]> {
    const rows = await this.dataSource
      .getRepository(Indicator)
      .createQueryBuilder('i')
      .innerJoin('target', 't', 't.id = i.target_id')
      .addSelect('t.title', 'target_title')
      .where('t.plan_id = :planId', { planId })
      .orderBy('t.path')
      .addOrderBy('i.position')
      .getRawAndEntities<{ target_title: string }>();
    if (!rows.entities.length) return [];
    const latest = await this.dataSource
      .getRepository(IndicatorValue)
      .createQueryBuilder('v')
      .distinctOn(['v.indicator_id'])
      .where('v.indicator_id IN (:...ids)', { ids: rows.entities.map((i) => i.id) })
      .orderBy('v.indicator_id')
      .addOrderBy('v.year', 'DESC')
      .getMany();
    const latestOf = new Map(latest.map((v) => [v.indicatorId, v]));
    return rows.entities.map((indicator, i) =>
      this.statusOf(indicator, rows.raw[i].target_title, latestOf.get(indicator.id) ?? null),
    );
  }

  private statusOf(
    indicator: Indicator,
    targetTitle: string,
    latest: IndicatorValue | null,
  ): IndicatorStatus {
    const progress = latest ? indicatorProgress(indicator, latest.value, latest.year) : null;
    return {
      indicator,
      targetTitle,
      latest,
      expected: progress?.expected ?? null,
      onTrack: progress?.onTrack ?? null,
    };
  }

  /** Every reported value of each indicator, oldest year first: one query for a page of the board. */
  valuesLoader(ctx: RequestContext) {
    return requestLoader<string, IndicatorValue[]>(ctx, 'indicator.values', async (ids) => {
      const rows = await this.dataSource
        .getRepository(IndicatorValue)
        .createQueryBuilder('v')
        .where('v.indicator_id = ANY(:ids)', { ids })
        .orderBy('v.indicator_id')
        .addOrderBy('v.year')
        .getMany();
      return groupByKey(ids, rows, (v) => v.indicatorId);
    });
  }

  /** Records (or corrects) a year's value; audited. */
  report(
    actor: Actor,
    input: { indicatorId: string; year: number; value: number; note: string },
  ): Promise<IndicatorStatus> {
    return transactional(this.dataSource, async (manager) => {
      const indicator = await manager.findOneBy(Indicator, { id: input.indicatorId });
      if (!indicator) throw notFound('指标', input.indicatorId);
      const before = await manager.findOneBy(IndicatorValue, { indicatorId: indicator.id, year: input.year });
      await manager.upsert(
        IndicatorValue,
        {
          indicatorId: indicator.id,
          year: input.year,
          value: input.value,
          note: input.note,
          reportedById: actor.userId,
          reportedAt: this.clock.now(),
        },
        ['indicatorId', 'year'],
      );
      await this.audit.record(manager, actor, {
        action: 'indicator.report',
        entityType: 'Indicator',
        entityId: indicator.id,
        before: before && { year: before.year, value: before.value },
        after: { year: input.year, value: input.value, note: input.note },
      });
      const latest = await manager
        .getRepository(IndicatorValue)
        .findOne({ where: { indicatorId: indicator.id }, order: { year: 'DESC' } });
      const [target] = await manager.query<{ title: string }[]>(`SELECT title FROM target WHERE id = $1`, [
        indicator.targetId,
      ]);
      return this.statusOf(indicator, target.title, latest);
    });
  }
}
