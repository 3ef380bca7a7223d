import { badInput } from '@zhezi/core/files';
import { DueKind, Recurrence } from '../due-kind';
import { TargetLevel } from '../target-level';
import { parsePlanDocument, PlanDocumentError, type DocNode } from './plan-document';
import {
  annotatedDeadline,
  findDeadlines,
  findIndicators,
  measureDeadline,
  speaksOfPastPeriod,
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
  /**
   * 'YYYY-MM-DD': the annotated 完成时限, else the latest deadline in its text, else the period's end. For an
   * ONGOING measure it is only the period's end, which nothing counts as due.
   */
  dueDay: string;
  dueKind: DueKind;
  recurrence: Recurrence | null;
  indicators: FoundIndicator[];
  /**
   * Under a review of the past period (“十二五”时期发展回顾), or a paragraph about it (“十三五”期间…, 过去五年…)
   * wherever it stands: an account of what was done, not a task, and its figures are results.
   */
  review: boolean;
  /**
   * False under 指导思想, 基本原则, 主要目标, 保障措施, 组织领导…: the paragraph frames the plan (its targets are
   * still read) but asks no unit to do anything, so it gives no draft task.
   */
  actionable: boolean;
}

/** Headings of sections that look back rather than ahead. */
const REVIEW_HEADING = /回顾|成就/;
/** Headings of sections that frame the plan rather than task anyone: principles, goals, safeguards. */
const FRAMING_HEADING =
  /指导思想|基本原则|基本要求|总体要求|工作要求|工作原则|总体思路|发展思路|主要目标|发展目标|总体目标|保障措施|组织领导|组织保障|组织实施|实施保障|规划实施|保障机制|工作机制|监督考核|督查考核/;

/** A plan document read and understood, not yet stored. */
export interface ReadPlan {
  title: string;
  period: PlanPeriod;
  nodes: DocNode[];
  measures: ReadMeasure[];
}

/** Five-year plans are named by number: 十三五 is 2016–2020. */
const FIVE_YEAR_PLANS: Record<string, number> = {
  十二: 2011,
  十三: 2016,
  十四: 2021,
  十五: 2026,
  十六: 2031,
};

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
  const visit = (nodes: DocNode[], parents: number[], underReview: boolean, framing: boolean) =>
    nodes.forEach((node, index) => {
      const positions = [...parents, index + 1];
      const review =
        underReview ||
        REVIEW_HEADING.test(node.level === TargetLevel.MEASURE ? '' : node.title) ||
        // A heading about the period before, or a paragraph that opens with it (“十三五”时期，…).
        speaksOfPastPeriod(
          node.level === TargetLevel.MEASURE ? node.title.slice(0, 12) : node.title,
          period.startYear,
        );
      if (node.level === TargetLevel.MEASURE) {
        const text = `${node.title}${node.body}`;
        const deadlines = review ? [] : findDeadlines(text, period);
        const firm = deadlines.filter((d) => !d.recurring);
        // “完成时限：每季度” says what kind of deadline it is; otherwise the dates in the text do.
        const note = review ? null : annotatedDeadline(text, period.endYear);
        const periodEnd = `${period.endYear}-12-31`;
        measures.push({
          node,
          positions,
          deadlines,
          // 每年 is a yearly milestone, not the end of the work.
          dueDay: note ? (note.day ?? periodEnd) : measureDeadline(firm, period),
          dueKind:
            note?.kind ?? (firm.length === 0 && deadlines.length > 0 ? DueKind.RECURRING : DueKind.DATE),
          recurrence: note
            ? note.recurrence
            : firm.length === 0 && deadlines.length > 0
              ? Recurrence.YEARLY
              : null,
          // Figures reached in the past period are its results, not targets.
          indicators: review ? [] : findIndicators(text, period),
          review,
          actionable: !framing,
        });
      }
      visit(node.children, positions, review, framing || FRAMING_HEADING.test(node.title));
    });
  visit(document.nodes, [], false, false);
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
