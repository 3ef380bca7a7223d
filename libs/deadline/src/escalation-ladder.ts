import type { WorkCalendar } from './calendar/work-calendar';
import type { EscalationLevel } from './escalation-policy.entity';
import { beijingDay, beijingInstant } from '@zhezi/core';

/** The next firing of an assignment's ladder. */
export interface LadderPlan {
  level: number;
  occurrence: number;
  at: Date;
}

/** What the ladder has done in the current cycle: its highest firing (or skip), if any. */
export interface LadderLast {
  level: number;
  occurrence: number;
  acknowledged: boolean;
}

export interface LadderInput {
  levels: readonly EscalationLevel[];
  dueAt: Date;
  cycleStartedAt: Date;
  last: LadderLast | null;
  now: Date;
}

const DURATION = /^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of an ISO-8601 duration of days, hours, minutes and seconds ("PT30M", "-PT2H", "P1D"); null if not one. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text);
  if (!m || text.endsWith('P') || text.endsWith('T')) return null;
  const [, minus, d, h, min, s] = m;
  const ms =
    ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
  return minus ? -ms : ms;
}

/** A level's offset in one comparable number: workdays, or milliseconds for duration levels. */
export function offsetOf(level: { offsetWorkdays?: number | null; offsetDuration?: string | null }): number {
  return level.offsetDuration ? (parseDuration(level.offsetDuration) ?? 0) : (level.offsetWorkdays ?? 0);
}

/**
 * Plans an assignment's ladder over the working-day calendar. Pure: the same input gives the same plan,
 * which is what lets a reconciliation pass re-derive every pending escalation from the database alone.
 */
export class EscalationLadder {
  /** Level times per policy version and due instant: many assignments share a deadline. */
  private readonly memo = new WeakMap<readonly EscalationLevel[], Map<number, Date[]>>();

  constructor(
    private readonly calendar: WorkCalendar,
    /** Working-day levels fire at this Beijing wall-clock time. */
    private readonly fireTime = '09:00',
  ) {}

  /** When a level is due for an assignment due at `dueAt`. */
  levelAt(level: EscalationLevel, dueAt: Date): Date {
    if (level.offsetDuration) return new Date(dueAt.getTime() + (parseDuration(level.offsetDuration) ?? 0));
    const day = this.calendar.addWorkdays(beijingDay(dueAt), level.offsetWorkdays ?? 0);
    return beijingInstant(day, this.fireTime);
  }

  /** When the `occurrence`-th repeat of a level is due; null if the level does not repeat. */
  repeatAt(level: EscalationLevel, dueAt: Date, occurrence: number): Date | null {
    const first = this.levelAt(level, dueAt);
    if (level.repeatDuration) {
      return new Date(first.getTime() + occurrence * (parseDuration(level.repeatDuration) ?? 0));
    }
    if (level.repeatWorkdays) {
      const day = this.calendar.addWorkdays(beijingDay(first), occurrence * level.repeatWorkdays);
      return beijingInstant(day, this.fireTime);
    }
    return null;
  }

  /**
   * The ranges of cycle starts that plan a new ladder alike: a start matters only through the level times before
   * it, so the ranges run between those times, (after, upTo]; `startedAt` stands for the whole range.
   */
  cycleStartRanges(
    levels: readonly EscalationLevel[],
    dueAt: Date,
  ): { after: Date | null; upTo: Date | null; startedAt: Date }[] {
    const times = [...new Set(this.timesOf(levels, dueAt).map((t) => t.getTime()))].sort((a, b) => a - b);
    if (times.length === 0) return [{ after: null, upTo: null, startedAt: dueAt }];
    return [
      ...times.map((t, i) => ({
        after: i === 0 ? null : new Date(times[i - 1]),
        upTo: new Date(t),
        startedAt: new Date(t),
      })),
      {
        after: new Date(times[times.length - 1]),
        upTo: null,
        startedAt: new Date(times[times.length - 1] + 1),
      },
    ];
  }

  /** Every level's time for a deadline, computed once per (levels, deadline) for the life of this ladder. */
  private timesOf(levels: readonly EscalationLevel[], dueAt: Date): Date[] {
    let byDue = this.memo.get(levels);
    if (!byDue) this.memo.set(levels, (byDue = new Map<number, Date[]>()));
    let times = byDue.get(dueAt.getTime());
    if (!times) byDue.set(dueAt.getTime(), (times = levels.map((level) => this.levelAt(level, dueAt))));
    return times;
  }

  /**
   * The next level to climb to. Levels planned before the cycle began never fire (an assignment made three
   * days before its deadline gets no "five days left" reminder); of several levels already due, only the
   * highest fires, because a late reminder after an urge is noise.
   */
  nextLevel(input: LadderInput): number | null {
    const { levels, dueAt, cycleStartedAt, last, now } = input;
    const times = this.timesOf(levels, dueAt);
    let pick: number | null = null;
    for (let i = last ? last.level + 1 : 0; i < levels.length; i++) {
      const at = times[i];
      if (at < cycleStartedAt) continue;
      if (at <= now) pick = i;
      else return pick ?? i;
    }
    return pick;
  }

  /**
   * The level an inspector's 立即升级 or 跳过 takes: one level up from the last. Levels whose date passed before
   * the cycle began (a share handed out late) never fire by themselves, but the hand still climbs them from the
   * deadline on — an overdue share is urged first, not reminded, nor called to a 约谈 straight away; past them it
   * takes the planned level.
   */
  levelByHand(input: LadderInput): number | null {
    const { levels, dueAt, cycleStartedAt, last } = input;
    const times = this.timesOf(levels, dueAt);
    for (let i = last ? last.level + 1 : 0; i < levels.length; i++) {
      if (times[i] >= cycleStartedAt) return this.nextLevel(input);
      if (offsetOf(levels[i]) >= 0) return i;
    }
    return null;
  }

  /** The next firing: a repeat of the last level while it stands unacknowledged, or the next level. */
  next(input: LadderInput): LadderPlan | null {
    const { levels, dueAt, cycleStartedAt, last } = input;
    const times = this.timesOf(levels, dueAt);
    const level = this.nextLevel(input);
    const climb = level === null ? null : { level, occurrence: 0, at: times[level] };
    if (!last || last.acknowledged) return climb;
    const repeatAt = this.repeatAt(levels[last.level], dueAt, last.occurrence + 1);
    const following = times[last.level + 1];
    // A repeat is superseded once the following level is due; like a level, it never fires if planned before the
    // cycle began (a level climbed by hand on a share handed out after its deadline would repeat in a burst).
    if (!repeatAt || repeatAt < cycleStartedAt || (following && repeatAt >= following)) return climb;
    const repeat = { level: last.level, occurrence: last.occurrence + 1, at: repeatAt };
    return climb && climb.at < repeat.at ? climb : repeat;
  }
}
