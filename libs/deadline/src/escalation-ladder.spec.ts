import { packagedYear } from './calendar/packaged-calendar';
import { WorkCalendar } from './calendar/work-calendar';
import { EscalationLadder, parseDuration, type LadderInput } from './escalation-ladder';
import { EscalationAction, Recipient, type EscalationLevel } from './escalation-policy.entity';
import { Light, lightOf } from './light';

const calendar = new WorkCalendar([...packagedYear(2024), ...packagedYear(2025)]);
const ladder = new EscalationLadder(calendar, '09:00');
const level = (
  offsetWorkdays: number,
  action: EscalationAction,
  repeatWorkdays?: number,
): EscalationLevel => ({
  offsetWorkdays,
  action,
  recipients: [Recipient.UNIT_OFFICERS],
  repeatWorkdays,
});
const LEVELS = [
  level(-5, EscalationAction.REMIND),
  level(0, EscalationAction.URGE),
  level(1, EscalationAction.SUPERVISE, 1),
  level(5, EscalationAction.REPORT),
];
const DUE = new Date('2024-10-10T15:59:59.999Z');
const nine = (day: string) => new Date(`${day}T01:00:00.000Z`);
const input = (over: Partial<LadderInput>): LadderInput => ({
  levels: LEVELS,
  dueAt: DUE,
  cycleStartedAt: new Date('2024-09-01T00:00:00Z'),
  last: null,
  now: new Date('2024-09-02T00:00:00Z'),
  ...over,
});

describe('parseDuration', () => {
  it.each([
    ['PT30M', 1_800_000],
    ['-PT2H', -7_200_000],
    ['P1D', 86_400_000],
    ['PT2S', 2000],
    ['P1DT1H', 90_000_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'P', 'PT', '30M', 'P1W', 'PT-1H', 'P1X'])('rejects %j', (text) =>
    expect(parseDuration(text)).toBeNull(),
  );
});

describe('EscalationLadder', () => {
  it('plans working-day levels at the fire time, across the National Day holiday', () => {
    expect(ladder.levelAt(LEVELS[0], DUE)).toEqual(nine('2024-09-27'));
    expect(ladder.levelAt(LEVELS[1], DUE)).toEqual(nine('2024-10-10'));
    expect(ladder.levelAt(LEVELS[3], DUE)).toEqual(nine('2024-10-16'));
  });

  it('plans duration levels from the due instant', () => {
    const urgent = { ...LEVELS[0], offsetWorkdays: null, offsetDuration: '-PT2H' };
    expect(ladder.levelAt(urgent, DUE)).toEqual(new Date('2024-10-10T13:59:59.999Z'));
  });

  it('starts with the first level, and skips levels planned before the cycle began', () => {
    expect(ladder.next(input({}))).toEqual({ level: 0, occurrence: 0, at: nine('2024-09-27') });
    const late = input({
      cycleStartedAt: new Date('2024-10-08T00:00:00Z'),
      now: new Date('2024-10-08T00:00:00Z'),
    });
    expect(ladder.next(late)).toEqual({ level: 1, occurrence: 0, at: nine('2024-10-10') });
  });

  it('fires only the highest of several levels already due', () => {
    const now = new Date('2024-10-14T03:00:00Z');
    expect(ladder.next(input({ now }))).toEqual({ level: 2, occurrence: 0, at: nine('2024-10-11') });
  });

  it('repeats an unacknowledged level each interval until the next level supersedes it', () => {
    const last = { level: 2, occurrence: 0, acknowledged: false };
    const now = new Date('2024-10-11T02:00:00Z');
    expect(ladder.next(input({ last, now }))).toEqual({ level: 2, occurrence: 1, at: nine('2024-10-12') });
    const third = { level: 2, occurrence: 3, acknowledged: false };
    expect(ladder.next(input({ last: third, now }))).toEqual({
      level: 3,
      occurrence: 0,
      at: nine('2024-10-16'),
    });
    expect(ladder.next(input({ last: { ...last, acknowledged: true }, now }))).toEqual({
      level: 3,
      occurrence: 0,
      at: nine('2024-10-16'),
    });
  });

  it('has nothing left after the last level', () => {
    expect(ladder.next(input({ last: { level: 3, occurrence: 0, acknowledged: false } }))).toBeNull();
  });

  it('lets an inspector climb by hand a ladder that began after all its levels, from the deadline on', () => {
    // Handed out a month after its deadline: nothing fires by itself.
    const now = new Date('2024-11-11T02:00:00Z');
    const late = input({ cycleStartedAt: now, now });
    expect(ladder.next(late)).toBeNull();
    // By hand: urged first (a reminder of the coming deadline would be noise), then each level in turn.
    expect(ladder.levelByHand(late)).toBe(1);
    expect(ladder.levelByHand({ ...late, last: { level: 1, occurrence: 0, acknowledged: true } })).toBe(2);
    expect(ladder.levelByHand({ ...late, last: { level: 3, occurrence: 0, acknowledged: true } })).toBeNull();
    // A 督办 climbed to by hand does not repeat on the days that passed before the share existed.
    expect(ladder.next({ ...late, last: { level: 2, occurrence: 0, acknowledged: false } })).toBeNull();
    // Handed out after its urge and 督办 but before its 通报: the plan waits for the 通报, the hand urges first.
    const partly = input({ cycleStartedAt: nine('2024-10-14'), now: nine('2024-10-14') });
    expect(ladder.next(partly)).toEqual({ level: 3, occurrence: 0, at: nine('2024-10-16') });
    expect(ladder.levelByHand(partly)).toBe(1);
    // Otherwise the hand takes the planned level.
    expect(ladder.levelByHand(input({}))).toBe(0);
    expect(ladder.levelByHand(input({ now: new Date('2024-10-14T03:00:00Z') }))).toBe(2);
  });
});

describe('lightOf', () => {
  const settings = { warningWorkdays: 5, progressLagPoints: 20 };
  const subject = {
    closed: false,
    dueAt: DUE,
    startedAt: new Date('2024-06-30T16:00:00Z'),
    progressPercent: 50,
    openNotice: false,
  };

  it('is RED when overdue or under an open notice, none when closed', () => {
    expect(lightOf(subject, new Date('2024-10-11T00:00:00Z'), calendar, settings)).toBe(Light.RED);
    expect(
      lightOf({ ...subject, openNotice: true }, new Date('2024-07-02T00:00:00Z'), calendar, settings),
    ).toBe(Light.RED);
    expect(
      lightOf({ ...subject, closed: true }, new Date('2024-10-11T00:00:00Z'), calendar, settings),
    ).toBeNull();
  });

  it('never turns an ongoing duty (长期) red or yellow by its date, only by an open notice', () => {
    const ongoing = { ...subject, ongoing: true, progressPercent: 0 };
    expect(lightOf(ongoing, new Date('2024-10-11T00:00:00Z'), calendar, settings)).toBe(Light.GREEN);
    expect(lightOf(ongoing, new Date('2024-10-08T00:00:00Z'), calendar, settings)).toBe(Light.GREEN);
    expect(
      lightOf({ ...ongoing, openNotice: true }, new Date('2024-10-11T00:00:00Z'), calendar, settings),
    ).toBe(Light.RED);
  });

  it('is YELLOW within five workdays of the due date (the holiday week does not count) or when progress lags', () => {
    expect(lightOf(subject, new Date('2024-09-27T02:00:00Z'), calendar, settings)).toBe(Light.YELLOW);
    expect(
      lightOf(subject, new Date('2024-09-26T02:00:00Z'), calendar, { ...settings, progressLagPoints: 100 }),
    ).toBe(Light.GREEN);
    expect(
      lightOf({ ...subject, progressPercent: 10 }, new Date('2024-08-31T00:00:00Z'), calendar, settings),
    ).toBe(Light.YELLOW);
    expect(lightOf(subject, new Date('2024-08-31T00:00:00Z'), calendar, settings)).toBe(Light.GREEN);
  });

  it('judges progress as of the start of the day (Beijing), so the light moves only at midnight or a deadline', () => {
    // Started 07-01 00:00, due at the end of 10-10 (102 days); 30 % reported: lagging by more than 20 points once
    // over half the time has passed, 51 days in, which is 08-21 00:00 (Beijing). Not a moment before.
    const lagging = { ...subject, progressPercent: 30 };
    const at = (iso: string) => lightOf(lagging, new Date(iso), calendar, settings);
    expect(at('2024-08-20T15:59:59Z')).toBe(Light.GREEN); // 23:59:59 on 08-20 in Beijing
    expect(at('2024-08-20T16:00:00Z')).toBe(Light.YELLOW); // midnight
    expect(at('2024-08-21T15:59:59Z')).toBe(Light.YELLOW);
  });
});

describe('cycleStartRanges', () => {
  const ranges = ladder.cycleStartRanges(LEVELS, DUE);
  const within = (start: Date) =>
    ranges.filter((r) => (r.after === null || start > r.after) && (r.upTo === null || start <= r.upTo));

  it('cuts the timeline at the level times into ranges that do not overlap', () => {
    expect(ranges.map((r) => [r.after?.toISOString() ?? null, r.upTo?.toISOString() ?? null])).toEqual([
      [null, '2024-09-27T01:00:00.000Z'],
      ['2024-09-27T01:00:00.000Z', '2024-10-10T01:00:00.000Z'],
      ['2024-10-10T01:00:00.000Z', '2024-10-11T01:00:00.000Z'],
      ['2024-10-11T01:00:00.000Z', '2024-10-16T01:00:00.000Z'],
      ['2024-10-16T01:00:00.000Z', null],
    ]);
  });

  // A start anywhere in a range plans as the range's stand-in does: one plan serves every share in it.
  it.each([
    '2024-08-01T00:00:00.000Z',
    '2024-09-27T01:00:00.000Z',
    '2024-09-27T01:00:00.001Z',
    '2024-10-10T00:59:59.999Z',
    '2024-10-10T01:00:00.000Z',
    '2024-10-12T12:00:00.000Z',
    '2024-10-16T01:00:00.000Z',
    '2024-11-01T00:00:00.000Z',
  ])('a ladder started at %s plans as its range stand-in', (at) => {
    const start = new Date(at);
    const [range] = within(start);
    expect(within(start)).toHaveLength(1);
    for (const now of ['2024-09-02T00:00:00Z', '2024-10-10T12:00:00Z', '2024-12-01T00:00:00Z']) {
      const moment = new Date(now);
      expect(ladder.next(input({ cycleStartedAt: range.startedAt, now: moment }))).toEqual(
        ladder.next(input({ cycleStartedAt: start, now: moment })),
      );
    }
  });
});
