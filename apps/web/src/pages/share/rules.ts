import dayjs, { type Dayjs } from 'dayjs';
import isoWeek from 'dayjs/plugin/isoWeek';
import { longDate, shortDate } from '../../workdays';

dayjs.extend(isoWeek);

/** The rules of the upload route (`evidenceRules`): the browser refuses what the API would refuse anyway. */
export interface EvidenceRules {
  maxBytes: number;
  extensions: readonly string[];
}

const MB = 1024 * 1024;

/** “20 MB”, “512 KB”, as the API names its limit. */
export function sizeLabel(bytes: number): string {
  if (bytes >= MB) return `${Number((bytes / MB).toFixed(1))} MB`;
  return bytes >= 1024 ? `${Number((bytes / 1024).toFixed(1))} KB` : `${bytes} 字节`;
}

/** Why a file would be refused before it is sent (extension, empty, too large), in the API's words; else null. */
export function evidenceFileProblem(
  file: { name: string; size: number },
  rules: EvidenceRules,
): string | null {
  const dot = file.name.lastIndexOf('.');
  const extension = dot > 0 ? file.name.slice(dot + 1).toLowerCase() : '';
  const accepted = rules.extensions.join('、');
  if (!extension) return `无法识别文件类型（文件名没有扩展名），佐证材料须为以下格式之一：${accepted}`;
  if (!rules.extensions.includes(extension)) {
    return `不支持上传 .${extension} 文件，佐证材料须为以下格式之一：${accepted}`;
  }
  if (file.size === 0) return '文件为空，请重新选择';
  if (file.size > rules.maxBytes)
    return `文件超过大小上限 ${sizeLabel(rules.maxBytes)}，请压缩或拆分后再上传`;
  return null;
}

/** The file chooser's `accept`: the extensions the API takes (the content is checked there). */
export function acceptAttribute(rules: EvidenceRules): string {
  return rules.extensions.map((e) => `.${e}`).join(',');
}

/** A lower percent than the share's last figure needs a reason (the API refuses it without one). */
export function needsReason(percent: number | null | undefined, lastPercent: number): boolean {
  return percent != null && percent < lastPercent;
}

/** The report period a day falls in: a month (2026-11), or an ISO week (2026-W48) for urgent tasks. */
export function periodKey(day: Dayjs, weekly: boolean): string {
  if (!weekly) return day.format('YYYY-MM');
  return `${day.isoWeekYear()}-W${String(day.isoWeek()).padStart(2, '0')}`;
}

/** A picked day as the deadline the API stores: the end of that day in Beijing. */
export function endOfBeijingDay(day: Dayjs): string {
  return `${day.format('YYYY-MM-DD')}T23:59:59.999+08:00`;
}

/** A part's due date may not be later than the share's own (compared as Beijing days); the message, else null. */
export function laterThanProblem(
  day: Dayjs | null | undefined,
  limitIso: string,
  whose: string,
): string | null {
  if (!day) return null;
  return day.format('YYYY-MM-DD') > shortDate(limitIso) ? `不能晚于${whose}（${longDate(limitIso)}）` : null;
}

/** An extension must move the deadline later, and not past the department's own when the share is a part. */
export function extensionDateProblem(
  day: Dayjs | null | undefined,
  dueIso: string,
  parentDueIso: string | null | undefined,
): string | null {
  if (!day) return null;
  if (day.format('YYYY-MM-DD') <= shortDate(dueIso)) return `须晚于现有完成时限（${longDate(dueIso)}）`;
  return parentDueIso ? laterThanProblem(day, parentDueIso, '上级部门的完成时限') : null;
}

/** `parts.1.dueAt` → ['parts', 1, 'dueAt']: an API field as an antd form name path. */
export function fieldPath(apiField: string): (string | number)[] {
  return apiField
    .replace(/^input\./, '')
    .split('.')
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}
