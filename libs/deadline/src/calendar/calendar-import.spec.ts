import { readFileSync } from 'node:fs';
import { AppError, ErrorCode } from '@zhezi/core';
import { type CalendarDay, DayKind } from './calendar-day';
import { CalendarImportFormat, parseCalendarImport } from './calendar-import';
import { packagedYear } from './packaged-calendar';

const SOURCE = '国办发明电〔2026〕7号';

const SCHEDULE_2027 = {
  holidays: [
    { from: '2027-01-01', to: '2027-01-03', name: '元旦' },
    { from: '2027-02-05', to: '2027-02-11', name: '春节' },
    { date: '2027-04-05', name: '清明节' },
    { from: '2027-10-01', to: '2027-10-07', name: '国庆节' },
  ],
  workdays: [
    { date: '2027-02-14', name: '春节' },
    { date: '2027-10-09', name: '国庆节' },
  ],
};

function importJson(content: unknown, year = 2027): CalendarDay[] {
  return parseCalendarImport(year, CalendarImportFormat.JSON, JSON.stringify(content), SOURCE);
}

function importIcs(lines: string[], year = 2027): CalendarDay[] {
  return parseCalendarImport(year, CalendarImportFormat.ICS, lines.join('\r\n'), SOURCE);
}

function icsEvent(summary: string, start: string, end?: string): string[] {
  return [
    'BEGIN:VEVENT',
    `DTSTART;VALUE=DATE:${start}`,
    ...(end ? [`DTEND;VALUE=DATE:${end}`] : []),
    `SUMMARY:${summary}`,
    'END:VEVENT',
  ];
}

function icsCalendar(...events: string[][]): string[] {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', ...events.flat(), 'END:VCALENDAR'];
}

function rejection(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the import to be rejected');
}

function expectBadInput(run: () => unknown, field: string, message: string | RegExp): void {
  const error = rejection(run);
  expect(error.extensions).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, field });
  expect(error.message).toMatch(message);
}

function special(rows: CalendarDay[]): string[] {
  return rows
    .filter((row) => row.kind === DayKind.HOLIDAY || row.kind === DayKind.MAKEUP_WORKDAY)
    .map((row) => `${row.day} ${row.kind === DayKind.HOLIDAY ? '休' : '班'} ${row.name}`);
}

describe('calendar import', () => {
  describe('JSON', () => {
    it('gives every day of the year, with single days and ranges', () => {
      const rows = importJson(SCHEDULE_2027);
      expect(rows).toHaveLength(365);
      expect(rows.every((row) => row.source === SOURCE && !row.provisional)).toBe(true);
      const byDay = new Map(rows.map((row) => [row.day, row]));
      expect(byDay.get('2027-02-11')).toMatchObject({ workday: false, kind: DayKind.HOLIDAY, name: '春节' });
      expect(byDay.get('2027-02-14')).toMatchObject({
        workday: true,
        kind: DayKind.MAKEUP_WORKDAY,
        name: '春节',
      });
      expect(byDay.get('2027-02-13')).toMatchObject({ workday: false, kind: DayKind.WEEKEND, name: null });
      expect(byDay.get('2027-02-12')).toMatchObject({ workday: true, kind: DayKind.WORKDAY, name: null });
      expect(special(rows)).toHaveLength(3 + 7 + 1 + 7 + 2);
    });

    it('takes a missing workdays list as none', () => {
      const rows = importJson({ holidays: [{ date: '2027-01-01', name: '元旦' }] });
      expect(special(rows)).toEqual(['2027-01-01 休 元旦']);
    });

    it.each([
      ['not JSON', '{"holidays": [', 'content', '不是有效的 JSON'],
      ['not an object', '[]', 'content', 'JSON 顶层应为对象'],
      ['holidays not a list', '{"holidays": {}}', 'holidays', 'holidays 应为列表'],
      ['no holidays', '{"workdays": []}', 'holidays', '放假安排为空'],
      ['empty holidays', '{"holidays": [], "workdays": []}', 'holidays', '放假安排为空'],
      ['an entry not an object', '{"holidays": ["2027-01-01"]}', 'holidays.0', '每一项应为对象'],
      ['no name', '{"holidays": [{"date": "2027-01-01"}]}', 'holidays.0.name', '缺少节日名称'],
      ['no date', '{"holidays": [{"name": "元旦"}]}', 'holidays.0.date', '缺少日期'],
      [
        'a range without its end',
        '{"holidays": [{"from": "2027-01-01", "name": "元旦"}]}',
        'holidays.0.to',
        '缺少日期',
      ],
      [
        'both a date and a range',
        '{"holidays": [{"date": "2027-01-01", "from": "2027-01-01", "to": "2027-01-03", "name": "元旦"}]}',
        'holidays.0.date',
        '只能用其中一种',
      ],
    ])('rejects %s', (_, content, field, message) => {
      expectBadInput(
        () => parseCalendarImport(2027, CalendarImportFormat.JSON, content, SOURCE),
        field,
        message,
      );
    });

    it('rejects an invalid date', () => {
      const holidays = [
        { date: '2027-01-01', name: '元旦' },
        { date: '2027-02-30', name: '春节' },
      ];
      expectBadInput(() => importJson({ holidays }), 'holidays.1.date', '日期无效："2027-02-30"');
      expectBadInput(
        () => importJson({ holidays: [{ date: 20270101, name: '元旦' }] }),
        'holidays.0.date',
        '日期无效',
      );
    });

    it('rejects a date outside the year', () => {
      const holidays = [{ from: '2026-12-31', to: '2027-01-02', name: '元旦' }];
      expectBadInput(() => importJson({ holidays }), 'holidays.0.from', '2026-12-31 不在 2027 年内');
      const workdays = [{ date: '2028-01-08', name: '元旦' }];
      expectBadInput(
        () => importJson({ holidays: SCHEDULE_2027.holidays, workdays }),
        'workdays.0.date',
        '不在 2027 年内',
      );
    });

    it('rejects a range that ends before it starts', () => {
      const holidays = [{ from: '2027-10-07', to: '2027-10-01', name: '国庆节' }];
      expectBadInput(() => importJson({ holidays }), 'holidays.0.to', '早于开始日期');
    });

    it('rejects a day listed both as a holiday and as a make-up workday', () => {
      const workdays = [{ date: '2027-02-06', name: '春节' }];
      expectBadInput(
        () => importJson({ holidays: SCHEDULE_2027.holidays, workdays }),
        'workdays.0.date',
        '2027-02-06 同时被列为放假日和调休上班日',
      );
    });

    it('rejects a make-up workday that is not a Saturday or a Sunday', () => {
      const workdays = [{ date: '2027-02-12', name: '春节' }];
      expectBadInput(
        () => importJson({ holidays: SCHEDULE_2027.holidays, workdays }),
        'workdays.0.date',
        '2027-02-12 不是周六或周日',
      );
    });

    it('rejects a day listed twice', () => {
      const holidays = [...SCHEDULE_2027.holidays, { date: '2027-10-07', name: '国庆节' }];
      expectBadInput(() => importJson({ holidays }), 'holidays.4.date', '2027-10-07 重复列为放假日');
    });

    it('rejects an invalid year', () => {
      expectBadInput(() => importJson(SCHEDULE_2027, 2027.5), 'year', '年份无效');
    });
  });

  describe('ICS', () => {
    it('reads the package’s own per-year calendars as the package’s data', () => {
      for (const year of [2024, 2025, 2026]) {
        const content = readFileSync(require.resolve(`chinese-days/dist/years/${year}.ics`), 'utf8');
        const imported = parseCalendarImport(year, CalendarImportFormat.ICS, content, SOURCE);
        const packaged = packagedYear(year).map((row) => ({ ...row, source: SOURCE }));
        expect(imported).toEqual(packaged);
      }
    });

    it('unfolds folded lines and accepts full-width marks, LF endings, nested alarms and one-day events', () => {
      const content = [
        'BEGIN:VCALENDAR',
        'BEGIN:VEVENT',
        'DTSTART;VALUE=DATE:20270205',
        'DTEND;VALUE=DATE:2027',
        ' 0212',
        'SUMMARY:春',
        '\t节（休）',
        'BEGIN:VALARM',
        'SUMMARY:提醒',
        'END:VALARM',
        'END:VEVENT',
        ...icsEvent('春节(班)', '20270214'),
        'END:VCALENDAR',
        '',
      ].join('\n');
      const rows = parseCalendarImport(2027, CalendarImportFormat.ICS, content, SOURCE);
      expect(special(rows)).toEqual([
        ...['05', '06', '07', '08', '09', '10', '11'].map((d) => `2027-02-${d} 休 春节`),
        '2027-02-14 班 春节',
      ]);
    });

    it('rejects the package’s multi-year calendar for one year', () => {
      const content = readFileSync(require.resolve('chinese-days/dist/holidays.ics'), 'utf8');
      expectBadInput(
        () => parseCalendarImport(2025, CalendarImportFormat.ICS, content, SOURCE),
        'content',
        /^第 \d+ 行：2024-01-01 不在 2025 年内$/,
      );
    });

    it.each([
      ['not a calendar', ['{"holidays": []}'], '应以 BEGIN:VCALENDAR 开头'],
      [
        'a truncated calendar',
        ['BEGIN:VCALENDAR', ...icsEvent('元旦(休)', '20270101')],
        '缺少 END:VCALENDAR',
      ],
      [
        'an unopened event',
        ['BEGIN:VCALENDAR', 'END:VEVENT', 'END:VCALENDAR'],
        '第 2 行：END:VEVENT 没有对应的 BEGIN',
      ],
      [
        'an event inside an event',
        ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', ...icsEvent('元旦(休)', '20270101'), 'END:VCALENDAR'],
        '第 3 行：上一个 VEVENT 尚未结束',
      ],
      [
        'a line that is no property',
        icsCalendar(['BEGIN:VEVENT', 'garbage', 'END:VEVENT']),
        '第 4 行：不是有效的',
      ],
      [
        'an event without a date',
        icsCalendar(['BEGIN:VEVENT', 'SUMMARY:元旦(休)', 'END:VEVENT']),
        '缺少 SUMMARY 或 DTSTART',
      ],
      ['a summary without 休 or 班', icsCalendar(icsEvent('元旦', '20270101')), '第 5 行：SUMMARY 应为'],
      ['a summary without a name', icsCalendar(icsEvent('(休)', '20270101')), 'SUMMARY 应为'],
      ['a date-time', icsCalendar(icsEvent('元旦(休)', '20270101T000000')), '第 4 行：应为全天日期'],
      ['an invalid date', icsCalendar(icsEvent('春节(休)', '20270230')), '第 4 行：日期无效："2027-02-30"'],
      ['a date outside the year', icsCalendar(icsEvent('元旦(休)', '20260101')), '2026-01-01 不在 2027 年内'],
      [
        'an event running into the next year',
        icsCalendar(icsEvent('元旦(休)', '20271231', '20280102')),
        '第 5 行：事件的最后一天 2028-01-01 不在 2027 年内',
      ],
      [
        'an end before the start',
        icsCalendar(icsEvent('元旦(休)', '20270102', '20270102')),
        'DTEND 应晚于 DTSTART',
      ],
      [
        'a day both off and worked',
        icsCalendar(icsEvent('春节(休)', '20270206', '20270208'), icsEvent('春节(班)', '20270207')),
        '第 9 行：2027-02-07 同时被列为放假日和调休上班日',
      ],
      [
        'a make-up workday on a weekday',
        icsCalendar(icsEvent('春节(休)', '20270206'), icsEvent('春节(班)', '20270212')),
        '2027-02-12 不是周六或周日',
      ],
      ['no day off', icsCalendar(icsEvent('春节(班)', '20270214')), '放假安排为空'],
    ])('rejects %s', (_, lines, message) => {
      expectBadInput(() => importIcs(lines), 'content', message);
    });
  });
});
