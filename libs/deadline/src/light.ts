import { registerEnumType } from '@nestjs/graphql';
import type { WorkCalendar } from './calendar/work-calendar';
import { shanghaiDay } from './calendar/shanghai-date';

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
}

/** One rule for boards, lists and notifications alike. CLOSED items have no light. */
export function lightOf(
  subject: LightSubject,
  now: Date,
  calendar: WorkCalendar,
  settings: LightSettings,
): Light | null {
  if (subject.closed) return null;
  if (now > subject.dueAt || subject.openNotice) return Light.RED;
  const left = calendar.workdaysBetween(shanghaiDay(now), shanghaiDay(subject.dueAt));
  if (left <= settings.warningWorkdays) return Light.YELLOW;
  const span = subject.dueAt.getTime() - subject.startedAt.getTime();
  const elapsed = span > 0 ? ((now.getTime() - subject.startedAt.getTime()) / span) * 100 : 100;
  return elapsed - subject.progressPercent > settings.progressLagPoints ? Light.YELLOW : Light.GREEN;
}
