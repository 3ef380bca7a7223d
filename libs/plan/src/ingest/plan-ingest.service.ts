import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import { badInput, endOfDayInBeijing, type Actor } from '@zhezi/core';
import { Indicator, IndicatorKind } from '../indicator.entity';
import { Plan, PlanKind } from '../plan.entity';
import { Target, TargetLevel, targetPath } from '../target.entity';
import { parsePlanDocument, PlanDocumentError, type DocNode } from './plan-document';
import {
  findDeadlines,
  findIndicators,
  measureDeadline,
  type FoundDeadline,
  type FoundIndicator,
  type PlanPeriod,
} from './plan-text';

export interface PlanIngestInput {
  text: string;
  title?: string;
  periodStartYear?: number;
  periodEndYear?: number;
}

export interface ReadMeasure {
  node: DocNode;
  /** Positions from the root, e.g. [6, 1, 1, 1] for the first measure of 第六章第一节一、. */
  positions: number[];
  deadlines: FoundDeadline[];
  /** 'YYYY-MM-DD': the latest deadline in its text, else the period's end. */
  dueDay: string;
  indicators: FoundIndicator[];
  /** Under a review of the past period (“十二五”时期发展回顾): an account of what was done, not a task. */
  review: boolean;
}

/** Headings of sections that look back rather than ahead. */
const REVIEW_HEADING = /回顾|成就/;

/** A plan document read and understood, not yet stored. */
export interface ReadPlan {
  title: string;
  period: PlanPeriod;
  nodes: DocNode[];
  measures: ReadMeasure[];
}

export interface IngestedPlan {
  plan: Plan;
  targets: Target[];
  /** Measures in document order, with the target each became. */
  measures: (ReadMeasure & { target: Target })[];
  indicatorCount: number;
}

/** Five-year plans are named by number: 十三五 is 2016–2020. */
const FIVE_YEAR_PLANS: Record<string, number> = {
  十二: 2011,
  十三: 2016,
  十四: 2021,
  十五: 2026,
  十六: 2031,
};
const ROWS_PER_INSERT = 1000;

/** The plan's period from its title or opening lines: 2016—2020年, 十三五 / 第十三个五年, or a yearly list's 2026年. */
export function detectPeriod(head: string): PlanPeriod | null {
  const range = /(20\d\d)\s*[-—–~至到]\s*(20\d\d)\s*年/.exec(head);
  if (range) return { startYear: Number(range[1]), endYear: Number(range[2]) };
  const fiveYear = /(十[二三四五六])(?:个五年|五)/.exec(head);
  if (fiveYear) return { startYear: FIVE_YEAR_PLANS[fiveYear[1]], endYear: FIVE_YEAR_PLANS[fiveYear[1]] + 4 };
  const year = /(20\d\d)\s*年/.exec(head);
  return year ? { startYear: Number(year[1]), endYear: Number(year[1]) } : null;
}

/** Reads a plan document without storing anything: its tree, and each measure's deadlines and indicators. */
export function readPlan(input: PlanIngestInput): ReadPlan {
  let document;
  try {
    document = parsePlanDocument(input.text);
  } catch (error) {
    if (error instanceof PlanDocumentError) throw badInput('file', `无法识别规划结构：${error.message}`);
    throw error;
  }
  const title = input.title?.trim() || document.title;
  if (!title) throw badInput('title', '文件中未找到规划名称，请填写');
  const period = periodOf(input, `${title}\n${input.text.slice(0, 2000)}`);
  const measures: ReadMeasure[] = [];
  const visit = (nodes: DocNode[], parents: number[], review: boolean) =>
    nodes.forEach((node, index) => {
      const positions = [...parents, index + 1];
      if (node.level === TargetLevel.MEASURE) {
        const text = `${node.title}${node.body}`;
        const deadlines = review ? [] : findDeadlines(text, period);
        measures.push({
          node,
          positions,
          deadlines,
          // 每年 is a yearly milestone, not the end of the work.
          dueDay: measureDeadline(
            deadlines.filter((d) => !d.recurring),
            period,
          ),
          // Figures reached in the past period are its results, not targets.
          indicators: review ? [] : findIndicators(text, period),
          review,
        });
      }
      visit(node.children, positions, review || REVIEW_HEADING.test(node.title));
    });
  visit(document.nodes, [], false);
  if (measures.length === 0) throw badInput('file', '文件中未找到任何措施段落');
  return { title, period, nodes: document.nodes, measures };
}

function periodOf(input: PlanIngestInput, head: string): PlanPeriod {
  const detected = detectPeriod(head);
  const startYear = input.periodStartYear ?? detected?.startYear;
  const endYear = input.periodEndYear ?? detected?.endYear ?? startYear;
  if (!startYear || !endYear) throw badInput('periodStartYear', '未能从文件中识别规划期，请填写起止年份');
  if (endYear < startYear) throw badInput('periodEndYear', '规划期止不能早于规划期起');
  return { startYear, endYear };
}

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
