import type { Indicator } from '@zhezi/plan';

/** Comparators that cap a quantity (控制在…以内, 降低到…, 不超过…): lower is better. */
const CAPS = /以内|以下|控制|降低|下降|减少|不超过|不高于|低于|小于/;

export interface IndicatorProgress {
  /** Where the linear path from baseline to target stands in `year`. */
  expected: number;
  /** Whether the reported value is at or beyond that point, in the indicator's direction. */
  onTrack: boolean;
}

/**
 * An indicator is on track when its latest value is at least where the straight line from baseline (year,
 * value) to target (year, value) is in the year reported — at most, for capped quantities. Without a
 * baseline the line is flat at the target.
 */
export function indicatorProgress(
  indicator: Pick<Indicator, 'comparator' | 'baselineValue' | 'baselineYear' | 'targetValue' | 'targetYear'>,
  value: number,
  year: number,
): IndicatorProgress {
  const { baselineValue, baselineYear, targetValue, targetYear } = indicator;
  let expected = targetValue;
  if (baselineValue !== null && baselineYear !== null && targetYear > baselineYear) {
    const share = Math.min(1, Math.max(0, (year - baselineYear) / (targetYear - baselineYear)));
    expected = baselineValue + (targetValue - baselineValue) * share;
  }
  const capped = CAPS.test(indicator.comparator);
  return { expected, onTrack: capped ? value <= expected : value >= expected };
}
