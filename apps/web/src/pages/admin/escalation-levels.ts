import type { EscalationAction, EscalationRecipient } from '../../gql/graphql';

/** A level as the API returns it and as the edit form sends it back. */
export interface Level {
  offsetWorkdays?: number | null;
  offsetDuration?: string | null;
  action: EscalationAction;
  recipients: readonly EscalationRecipient[];
  repeatWorkdays?: number | null;
  repeatDuration?: string | null;
}

const DURATION = /^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

const UNITS = ['天', '小时', '分钟', '秒'];

/** PT2H30M → 2 小时 30 分钟 (the ISO 8601 durations the API takes); null when it is not one. */
export function durationWords(iso: string): { negative: boolean; words: string } | null {
  const match = DURATION.exec(iso.trim());
  if (!match || iso.trim().endsWith('T')) return null;
  const [, minus, ...amounts] = match;
  const parts = amounts.flatMap((a, i) => (a && Number(a) > 0 ? [`${Number(a)} ${UNITS[i]}`] : []));
  if (!amounts.some(Boolean)) return null;
  return { negative: Boolean(minus), words: parts.join(' ') };
}

/** When a level fires, in the words of a notice: 到期前 5 个工作日 / 到期当天 / 逾期 1 个工作日 / 到期前 2 小时. */
export function offsetWords(level: Level): string {
  if (level.offsetDuration) {
    const d = durationWords(level.offsetDuration);
    if (!d) return level.offsetDuration;
    if (!d.words) return '到期时';
    return d.negative ? `到期前 ${d.words}` : `到期后 ${d.words}`;
  }
  const n = level.offsetWorkdays ?? 0;
  if (n === 0) return '到期当天';
  return n < 0 ? `到期前 ${-n} 个工作日` : `逾期 ${n} 个工作日`;
}

/** 每 1 个工作日重复，直到签收或答复 / 不重复. */
export function repeatWords(level: Level): string {
  if (level.repeatWorkdays) return `每 ${level.repeatWorkdays} 个工作日重复，直到签收或答复`;
  if (level.repeatDuration) {
    const d = durationWords(level.repeatDuration);
    return `每 ${d ? d.words : level.repeatDuration}重复，直到签收或答复`;
  }
  return '不重复';
}

function normalise(level: Level) {
  return {
    offsetWorkdays: level.offsetDuration ? null : (level.offsetWorkdays ?? null),
    offsetDuration: level.offsetDuration || null,
    action: level.action,
    recipients: [...level.recipients].sort(),
    repeatWorkdays: level.repeatWorkdays || null,
    repeatDuration: level.repeatDuration || null,
  };
}

/**
 * Whether the edited levels differ from the current version's: only then is a new version made (the API makes
 * one whenever levels are sent, so unchanged ones are not sent). Recipients are a set.
 */
export function levelsChanged(current: readonly Level[], edited: readonly Level[]): boolean {
  return JSON.stringify(current.map(normalise)) !== JSON.stringify(edited.map(normalise));
}
