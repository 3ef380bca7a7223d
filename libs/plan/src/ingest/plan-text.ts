/**
 * Quantitative indicators and deadlines in the Chinese text of a plan measure, and the 完成时限 cell of an
 * Excel task list. Pure functions: no I/O, no clock. Every regex here is linear (no nested quantifiers), so a
 * whole plan of ~1,000 paragraphs is read in a few milliseconds.
 */

import { DueKind, Recurrence } from '../due-kind';
import { parseChineseNumeral } from './plan-document';

export interface PlanPeriod {
  startYear: number;
  endYear: number;
}

export interface FoundIndicator {
  /** The matched span as in the text, e.g. "城市绿化覆盖率达53%". */
  phrase: string;
  name: string;
  value: number;
  unit: string;
  /** As written (达/达到/以上…); two together are kept as "控制在…以内". */
  comparator: string;
  baselineValue: number | null;
  baselineYear: number | null;
  /** The stated target year, else the period's end. */
  year: number;
  /** A target to meet every period (每年不少于…), else null. */
  recurrence: Recurrence | null;
}

export interface FoundDeadline {
  phrase: string;
  /** YYYY-MM-DD, a calendar day in Beijing. */
  day: string;
  recurring: 'YEARLY' | null;
}

// ---------------------------------------------------------------------------------------------------------
// Shared text helpers

/** Full-width digits and signs → ASCII, one character for one, so offsets still point into the original. */
function normalize(text: string): string {
  return text.replace(/[０-９．％／－～]/g, (char) => {
    const code = char.charCodeAt(0);
    if (code >= 0xff10 && code <= 0xff19) return String.fromCharCode(code - 0xff10 + 48);
    return { '．': '.', '％': '%', '／': '/', '－': '-', '～': '~' }[char] ?? char;
  });
}

/** 1–12 written either way: "6", "六", "十一". */
function smallNumber(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  try {
    return parseChineseNumeral(text);
  } catch {
    return NaN;
  }
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isoDay(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function validDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= lastDayOfMonth(year, month);
}

// ---------------------------------------------------------------------------------------------------------
// Deadlines

/** 前 / 以前 / 之前 after a whole year or month: the deadline is the day before it starts. */
const BEFORE = /^(?:之前|以前|前)$/;
/** Read behind a stated year rather than inside its regex, which then starts with a digit and scans fast. */
const PREFIX = /(?:截止到|截止|到|至|于)$/;
const EVERY_WORD = '(每年度?|每一年|今年|本年度?|当年|明年|次年)';
const EVERY = `${EVERY_WORD}?`;
const SUFFIX = '(前后|左右|之前|以前|前|以内|内)?';
const MONTH = '(\\d{1,2}|十[一二]|[一二三四五六七八九十])月份?(底|末|初|上旬|中旬|下旬|中)?';

const FULL_DATE = new RegExp(
  `((?:19|20)\\d{2})\\s*(年|[-/.])\\s*(\\d{1,2})\\s*(月|[-/.])\\s*(\\d{1,2})(?!\\d)\\s*(?:日|号)?(之前|以前|前)?`,
  'g',
);
const YEAR_DATE = new RegExp(
  `((?:19|20)\\d{2})\\s*年度?(?:(年?底|年?末|上半年|下半年|年中)|第?([一二三四1-4])季度(?:末|底)?|${MONTH})?${SUFFIX}`,
  'g',
);
const PLAN_END = /(到|至)?“?十([一二三四五六七八九])五”?(?:时期|期)?末/g;
const RELATIVE_YEAR = new RegExp(
  `(?:${EVERY_WORD}年?|年)(底|末|内)(之前|以前|前)?|${EVERY}([上下])半年(之前|以前|前)?`,
  'g',
);
const RELATIVE_QUARTER = new RegExp(`${EVERY}第?([一二三四1-4])季度(?:末|底)?(之前|以前|前)?`, 'g');
const RELATIVE_MONTH = new RegExp(`${EVERY}${MONTH}(?:(\\d{1,2})日)?(之前|以前|前)?`, 'g');
const EVERY_YEAR = /每年度?|每一年/g;

/** A date followed by these is a starting point, a comparison or a span, not a deadline. */
const NOT_AFTER = /^(?:以来|期间|相比|相较|比|较|的|基础|为(?!止)|起|开始|以后|之后|后|至|到|[-—~])/;
/** …nor one preceded by these (比2015年, 由2015年的48%, 截至2015年底 is a status report). */
const NOT_BEFORE = /(?:比|较|由|从|自|与|截至|相比|相较|同比)$/;
/** A bare "2020年" is a deadline only when an action follows it ("2020年提高到30%"). */
const ACTION_AFTER =
  /^(?:要|将|需|须|必须|应|全面|基本|力争|争取|确保|实现|完成|建成|达到|达|提高|提升|降低|下降|减少|增加|增长|新增|新建|建设|开工|竣工|完工|投入|投用|启动|开展|推进|推动|形成|出台|制定|实施|上线|运行|覆盖|关闭|退出|拆除|腾退|疏解|整治|清理|改造|消除|控制|保持|全部|初步|率先|正式|如期|按期|再)/;
/** "2022年冬奥会", "2014年亚太经合组织会议": events, not deadlines. */
const EVENT = /会议|大会|奥运|冬奥|世博|博览|锦标赛|运动会|峰会|论坛|赛事|庆典|纪念/;
const CLAUSE_BREAK = /[\s,，、。；;:：!！?？（）()“”"《》]/;
const PUBLISHED = /(?:发布|印发|成文|发文|点击)[^\n]{0,6}$/;

interface DateHit {
  start: number;
  end: number;
  /** Null when the hit only blocks the text it covers (a baseline year, an event). */
  day: string | null;
  recurring: boolean;
}

interface ScanOptions {
  startYear: number;
  endYear: number;
  contextYear: number;
  /** A table cell holds nothing but a deadline: every date in it counts, whatever surrounds it. */
  cell: boolean;
}

/** The day a year-or-month expression resolves to, or null when the text is not a real date. */
function subPeriodDay(
  year: number,
  sub: string | undefined,
  quarter: string | undefined,
  month: string | undefined,
  monthPart: string | undefined,
  dayOfMonth: string | undefined,
  suffix: string | undefined,
): { y: number; m: number; d: number } | null {
  const before = suffix !== undefined && BEFORE.test(suffix);
  if (sub) {
    if (sub === '上半年' || sub === '年中') return { y: year, m: 6, d: 30 };
    return { y: year, m: 12, d: 31 }; // 底, 末, 年底, 下半年
  }
  if (quarter) {
    const q = smallNumber(quarter);
    return { y: year, m: q * 3, d: lastDayOfMonth(year, q * 3) };
  }
  if (month) {
    const m = smallNumber(month);
    if (!(m >= 1 && m <= 12)) return null;
    if (dayOfMonth) {
      const d = Number(dayOfMonth);
      return validDay(year, m, d) ? { y: year, m, d } : null;
    }
    const last = lastDayOfMonth(year, m);
    if (!monthPart) {
      // "3月前": before March starts, like "2017年前" is before 2017 starts.
      if (before)
        return m === 1
          ? { y: year - 1, m: 12, d: 31 }
          : { y: year, m: m - 1, d: lastDayOfMonth(year, m - 1) };
      return { y: year, m, d: last };
    }
    const dayOf: Record<string, number> = { 初: 5, 上旬: 10, 中: 15, 中旬: 20 };
    return { y: year, m, d: dayOf[monthPart] ?? last };
  }
  if (before) return { y: year - 1, m: 12, d: 31 };
  return { y: year, m: 12, d: 31 };
}

/** exec() in a loop: matchAll() clones the regex on every call, which costs more than the match. */
function forEachMatch(re: RegExp, s: string, fn: (m: RegExpExecArray) => void): void {
  re.lastIndex = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) fn(m);
}

function scanDates(s: string, options: ScanOptions): DateHit[] {
  const { startYear, endYear, contextYear, cell } = options;
  const hits: DateHit[] = [];
  const minYear = cell ? 1900 : startYear - 1;
  const maxYear = cell ? 2199 : endYear + 10;

  const add = (
    start: number,
    end: number,
    day: { y: number; m: number; d: number } | null,
    recurring = false,
    relative = false,
  ) => {
    // Relative dates sit in the year the caller chose: only stated years are held to the period.
    const ok = day !== null && (relative || (day.y >= minYear && day.y <= maxYear));
    hits.push({ start, end, day: ok ? isoDay(day.y, day.m, day.d) : null, recurring });
  };
  /** Context checks shared by the expressions that state a year. */
  const statedYearOk = (
    start: number,
    end: number,
    year: number,
    prefix: string | undefined,
    before: boolean,
  ) => {
    if (cell) return true;
    const ahead = s.slice(end, end + 12);
    const behind = s.slice(Math.max(0, start - 6), start);
    if (!prefix && NOT_BEFORE.test(behind)) return false;
    if (/\d[-—~]$/.test(behind)) return false; // the end of a range, "2016-2020年"
    if (before) return true;
    // A past year is a report of what happened ("2015年底全区…"); only "2016年前" may reach back.
    if (year < startYear) return false;
    if (NOT_AFTER.test(ahead)) return false;
    // "2015年,全区…": a year opening a statement is its date, not its deadline.
    if (!prefix && /^[,，、:：]/.test(ahead)) return false;
    return true;
  };

  const prefixOf = (at: number) => PREFIX.exec(s.slice(Math.max(0, at - 3), at))?.[0] ?? '';

  forEachMatch(FULL_DATE, s, (m) => {
    const [text, y, sep1, mo, sep2, d, suffix] = m;
    const prefix = prefixOf(m.index);
    const start = m.index - prefix.length;
    const end = m.index + text.length;
    const consistent = sep1 === '年' ? sep2 === '月' : sep2 === sep1;
    if (!consistent || (sep1 !== '年' && /[\d.]$/.test(s.slice(Math.max(0, start - 1), start)))) return;
    const year = Number(y);
    const before = suffix !== undefined;
    const ok =
      validDay(year, Number(mo), Number(d)) &&
      statedYearOk(start, end, year, prefix, before) &&
      (cell || !PUBLISHED.test(s.slice(Math.max(0, start - 10), start)));
    add(start, end, ok ? { y: year, m: Number(mo), d: Number(d) } : null);
  });

  forEachMatch(YEAR_DATE, s, (m) => {
    const [text, y, sub, quarter, month, monthPart, suffix] = m;
    const prefix = prefixOf(m.index);
    const start = m.index - prefix.length;
    const end = m.index + text.length;
    const year = Number(y);
    const before = suffix !== undefined && BEFORE.test(suffix);
    let ok = statedYearOk(start, end, year, prefix, before);
    if (ok && !cell && !prefix && !sub && !quarter && !month && !suffix) {
      // A bare "2017年": a deadline when an action follows, or when it opens a clause of the plan's own years.
      const ahead = s.slice(end, end + 12);
      const clause = ahead.split(CLAUSE_BREAK)[0];
      const opensClause = start === 0 || CLAUSE_BREAK.test(s[start - 1]);
      ok =
        ACTION_AFTER.test(ahead) ||
        (opensClause && year >= startYear && year <= endYear && !EVENT.test(clause));
    }
    const day = ok ? subPeriodDay(year, sub, quarter, month, monthPart, undefined, suffix) : null;
    add(start, end, day);
  });

  // The rest are rare: a cheap test skips their regexes on most paragraphs.
  if (s.includes('五') && s.includes('末')) {
    forEachMatch(PLAN_END, s, (m) => {
      // 十三五 is 2016–2020; the plans have been five-yearly since the third (1966–1970).
      const ordinal = parseChineseNumeral(`十${m[2]}`);
      const year = 1966 + 5 * (ordinal - 3) + 4;
      add(m.index, m.index + m[0].length, cell || year >= startYear ? { y: year, m: 12, d: 31 } : null);
    });
  }

  /** A relative expression ("年底前", "6月底", "每年") sits in the context year. */
  const relative = (
    m: RegExpExecArray,
    word: string | undefined,
    resolve: (year: number) => { y: number; m: number; d: number } | null,
  ) => {
    const start = m.index;
    const end = start + m[0].length;
    const behind = s.slice(Math.max(0, start - 1), start);
    // "三年内", "去年底", "每季度", "2017年" (the year expressions own those).
    if (!word && /[\d〇零一二三四五六七八九十两几多半每近去前后余第年.]/.test(behind)) return;
    if (!cell && NOT_AFTER.test(s.slice(end, end + 4)) && !/前$/.test(m[0])) return;
    const recurring = word !== undefined && word.startsWith('每');
    const year = word === '明年' || word === '次年' ? contextYear + 1 : contextYear;
    add(start, end, resolve(year), recurring, true);
  };

  if (/[每今本当明次]年|年[底末内]|半年/.test(s)) {
    forEachMatch(RELATIVE_YEAR, s, (m) => {
      const [, word, yearEnd, suffix, halfWord, half, halfSuffix] = m;
      // 年内 is due when the year ends; 上半年 when June does.
      const sub = yearEnd ? '底' : `${half}半年`;
      relative(m, word ?? halfWord, (year) =>
        subPeriodDay(year, sub, undefined, undefined, undefined, undefined, suffix ?? halfSuffix),
      );
    });
  }
  if (s.includes('季度')) {
    forEachMatch(RELATIVE_QUARTER, s, (m) => {
      const [, word, quarter, suffix] = m;
      relative(m, word, (year) =>
        subPeriodDay(year, undefined, quarter, undefined, undefined, undefined, suffix),
      );
    });
  }
  if (s.includes('月')) {
    forEachMatch(RELATIVE_MONTH, s, (m) => {
      const [, word, month, monthPart, dayOfMonth, suffix] = m;
      // "一月" alone is too often part of a word; a Chinese-numeral month needs something that dates it.
      if (!/^\d/.test(month) && !word && !monthPart && !dayOfMonth && !suffix && !m[0].includes('份')) return;
      relative(m, word, (year) =>
        subPeriodDay(year, undefined, undefined, month, monthPart, dayOfMonth, suffix),
      );
    });
  }
  if (s.includes('每')) {
    forEachMatch(EVERY_YEAR, s, (m) => relative(m, m[0], (year) => ({ y: year, m: 12, d: 31 })));
  }

  // Longest expression wins where several overlap; a blocking hit still holds its text.
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: DateHit[] = [];
  let reach = -1;
  for (const hit of hits) {
    if (hit.start < reach) continue;
    kept.push(hit);
    reach = hit.end;
  }
  return kept;
}

export function findDeadlines(
  text: string,
  period: PlanPeriod,
  contextYear = period.startYear,
): FoundDeadline[] {
  const s = normalize(text);
  return scanDates(s, { ...period, contextYear, cell: false }).flatMap((hit) =>
    hit.day === null
      ? []
      : [
          {
            phrase: text.slice(hit.start, hit.end),
            day: hit.day,
            recurring: hit.recurring ? ('YEARLY' as const) : null,
          },
        ],
  );
}

/** The measure's deadline: the latest found, else the period's end ('YYYY-12-31' of endYear). */
export function measureDeadline(found: FoundDeadline[], period: PlanPeriod): string {
  let latest = '';
  for (const deadline of found) if (deadline.day > latest) latest = deadline.day;
  return latest || `${period.endYear}-12-31`;
}

/** Words of an ongoing duty: no date, reported on every period, never overdue. */
const ONGOING = /长期|持续|常态|长效|常年|全年|定期|经常|每周/;
/** Words of a recurring duty, most frequent first where one phrase holds two (每月调度、每季度通报 is monthly). */
const RECURRENCES: [RegExp, Recurrence][] = [
  [/每(?:个)?月|按月|月度/, Recurrence.MONTHLY],
  [/每(?:个)?季度?|按季度?/, Recurrence.QUARTERLY],
  [/每半年|半年度/, Recurrence.HALF_YEARLY],
  [/每年度?|每一年|按年度?/, Recurrence.YEARLY],
];

/** A deadline as a 完成时限 reads: its kind, how often it recurs, and its day (null for an ongoing duty). */
export interface DeadlineTerm {
  kind: DueKind;
  recurrence: Recurrence | null;
  /** 'YYYY-MM-DD'; for RECURRING the last period's end; null for ONGOING. */
  day: string | null;
}

/** The latest date a cell names, or null. */
function cellDay(s: string, year: number): string | null {
  const yearMonth = /^((?:19|20)\d{2})\s*[./-]\s*(\d{1,2})$/.exec(s);
  if (yearMonth) {
    const [y, m] = [Number(yearMonth[1]), Number(yearMonth[2])];
    return m >= 1 && m <= 12 ? isoDay(y, m, lastDayOfMonth(y, m)) : null;
  }
  const monthDay = /^(\d{1,2})\s*[./-]\s*(\d{1,2})$/.exec(s);
  if (monthDay) {
    const [m, d] = [Number(monthDay[1]), Number(monthDay[2])];
    return validDay(year, m, d) ? isoDay(year, m, d) : null;
  }
  let latest: string | null = null;
  for (const hit of scanDates(s, { startYear: year, endYear: year, contextYear: year, cell: true })) {
    // 每年 alone is a recurrence, read below, not a date.
    if (hit.day !== null && !hit.recurring && (latest === null || hit.day > latest)) latest = hit.day;
  }
  return latest;
}

/**
 * A 完成时限 as written in a cell or an annotation (“完成时限：每季度”) → its kind and day, or null when
 * unreadable. Dates without a year sit in `endYear` (a yearly list's year); several dates give the latest.
 * 每月 / 每季度 / 每半年 / 每年 are RECURRING, due at the end of `endYear` unless a date is written too;
 * 长期坚持, 持续推进, 常态化 without a date are ONGOING.
 */
export function readDeadlineTerm(text: string, endYear: number): DeadlineTerm | null {
  const s = normalize(text).trim();
  if (!s) return null;
  const day = cellDay(s, endYear);
  const recurrence = RECURRENCES.find(([re]) => re.test(s))?.[1] ?? null;
  if (recurrence) return { kind: DueKind.RECURRING, recurrence, day: day ?? `${endYear}-12-31` };
  if (day) return { kind: DueKind.DATE, recurrence: null, day };
  if (ONGOING.test(s)) return { kind: DueKind.ONGOING, recurrence: null, day: null };
  return null;
}

/**
 * A 完成时限 cell of an Excel task list → 'YYYY-MM-DD' or null when unreadable; an ongoing duty gives Dec 31
 * of `year` (see readDeadlineTerm for its kind). Excel date serials are numbers, not text: the caller converts them.
 */
export function parseDeadlineCell(text: string, year: number): string | null {
  const term = readDeadlineTerm(text, year);
  if (!term) return null;
  return term.day ?? `${year}-12-31`;
}

/** “完成时限：每季度”, “（时间节点：长期坚持）”: the deadline a measure of a 任务分工方案 states for itself. */
const DEADLINE_NOTE =
  /(?:完成时限|完成时间|时间节点|时限要求)\s*[:：]\s*([^；;。)）\n]{1,40})|[（(](长期坚持|持续推进|长期推进|常态化推进|每季度|每月|每半年|每年)[）)]/;

/** The deadline term a measure annotates (完成时限：…), or null when it has none or it is unreadable. */
export function annotatedDeadline(text: string, endYear: number): (DeadlineTerm & { phrase: string }) | null {
  const m = DEADLINE_NOTE.exec(text);
  if (!m) return null;
  const phrase = (m[1] ?? m[2]).trim();
  const term = readDeadlineTerm(phrase, endYear);
  return term ? { ...term, phrase } : null;
}

const PERIOD_MONTHS: Record<Recurrence, number> = {
  [Recurrence.MONTHLY]: 1,
  [Recurrence.QUARTERLY]: 3,
  [Recurrence.HALF_YEARLY]: 6,
  [Recurrence.YEARLY]: 12,
};
const QUARTERS = ['一', '二', '三', '四'];

/**
 * The ends of the periods from `fromDay` up to (not including) `dueDay`, each with its name: 2026年3月,
 * 2026年第一季度, 2026年上半年, 2026年度. The share itself is due at `dueDay`, the last period's end.
 */
export function periodEnds(
  recurrence: Recurrence,
  fromDay: string,
  dueDay: string,
): { day: string; title: string }[] {
  const step = PERIOD_MONTHS[recurrence];
  const out: { day: string; title: string }[] = [];
  const [fromYear] = fromDay.split('-').map(Number);
  for (let year = fromYear; year <= Number(dueDay.slice(0, 4)); year++) {
    for (let month = step; month <= 12; month += step) {
      const day = isoDay(year, month, lastDayOfMonth(year, month));
      if (day < fromDay || day >= dueDay) continue;
      const title =
        recurrence === Recurrence.MONTHLY
          ? `${year}年${month}月`
          : recurrence === Recurrence.QUARTERLY
            ? `${year}年第${QUARTERS[month / 3 - 1]}季度`
            : recurrence === Recurrence.HALF_YEARLY
              ? `${year}年${month === 6 ? '上' : '下'}半年`
              : `${year}年度`;
      out.push({ day, title });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Indicators

/** Longest first, so 万平方米 wins over 平方米 and 个百分点 over 个. */
const UNITS = [
  '毫克/立方米',
  '微克/立方米',
  '万吨标准煤',
  '亿千瓦时',
  '万千瓦时',
  '万平方公里',
  '个百分点',
  '万平方米',
  '平方公里',
  '万立方米',
  '亿立方米',
  '吨标准煤',
  '千瓦时',
  '百分点',
  '万亿元',
  '平方米',
  '立方米',
  '万人次',
  '万千瓦',
  '亿元',
  '万元',
  '万人',
  '人次',
  '万户',
  '万套',
  '万辆',
  '万吨',
  '万亩',
  '公里',
  '千米',
  '公顷',
  '千瓦',
  '兆瓦',
  '小时',
  '分钟',
  '张床',
  '%',
  '‰',
  '元',
  '人',
  '户',
  '套',
  '辆',
  '吨',
  '亩',
  '米',
  '个',
  '所',
  '家',
  '座',
  '处',
  '条',
  '项',
  '张',
  '台',
  '名',
  '床',
  '间',
  '栋',
  '场',
  '次',
  '件',
  '倍',
  '天',
  '万',
  '亿',
];
const PEOPLE_UNITS = new Set(['人', '万人', '人次', '万人次', '名']);

/** Verbs before a number that make it a target; longest first so 达到 wins over 达. */
const COMPARATORS = [
  '控制在',
  '保持在',
  '稳定在',
  '维持在',
  '提高到',
  '提高至',
  '提升到',
  '提升至',
  '增加到',
  '增加至',
  '增长到',
  '增长至',
  '扩大到',
  '扩大至',
  '下降到',
  '下降至',
  '降低到',
  '降低至',
  '减少到',
  '减少至',
  '压减到',
  '压减至',
  '不低于',
  '不少于',
  '不高于',
  '不超过',
  '不大于',
  '不小于',
  '达到',
  '突破',
  '超过',
  '大于',
  '小于',
  '低于',
  '高于',
  '多于',
  '少于',
  '不足',
  '不到',
  '下降',
  '降低',
  '减少',
  '压减',
  '削减',
  '提高',
  '提升',
  '增加',
  '降到',
  '降至',
  '增至',
  '达',
  '为',
];
/** After the number. 左右 only softens a target; it is the comparator only when nothing else is. */
const AFTER_MARKERS = ['及以上', '以上', '以内', '以下', '之内', '左右'];

const NUMBER = /(?<![A-Za-z0-9.+\-/])(\d+(?:\.\d+)?)(?:\s*[-~—–至到]\s*(\d+(?:\.\d+)?))?(?!\d)(余|多)?/g;
const SENTENCE = /[^。；;！!？?\n]+/g;
/** Where a name starts looking back from its number; 、 is handled separately (it also joins 分别 lists). */
const CLAUSE_START = /[,，:：（(）)]/;
/** "由2015年的48%", "从48%": the value the target is measured from. */
const BASELINE_FROM = /(?:由|从)(?:((?:19|20)\d{2})年(?:底|末)?的?)?(\d+(?:\.\d+)?)(?:[^\d,，、。；;]{0,8})$/;
const BASELINE_YEAR =
  /(?:(?:比|较|相比|相较|与)((?:19|20)\d{2})年(?:底|末)?(?:相比|相较)?|在((?:19|20)\d{2})年(?:底|末)?的?基础上|以((?:19|20)\d{2})年为基[数准期]?)/;
const TIME_WORDS =
  /(?:到|至|于|在)?(?:19|20)\d{2}年(?:底|末|前|以前|之前|以内|内)?|“?十[一二三四五六七八九]五”?(?:时期|期间|期)?末?|今后五年/g;
const LEADING =
  /^(?:\d{1,2}[.、)）]\s*|[一二三四五六七八九十]+、|使(?!用)|确保|实现|力争|争取|努力|全区|全市|全面|基本(?!药|公共)|进一步|逐步|继续|持续|不断|要|将|并|其中|同时|以及|和|及|每年|预计|加快|大力|着力|推动|促进|提高|提升|扶持|末|期间|时期|的|…+)/;
const FRAMING = /使(?!用)|确保|实现|力争|争取|努力|全区|全市|全面/g;
const TRAILING =
  /(?:力争|争取|(?<![人年])均|要|将|预计|累计|进一步|继续|持续|逐步|总计|合计|共|每年|分别|也|都|已|仍|再|全区|…+)$/;
/** Too general to stand alone: borrow the subject of the clause before ("…总收入预计达…,年均增长18.3%"). */
const GENERIC = new Set([
  '',
  '年均增长',
  '年均增速',
  '增速',
  '增长',
  '增幅',
  '年均',
  '比重',
  '比例',
  '总量',
  '规模',
]);
/** Verbs that count what they act on: "新建1所精神残疾老人护养院" names the thing after the number. */
const COUNTING_VERB =
  /(?:新建|新增|建设|建成|扶持|选派|带动|培育|引进|打造|改造|完成|实施|开展|培养|吸引|支持|增设|创建|招聘|安置|整治|腾退|拆除|疏解|提供|开通|组建|筹建|推出|认定|举办|建)$/;
const NAME_MAX = 20;

interface Sentence {
  start: number;
  end: number;
}

function sentences(s: string): Sentence[] {
  const out: Sentence[] = [];
  forEachMatch(SENTENCE, s, (m) => out.push({ start: m.index, end: m.index + m[0].length }));
  return out;
}

function startsWithAny(s: string, at: number, words: string[]): string {
  for (const word of words) if (s.startsWith(word, at)) return word;
  return '';
}

function endsWithAny(s: string, words: string[]): string {
  for (const word of words) if (s.endsWith(word)) return word;
  return '';
}

/** Strips time phrases, framing verbs and adverbs from the text before a comparator, leaving the noun. */
function cleanName(region: string): string {
  let name = region.replace(TIME_WORDS, '');
  // "扶持售菜面积20平方米以上的蔬菜零售网点": the head noun follows the last 的, unless that leaves too little.
  const of = name.lastIndexOf('的');
  if (of >= 0 && name.length - of - 1 >= 4) name = name.slice(of + 1);
  // "…等手段确保全区常住人口": the name starts after the last framing verb.
  let cut = 0;
  forEachMatch(FRAMING, name, (m) => (cut = m.index + m[0].length));
  if (cut < name.length) name = name.slice(cut);
  name = name.replace(/^[“”"'‘’\s]+|[“”"'‘’\s]+$/g, '');
  for (let previous = ''; previous !== name; ) {
    previous = name;
    name = name.replace(LEADING, '').replace(TRAILING, '').trim();
  }
  return name.length > NAME_MAX ? name.slice(-NAME_MAX) : name;
}

const STATED_YEAR = /(?:19|20)\d{2}(?=年)/g;

/** “十三五”期间, 过去五年, 五年来: a period before the plan's, whose figures are results, not targets. */
const PAST_PERIOD =
  /“?十([一二三四五六七八九])五”?(?:时期|期间|以来|期)|过去五年|五年来|过去的五年|上一个五年/g;

/** Whether the text speaks of a period that ended before `startYear` (十三五 ends in 2020). */
export function speaksOfPastPeriod(text: string, startYear: number): boolean {
  let past = false;
  forEachMatch(PAST_PERIOD, text, (m) => {
    if (!m[1]) past = true;
    // 十三五 is 2016–2020; the plans have been five-yearly since the third (1966–1970).
    else if (1966 + 5 * (parseChineseNumeral(`十${m[1]}`) - 3) + 4 < startYear) past = true;
  });
  return past;
}

/** Years before the plan that are not baselines mark a sentence as a report of the past. */
function reportsPast(s: string, sentence: Sentence, startYear: number): boolean {
  const text = s.slice(sentence.start, sentence.end);
  if (speaksOfPastPeriod(text, startYear)) return true;
  let past = false;
  forEachMatch(STATED_YEAR, text, (m) => {
    if (Number(m[0]) >= startYear) return;
    const behind = text.slice(Math.max(0, m.index - 3), m.index);
    const ahead = text.slice(m.index + 4, m.index + 12);
    const baseline =
      /(?:比|较|由|从|与|相比|相较|同比)$/.test(behind) ||
      /^年(?:底|末)?(?:的?基础|的\d|相比|相较|为基)/.test(ahead);
    if (!baseline) past = true;
  });
  return past;
}

interface Candidate {
  start: number;
  end: number;
  value: number;
  unit: string;
  after: string;
  approx: string;
  /** Written with 万 or 亿 (3万): a quantity even where no unit follows. */
  scaled: boolean;
}

const SCALE: Record<string, number> = { 万: 1e4, 亿: 1e8, 万亿: 1e12 };
/** Money is written in 万元 / 亿元 and kept so. */
const MONEY = new Set(['万元', '亿元', '万亿元', '元']);
/** 每年不少于…, 每月…: a target to meet every period. */
function recurrenceIn(clause: string): Recurrence | null {
  if (/每年|每一年|年度?不少于/.test(clause)) return Recurrence.YEARLY;
  if (/每季度?/.test(clause)) return Recurrence.QUARTERLY;
  if (/每(?:个)?月/.test(clause)) return Recurrence.MONTHLY;
  if (/每半年/.test(clause)) return Recurrence.HALF_YEARLY;
  return null;
}

/** A number with its unit and trailing marker, or null for numbers that are not quantities (16号线, PM2.5, 2015年). */
function readCandidate(s: string, start: number, m: RegExpExecArray): Candidate | null {
  let end = start + m[0].length;
  let value = Number(m[1]);
  let unit = startsWithAny(s, end, UNITS);
  // 3万家 is 30000 家, 1.5万个 15000 个: 万 and 亿 multiply; only money keeps them (万元, 亿元 as budgets are written).
  const scale = /^(?:万亿|亿|万)/.exec(s.slice(end, end + 2))?.[0];
  if (scale && !MONEY.has(unit)) {
    const counted = startsWithAny(s, end + scale.length, UNITS);
    if (!MONEY.has(counted) && counted !== '万' && counted !== '亿') {
      value = Number((value * SCALE[scale]).toPrecision(12));
      end += scale.length;
      unit = counted;
    }
  }
  end += unit.length;
  const after = startsWithAny(s, end, AFTER_MARKERS);
  end += after.length;
  if (s[start - 1] === '第') return null;
  if (!unit && /^[年月日号周世届期版代条章节]/.test(s.slice(end, end + 1))) return null;
  return {
    start,
    end,
    value,
    unit,
    after,
    approx: m[3] ?? '',
    scaled: scale !== undefined && value !== Number(m[1]),
  };
}

export function findIndicators(text: string, period: PlanPeriod): FoundIndicator[] {
  const s = normalize(text);
  const dates = scanDates(s, { ...period, contextYear: period.startYear, cell: false });
  const found: FoundIndicator[] = [];

  for (const sentence of sentences(s)) {
    const body = s.slice(sentence.start, sentence.end);
    if (!/\d/.test(body)) continue; // most sentences: nothing to measure
    const stated = dates.filter(
      (d) => d.day !== null && !d.recurring && d.start >= sentence.start && d.end <= sentence.end,
    );
    const statesFuture = stated.some((d) => Number(d.day!.slice(0, 4)) >= period.startYear);
    if (reportsPast(s, sentence, period.startYear) && !statesFuture) continue;

    let lastName = '';
    /** Names waiting for their values after 分别 ("A、B分别达到X、Y"). */
    let group: { names: string[]; comparator: string; regionStart: number; year: number } | null = null;
    let previousEnd = sentence.start;

    NUMBER.lastIndex = 0;
    for (let m = NUMBER.exec(body); m; m = NUMBER.exec(body)) {
      const c = readCandidate(s, m.index + sentence.start, m);
      if (!c) continue;
      const rest = s.slice(c.end, sentence.end);

      // A value inside a 分别 list takes the next name.
      if (group && /^[、和及与]$/.test(s.slice(previousEnd, c.start)) && group.names.length > 0) {
        const name = group.names.shift()!;
        found.push({
          phrase: text.slice(group.regionStart, c.end),
          name,
          value: c.value,
          unit: c.unit,
          comparator: combine(group.comparator, c.after, c.approx),
          baselineValue: null,
          baselineYear: null,
          year: group.year,
          recurrence: recurrenceIn(s.slice(group.regionStart, c.end)),
        });
        previousEnd = c.end;
        continue;
      }
      group = null;

      // Where this clause starts, looking back from the number.
      let clauseStart = sentence.start;
      for (let i = c.start - 1; i >= sentence.start; i--) {
        if (CLAUSE_START.test(s[i])) {
          clauseStart = i + 1;
          break;
        }
      }
      let region = s.slice(clauseStart, c.start);
      let regionStart = clauseStart;

      // A baseline ("由2015年的48%") belongs to the target that follows it.
      if (/(?:由|从)(?:(?:19|20)\d{2}年(?:底|末)?的?)?$/.test(region)) continue;
      // Attributive ("20平方米以上的网点") or circumstance ("增长4%左右的情况下"), not a target.
      if (/^的(?!目标|水平)/.test(rest)) continue;
      if (/^[^,，。；;]*的情况下/.test(rest)) continue;

      let approx = c.approx;
      if (region.endsWith('约')) {
        approx = approx || '约';
        region = region.slice(0, -1);
      }
      const before = endsWithAny(region, COMPARATORS);
      if (!c.unit && !c.scaled && !before) continue;
      if (!c.unit && !c.scaled && !/^(?:$|[\s,，。；;、:：)）])/.test(s.slice(c.end, c.end + 1)) && !c.after)
        continue;
      region = region.slice(0, region.length - before.length);

      let baselineValue: number | null = null;
      let baselineYear: number | null = null;
      const from = BASELINE_FROM.exec(region);
      if (from) {
        baselineYear = from[1] ? Number(from[1]) : null;
        baselineValue = Number(from[2]);
        region = region.slice(0, from.index);
      }
      const since = BASELINE_YEAR.exec(region);
      if (since) {
        baselineYear = Number(since[1] ?? since[2] ?? since[3]);
        region = region.slice(0, since.index) + region.slice(since.index + since[0].length);
      }

      const year = targetYear(stated, c.start, period);
      const comparator = combine(before, c.after, approx);

      // 分别: the names are listed before the comparator, the values after it.
      if (/分别$/.test(region)) {
        const names = region
          .slice(0, -2)
          .split(/[、和及与]/)
          .map(cleanName)
          .filter(Boolean);
        if (names.length > 1) {
          const name = names.shift()!;
          group = { names, comparator: before, regionStart, year };
          found.push({
            phrase: text.slice(regionStart, c.end),
            name,
            value: c.value,
            unit: c.unit,
            comparator,
            baselineValue,
            baselineYear,
            year,
            recurrence: recurrenceIn(s.slice(clauseStart, c.end)),
          });
          previousEnd = c.end;
          continue;
        }
      }

      // Within the clause a name stops at 、 ("…达到98.5%、…").
      const pause = region.lastIndexOf('、');
      if (pause >= 0) {
        region = region.slice(pause + 1);
        regionStart += pause + 1;
      }

      let name = cleanName(region);
      let end = c.end;
      const verb = COUNTING_VERB.exec(name);
      const following = /^[\u4e00-\u9fff]/.test(rest) ? rest.split(/[,，。；;:：（(]/)[0] : '';
      if (verb && following) {
        // "选派500名左右…的区属专业人才赴…研修" → 选派区属专业人才.
        const object = following.split(/赴|前往|用于|进行/)[0];
        const head = object.slice(object.lastIndexOf('的') + 1);
        end = c.end + object.length;
        name =
          PEOPLE_UNITS.has(c.unit) && /^(?:参与|参加)/.test(head)
            ? `${head}人数`
            : `${verb[0]}${head}`.slice(0, NAME_MAX);
      } else if (GENERIC.has(name)) {
        const previousClause = s.slice(sentence.start, Math.max(sentence.start, clauseStart - 1));
        const previousStart = Math.max(
          previousClause.lastIndexOf(','),
          previousClause.lastIndexOf('，'),
          previousClause.lastIndexOf('、'),
        );
        const borrowed = lastName || cleanName(previousClause.slice(previousStart + 1));
        name = borrowed + name;
      }
      if (!name) continue;

      // The phrase starts at the name when the name is written in one piece, else at the clause.
      const at = verb && following ? s.lastIndexOf(verb[0], c.start) : s.indexOf(name, regionStart);
      const phraseStart = at >= regionStart && at < c.start ? at : regionStart;
      found.push({
        phrase: text.slice(phraseStart, end).trim(),
        name,
        value: c.value,
        unit: c.unit,
        comparator,
        baselineValue,
        baselineYear,
        year,
        recurrence: recurrenceIn(s.slice(clauseStart, c.end)),
      });
      lastName = name;
      previousEnd = c.end;
    }
  }
  return found;
}

/** "控制在" + "以内" → "控制在…以内"; 左右 and 约 only when nothing firmer is written. */
function combine(before: string, after: string, approx: string): string {
  const firm = after === '左右' ? '' : after;
  if (before && firm) return `${before}…${firm}`;
  if (before || firm) return before || firm;
  return after || approx;
}

/** The last stated deadline before the number in its sentence, else the end of the period. */
function targetYear(stated: DateHit[], at: number, period: PlanPeriod): number {
  let year = period.endYear;
  for (const d of stated) if (d.start < at) year = Number(d.day!.slice(0, 4));
  return year;
}
