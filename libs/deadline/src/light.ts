import { registerEnumType } from '@nestjs/graphql';
import type { WorkCalendar } from './calendar/work-calendar';
import { addDays, beijingDay, beijingInstant } from '@zhezi/core';

export enum Light {
  GREEN = 'GREEN',
  YELLOW = 'YELLOW',
  RED = 'RED',
}

registerEnumType(Light, {
  name: 'Light',
  valuesMap: {
    GREEN: { description: '绿灯：正常推进' },
    YELLOW: { description: '黄灯：临近时限或进度滞后' },
    RED: { description: '红灯：已逾期或有未办结的督办单' },
  },
});

export interface LightSettings {
  /** YELLOW this many workdays before the due date (inclusive). */
  warningWorkdays: number;
  /** YELLOW when reported progress trails the share of time elapsed by more than this many points. */
  progressLagPoints: number;
}

export interface LightSubject {
  closed: boolean;
  dueAt: Date;
  startedAt: Date;
  progressPercent: number;
  openNotice: boolean;
  /** An ongoing duty (长期坚持): its due date only holds the column; it is never overdue nor near it. */
  ongoing?: boolean;
}

/**
 * warningEnd per calendar (a calendar is never changed: a new one replaces it) and day: every light of every
 * list item asks for it, and walking the calendar was a tenth of an executed unit board's CPU.
 */
const warningEnds = new WeakMap<WorkCalendar, Map<string, number>>();

/**
 * The instant from which a deadline lies outside the warning window seen from `now`: a share due before it
 * has at most `warningWorkdays` workdays left. It moves only at midnight (Beijing), which lets boards keep
 * their figures until then.
 */
export function warningEnd(calendar: WorkCalendar, now: Date, warningWorkdays: number): Date {
  const today = beijingDay(now);
  let byDay = warningEnds.get(calendar);
  if (!byDay) warningEnds.set(calendar, (byDay = new Map<string, number>()));
  const key = `${today}/${warningWorkdays}`;
  let end = byDay.get(key);
  if (end === undefined) {
    let day = today;
    while (calendar.workdaysBetween(today, day) <= warningWorkdays) day = addDays(day, 1);
    end = beijingInstant(day).getTime();
    byDay.set(key, end);
  }
  return new Date(end);
}

/** One rule for boards, lists and notifications alike. CLOSED items have no light. */
export function lightOf(
  subject: LightSubject,
  now: Date,
  calendar: WorkCalendar,
  settings: LightSettings,
): Light | null {
  if (subject.closed) return null;
  if (subject.ongoing) return subject.openNotice ? Light.RED : Light.GREEN;
  if (now > subject.dueAt || subject.openNotice) return Light.RED;
  if (subject.dueAt < warningEnd(calendar, now, settings.warningWorkdays)) return Light.YELLOW;
  const span = subject.dueAt.getTime() - subject.startedAt.getTime();
  // Progress is judged as of the day's start (Beijing): a light changes only at midnight or at a deadline.
  const asOf = beijingInstant(beijingDay(now)).getTime();
  const elapsed = span > 0 ? ((asOf - subject.startedAt.getTime()) / span) * 100 : 100;
  return elapsed - subject.progressPercent > settings.progressLagPoints ? Light.YELLOW : Light.GREEN;
}

/** SQL placeholders (e.g. `$2` or `:now`) for the values the light depends on. */
export interface LightSqlParams {
  now: string;
  /** The start of today (Beijing), as which progress is judged. */
  dayStart: string;
  warningEnd: string;
  lagPoints: string;
}

/** SQL over an assignment alias: the share has a date that can pass (not an ongoing duty). */
export const datedSql = (a: string) => `${a}.due_kind <> 'ONGOING'`;

/** Whether share `a` is under an open 督办单 (the light is red then), as SQL. */
export const OPEN_NOTICE = (a: string) =>
  `EXISTS (SELECT 1 FROM supervision_notice n WHERE n.assignment_id = ${a}.id AND n.status <> 'CLOSED')`;

/**
 * `lightOf` as SQL over an open assignment alias (`a.due_at`, `a.due_kind`, `a.created_at`,
 * `a.progress_percent`) and a boolean expression for an open notice: RED, and YELLOW (to be read as YELLOW
 * only when not RED). An ongoing share is red only for an open notice and never yellow.
 */
export function lightSql(a: string, openNotice: string, p: LightSqlParams) {
  const span = `(${a}.due_at - ${a}.created_at)`;
  const lagAt = `(${a}.created_at + ${span} * ((${a}.progress_percent + ${p.lagPoints}) / 100.0))`;
  return {
    red: `((${datedSql(a)} AND ${a}.due_at < ${p.now}) OR ${openNotice})`,
    yellow:
      `(${datedSql(a)} AND (${a}.due_at < ${p.warningEnd}` +
      ` OR (${a}.due_at <= ${a}.created_at AND 100 - ${a}.progress_percent > ${p.lagPoints})` +
      ` OR (${a}.due_at > ${a}.created_at AND ${p.dayStart} > ${lagAt})))`,
  };
}
