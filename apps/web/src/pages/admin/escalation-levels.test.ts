import { describe, expect, it } from 'vitest';
import { durationWords, levelsChanged, offsetWords, repeatWords, type Level } from './escalation-levels';

const DEFAULT: Level[] = [
  { offsetWorkdays: -5, action: 'REMIND', recipients: ['UNIT_OFFICERS'] },
  { offsetWorkdays: 0, action: 'URGE', recipients: ['UNIT_OFFICERS', 'UNIT_HEAD'] },
  { offsetWorkdays: 1, action: 'SUPERVISE', recipients: ['UNIT_HEAD'], repeatWorkdays: 1 },
];

describe('escalation level words', () => {
  it('says when a level fires, in workdays or in time', () => {
    expect(DEFAULT.map(offsetWords)).toEqual(['到期前 5 个工作日', '到期当天', '逾期 1 个工作日']);
    expect(offsetWords({ offsetDuration: '-PT2H', action: 'REMIND', recipients: [] })).toBe('到期前 2 小时');
    expect(offsetWords({ offsetDuration: 'PT1H30M', action: 'URGE', recipients: [] })).toBe(
      '到期后 1 小时 30 分钟',
    );
    expect(offsetWords({ offsetDuration: 'PT0S', action: 'URGE', recipients: [] })).toBe('到期时');
  });

  it('says how a level repeats', () => {
    expect(repeatWords(DEFAULT[2])).toBe('每 1 个工作日重复，直到签收或答复');
    expect(repeatWords({ ...DEFAULT[0], repeatDuration: 'PT30M' })).toBe('每 30 分钟重复，直到签收或答复');
    expect(repeatWords(DEFAULT[0])).toBe('不重复');
  });

  it('reads only ISO 8601 durations', () => {
    expect(durationWords('P1DT2H')).toEqual({ negative: false, words: '1 天 2 小时' });
    expect(durationWords('2h')).toBeNull();
    expect(durationWords('PT')).toBeNull();
    expect(durationWords('P')).toBeNull();
  });
});

describe('levelsChanged', () => {
  it('sees no change in what the form sends back unchanged (nulls, empties, recipient order)', () => {
    const edited: Level[] = DEFAULT.map((l) => ({
      ...l,
      offsetDuration: '',
      recipients: [...l.recipients].reverse(),
      repeatWorkdays: l.repeatWorkdays ?? null,
      repeatDuration: null,
    }));
    expect(levelsChanged(DEFAULT, edited)).toBe(false);
  });

  it('sees a changed offset, action, recipient, repeat, or an added level', () => {
    expect(levelsChanged(DEFAULT, [{ ...DEFAULT[0], offsetWorkdays: -3 }, ...DEFAULT.slice(1)])).toBe(true);
    expect(levelsChanged(DEFAULT, [{ ...DEFAULT[0], action: 'URGE' }, ...DEFAULT.slice(1)])).toBe(true);
    expect(levelsChanged(DEFAULT, [...DEFAULT.slice(0, 2), { ...DEFAULT[2], repeatWorkdays: 2 }])).toBe(true);
    expect(
      levelsChanged(DEFAULT, [
        ...DEFAULT,
        { offsetWorkdays: 5, action: 'REPORT', recipients: ['INSPECTORATE'] },
      ]),
    ).toBe(true);
  });
});
