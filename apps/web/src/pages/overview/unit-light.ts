import type { Light } from '../../gql/graphql';

/** What a unit's worst light needs of its figures: how many open shares stand at each light. */
export interface UnitLights {
  red: number;
  yellow: number;
  green: number;
  overdue: number;
  openNotices: number;
}

/** A unit's worst light: red if any open share is red, else yellow, else green; none without open shares. */
export function worstLight(figures: UnitLights | undefined): Light | null {
  if (!figures) return null;
  if (figures.red > 0) return 'RED';
  if (figures.yellow > 0) return 'YELLOW';
  return figures.green > 0 ? 'GREEN' : null;
}

/** The word beside a unit's dot: 逾期 3 项 / 督办中 / 临期 2 项 / 正常, or 无在办 (no open share). */
export function unitLightWord(figures: UnitLights | undefined): string {
  const light = worstLight(figures);
  if (!figures || !light) return '无在办';
  if (light === 'RED') return figures.overdue > 0 ? `逾期 ${figures.overdue} 项` : '督办中';
  return light === 'YELLOW' ? `临期 ${figures.yellow} 项` : '正常';
}

/** The grey of a unit without a light (as a closed share's dot). */
export const NO_LIGHT_COLOR = '#bfbfbf';
