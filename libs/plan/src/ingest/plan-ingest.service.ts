import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import { endOfDayInBeijing, type Actor } from '@zhezi/core';
import { Indicator, IndicatorKind } from '../indicator.entity';
import { Plan, PlanKind } from '../plan.entity';
import { Target, TargetLevel, targetPath } from '../target.entity';
import type { DocNode } from './plan-document';
import type { ReadMeasure, ReadPlan } from './plan-read';

export interface IngestedPlan {
  plan: Plan;
  targets: Target[];
  /** Measures in document order, with the target each became. */
  measures: (ReadMeasure & { target: Target })[];
  indicatorCount: number;
}

const ROWS_PER_INSERT = 1000;

/**
 * Turns a plan document into a Plan and its Target tree (章 → 节 → 条 → 措施) with the indicators and
 * deadlines found in each measure (see readPlan), as part of the caller's transaction.
 */
@Injectable()
export class PlanIngestService {
  constructor(private readonly audit: AuditService) {}

  async write(
    manager: EntityManager,
    actor: Actor,
    read: ReadPlan,
    kind = PlanKind.OUTLINE,
  ): Promise<IngestedPlan> {
    const plan = await manager.save(
      manager.create(Plan, {
        title: read.title,
        kind,
        periodStart: new Date(`${read.period.startYear}-01-01T00:00:00+08:00`),
        periodEnd: endOfDayInBeijing(`${read.period.endYear}-12-31`),
        description: '',
        createdById: actor.userId,
      }),
    );
    const targets: Target[] = [];
    const byNode = new Map<DocNode, Target>();
    const dueOf = new Map(read.measures.map((m) => [m.node, endOfDayInBeijing(m.dueDay)]));
    const visit = (nodes: DocNode[], parent: Target | null) =>
      nodes.forEach((node, index) => {
        const segment = targetPath([index + 1]);
        const target = manager.create(Target, {
          id: randomUUID(),
          planId: plan.id,
          parentId: parent?.id ?? null,
          level: node.level,
          number: node.number,
          levelName: node.levelName,
          title: node.title,
          body: node.body,
          position: index + 1,
          path: parent ? `${parent.path}.${segment}` : segment,
          dueAt: dueOf.get(node) ?? null,
        });
        targets.push(target);
        byNode.set(node, target);
        visit(node.children, target);
      });
    visit(read.nodes, null);
    const indicators = read.measures.flatMap((m) =>
      m.indicators.map((i, position) =>
        manager.create(Indicator, {
          targetId: (byNode.get(m.node) as Target).id,
          name: i.name,
          // Only the plan's own indicator table says which are binding; prose targets are expected values.
          kind: IndicatorKind.EXPECTED,
          unit: i.unit,
          comparator: i.comparator,
          baselineValue: i.baselineValue,
          baselineYear: i.baselineYear,
          targetValue: i.value,
          recurrence: i.recurrence,
          targetYear: i.year,
          phrase: i.phrase,
          position,
        }),
      ),
    );
    for (let i = 0; i < targets.length; i += ROWS_PER_INSERT) {
      await manager.insert(Target, targets.slice(i, i + ROWS_PER_INSERT));
    }
    for (let i = 0; i < indicators.length; i += ROWS_PER_INSERT) {
      await manager.insert(Indicator, indicators.slice(i, i + ROWS_PER_INSERT));
    }
    const counts = Object.fromEntries(
      Object.values(TargetLevel).map((level) => [level, targets.filter((t) => t.level === level).length]),
    );
    await this.audit.record(manager, actor, {
      action: 'plan.ingest',
      entityType: 'Plan',
      entityId: plan.id,
      after: { ...plan, targets: counts, indicators: indicators.length },
    });
    return {
      plan,
      targets,
      measures: read.measures.map((m) => ({ ...m, target: byNode.get(m.node) as Target })),
      indicatorCount: indicators.length,
    };
  }
}
