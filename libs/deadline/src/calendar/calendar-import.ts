import { badInput, addDays, type Day, isValidDay, isWeekend, yearOf } from '@zhezi/core';
import { buildYear, type CalendarDay } from './calendar-day';

export enum CalendarImportFormat {
  JSON = 'JSON',
  ICS = 'ICS',
}

/** One listed day, with where it came from for the error messages. */
interface Entry {
  day: Day;
  name: string;
  field: string;
  /** Prefix that points at the entry's line in an ICS file. */
  at: string;
}

interface Listed {
  holidays: Entry[];
  workdays: Entry[];
  /** The field blamed when nothing is listed as a holiday. */
  listField: string;
}

/**
 * The State Council's schedule for a year, as JSON or as an ICS calendar (the format of chinese-days' holidays.ics),
 * turned into every day of that year.
 */
export function parseCalendarImport(
  year: number,
  format: CalendarImportFormat,
  content: string,
  source: string,
): CalendarDay[] {
  if (!Number.isInteger(year) || year < 0 || year > 9999) throw badInput('year', `年份无效：${year}`);
  const listed = format === CalendarImportFormat.ICS ? parseIcs(year, content) : parseJson(year, content);
  const holidays = collect(listed.holidays, '放假日');
  const makeupWorkdays = collect(listed.workdays, '调休上班日');
  if (!holidays.size) throw badInput(listed.listField, '放假安排为空：至少应有一个放假日');
  for (const entry of listed.workdays) {
    if (holidays.has(entry.day)) {
      throw badInput(entry.field, `${entry.at}${entry.day} 同时被列为放假日和调休上班日`);
    }
    if (!isWeekend(entry.day)) {
      throw badInput(entry.field, `${entry.at}${entry.day} 不是周六或周日，不能作为调休上班日`);
    }
  }
  return buildYear({ year, holidays, makeupWorkdays, source, provisional: false });
}

function collect(entries: Entry[], label: string): Map<Day, string> {
  const days = new Map<Day, string>();
  for (const entry of entries) {
    if (days.has(entry.day)) throw badInput(entry.field, `${entry.at}${entry.day} 重复列为${label}`);
    days.set(entry.day, entry.name);
  }
  return days;
}

function validDay(value: unknown, field: string, at = ''): Day {
  if (value === undefined) throw badInput(field, `${at}缺少日期`);
  if (typeof value !== 'string' || !isValidDay(value)) {
    throw badInput(field, `${at}日期无效：${JSON.stringify(value)}，应为 YYYY-MM-DD`);
  }
  return value;
}

function dayOf(year: number, value: unknown, field: string, at = ''): Day {
  const day = validDay(value, field, at);
  if (yearOf(day) !== year) throw badInput(field, `${at}${day} 不在 ${year} 年内`);
  return day;
}

/** Every day from `first` to `last`, both included. */
function span(first: Day, last: Day): Day[] {
  const days = [first];
  while (days[days.length - 1] < last) days.push(addDays(days[days.length - 1], 1));
  return days;
}

// JSON: { "holidays": [{ "date", "name" } | { "from", "to", "name" }], "workdays": [{ "date", "name" }] }

function parseJson(year: number, content: string): Listed {
  let data: unknown;
  try {
    // trim() also drops a byte-order mark, which JSON.parse rejects.
    data = JSON.parse(content.trim());
  } catch {
    throw badInput('content', '内容不是有效的 JSON');
  }
  if (!isRecord(data)) throw badInput('content', 'JSON 顶层应为对象，含 holidays 和 workdays 两个列表');
  return {
    holidays: listOf(data, 'holidays').flatMap((item, i) => holidayEntries(year, item, `holidays.${i}`)),
    workdays: listOf(data, 'workdays').map((item, i) => {
      const field = `workdays.${i}`;
      const entry = recordOf(item, field);
      return {
        day: dayOf(year, entry.date, `${field}.date`),
        name: nameOf(entry, field),
        field: `${field}.date`,
        at: '',
      };
    }),
    listField: 'holidays',
  };
}

function holidayEntries(year: number, item: unknown, field: string): Entry[] {
  const entry = recordOf(item, field);
  const name = nameOf(entry, field);
  const ranged = entry.from !== undefined || entry.to !== undefined;
  if (ranged && entry.date !== undefined) throw badInput(`${field}.date`, 'date 与 from/to 只能用其中一种');
  if (ranged) {
    const first = dayOf(year, entry.from, `${field}.from`);
    const last = dayOf(year, entry.to, `${field}.to`);
    if (last < first) throw badInput(`${field}.to`, `结束日期 ${last} 早于开始日期 ${first}`);
    return span(first, last).map((day) => ({ day, name, field: `${field}.from`, at: '' }));
  }
  return [{ day: dayOf(year, entry.date, `${field}.date`), name, field: `${field}.date`, at: '' }];
}

function listOf(data: Record<string, unknown>, key: string): unknown[] {
  const list = data[key] ?? [];
  if (!Array.isArray(list)) throw badInput(key, `${key} 应为列表`);
  return list;
}

function recordOf(item: unknown, field: string): Record<string, unknown> {
  if (!isRecord(item)) throw badInput(field, '每一项应为对象，如 { "date": "YYYY-MM-DD", "name": "春节" }');
  return item;
}

function nameOf(entry: Record<string, unknown>, field: string): string {
  const name = typeof entry.name === 'string' ? entry.name.trim() : '';
  if (!name) throw badInput(`${field}.name`, '缺少节日名称');
  return name;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ICS: all-day VEVENTs, SUMMARY '春节(休)' for a day off or '春节(班)' for a make-up workday, DTEND exclusive.

const ICS_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const SUMMARY_MARK = /^(.*?)\s*[(（]\s*([休班])\s*[)）]\s*$/u;

interface Line {
  text: string;
  number: number;
}

interface Property {
  value: string;
  at: string;
}

interface IcsEvent {
  at: string;
  properties: Map<string, Property>;
}

function parseIcs(year: number, content: string): Listed {
  const lines = unfold(content);
  if (lines[0]?.text.toUpperCase() !== 'BEGIN:VCALENDAR') {
    throw badInput('content', '内容不是有效的 iCalendar 文件：应以 BEGIN:VCALENDAR 开头');
  }
  const listed: Listed = { holidays: [], workdays: [], listField: 'content' };
  const open: string[] = [];
  let event: IcsEvent | null = null;
  for (const line of lines) {
    const at = `第 ${line.number} 行：`;
    const colon = line.text.indexOf(':');
    if (colon < 0) throw badInput('content', `${at}不是有效的 iCalendar 内容行`);
    const name = line.text.slice(0, colon).split(';')[0].toUpperCase();
    const value = line.text.slice(colon + 1);
    if (name === 'BEGIN') {
      const component = value.toUpperCase();
      if (component === 'VEVENT') {
        if (event) throw badInput('content', `${at}上一个 VEVENT 尚未结束`);
        event = { at, properties: new Map() };
      }
      open.push(component);
    } else if (name === 'END') {
      const component = value.toUpperCase();
      if (open.pop() !== component) throw badInput('content', `${at}${line.text} 没有对应的 BEGIN`);
      if (component === 'VEVENT' && event) {
        listEvent(year, event, listed);
        event = null;
      }
    } else if (!open.length) {
      throw badInput('content', `${at}内容应在 BEGIN:VCALENDAR 与 END:VCALENDAR 之间`);
    } else if (event && open[open.length - 1] === 'VEVENT') {
      // Properties of components nested in the event (VALARM) are not the event's.
      event.properties.set(name, { value, at });
    }
  }
  if (open.length) throw badInput('content', `iCalendar 文件不完整：缺少 END:${open[open.length - 1]}`);
  return listed;
}

/** Content lines with folded continuations (a line break and then a space or a tab) joined back, blanks dropped. */
function unfold(content: string): Line[] {
  const lines: Line[] = [];
  content.split(/\r?\n/).forEach((text, i) => {
    const last = lines[lines.length - 1];
    if ((text.startsWith(' ') || text.startsWith('\t')) && last) last.text += text.slice(1);
    else if (text.trim()) lines.push({ text: text.trim(), number: i + 1 });
  });
  return lines;
}

function listEvent(year: number, event: IcsEvent, listed: Listed): void {
  const summary = event.properties.get('SUMMARY');
  const start = event.properties.get('DTSTART');
  if (!summary || !start) throw badInput('content', `${event.at}VEVENT 缺少 SUMMARY 或 DTSTART`);
  const mark = SUMMARY_MARK.exec(unescapeText(summary.value));
  if (!mark?.[1]) {
    throw badInput('content', `${summary.at}SUMMARY 应为“节日名称(休)”或“节日名称(班)”，如“春节(休)”`);
  }
  const [, name, kind] = mark;
  const first = dayOf(year, icsDate(start), 'content', start.at);
  const end = event.properties.get('DTEND');
  let last = first;
  if (end) {
    // DTEND is exclusive.
    last = addDays(icsDate(end), -1);
    if (last < first) throw badInput('content', `${end.at}DTEND 应晚于 DTSTART`);
    dayOf(year, last, 'content', `${end.at}事件的最后一天 `);
  }
  const entries = span(first, last).map((day) => ({ day, name, field: 'content', at: start.at }));
  (kind === '休' ? listed.holidays : listed.workdays).push(...entries);
}

function icsDate({ value, at }: Property): Day {
  const date = ICS_DATE.exec(value);
  if (!date) throw badInput('content', `${at}应为全天日期，如 DTSTART;VALUE=DATE:20270101`);
  return validDay(`${date[1]}-${date[2]}-${date[3]}`, 'content', at);
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}
