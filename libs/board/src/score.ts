import type { ScoreWeights } from '@zhezi/core';
import type { BoardFigures } from './board.types';

/** Average days overdue per open share at which the overdue part reaches zero. */
const OVERDUE_DAYS_AT_ZERO = 30;

/**
 * The assessment score (0–100), documented in the README:
 *   onTime  = closed on time ÷ (closed + overdue), 1 when nothing has come due;
 *   overdue = 1 − min(1, overdue days summed ÷ open shares ÷ 30);
 *   reports = 1 − min(1, missed reports ÷ shares);
 *   score   = 100 × (wOnTime·onTime + wOverdue·overdue + wReports·reports) ÷ (wOnTime + wOverdue + wReports).
 */
export function scoreOf(
  f: Pick<BoardFigures, 'onTimeRate' | 'overdueDaysSum' | 'open' | 'missedReports' | 'assigned'>,
  w: ScoreWeights,
): number {
  const overdue = 1 - Math.min(1, f.overdueDaysSum / Math.max(1, f.open) / OVERDUE_DAYS_AT_ZERO);
  const reports = 1 - Math.min(1, f.missedReports / Math.max(1, f.assigned));
  const total = w.onTime + w.overdue + w.reports;
  const score = (100 * (w.onTime * f.onTimeRate + w.overdue * overdue + w.reports * reports)) / total;
  return Math.round(score * 10) / 10;
}

/** Ranks best first (1, 2, …); equal scores share a rank. Sorts the given array in place. */
export function rankByScore<T extends { score: number; rank: number }>(items: T[]): T[] {
  items.sort((a, b) => b.score - a.score);
  items.forEach(
    (item, i) => (item.rank = i > 0 && items[i - 1].score === item.score ? items[i - 1].rank : i + 1),
  );
  return items;
}
