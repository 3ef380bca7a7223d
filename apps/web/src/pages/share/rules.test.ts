import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import {
  acceptAttribute,
  endOfBeijingDay,
  evidenceFileProblem,
  extensionDateProblem,
  fieldPath,
  laterThanProblem,
  needsReason,
  periodKey,
} from './rules';

const RULES = { maxBytes: 20 * 1024 * 1024, extensions: ['pdf', 'png', 'jpg', 'docx'] };

describe('the check before an upload', () => {
  it('refuses an extension the API does not take, naming the ones it does', () => {
    expect(evidenceFileProblem({ name: 'setup.EXE', size: 10 }, RULES)).toBe(
      '不支持上传 .exe 文件，佐证材料须为以下格式之一：pdf、png、jpg、docx',
    );
    expect(evidenceFileProblem({ name: 'README', size: 10 }, RULES)).toMatch(/^无法识别文件类型/);
    expect(evidenceFileProblem({ name: '.pdf', size: 10 }, RULES)).toMatch(/^无法识别文件类型/);
  });

  it('takes the accepted extensions in any case, and refuses empty and oversized files', () => {
    expect(evidenceFileProblem({ name: '验收报告.PDF', size: 1 }, RULES)).toBeNull();
    expect(evidenceFileProblem({ name: '现场.jpg', size: RULES.maxBytes }, RULES)).toBeNull();
    expect(evidenceFileProblem({ name: '现场.jpg', size: RULES.maxBytes + 1 }, RULES)).toBe(
      '文件超过大小上限 20 MB，请压缩或拆分后再上传',
    );
    expect(evidenceFileProblem({ name: '空.pdf', size: 0 }, RULES)).toBe('文件为空，请重新选择');
    expect(evidenceFileProblem({ name: 'a.pdf', size: 600 * 1024 }, { ...RULES, maxBytes: 512 * 1024 })).toBe(
      '文件超过大小上限 512 KB，请压缩或拆分后再上传',
    );
  });

  it('tells the file chooser the same extensions', () => {
    expect(acceptAttribute(RULES)).toBe('.pdf,.png,.jpg,.docx');
  });
});

describe('the percent-drop reason', () => {
  it('is needed only below the last figure', () => {
    expect(needsReason(29, 30)).toBe(true);
    expect(needsReason(30, 30)).toBe(false);
    expect(needsReason(80, 30)).toBe(false);
    expect(needsReason(undefined, 30)).toBe(false);
    expect(needsReason(null, 0)).toBe(false);
  });
});

describe('report periods', () => {
  it('are months, or ISO weeks for urgent tasks (the week of 1 January may belong to the year before)', () => {
    expect(periodKey(dayjs('2026-11-25'), false)).toBe('2026-11');
    expect(periodKey(dayjs('2026-11-25'), true)).toBe('2026-W48');
    expect(periodKey(dayjs('2027-01-01'), true)).toBe('2026-W53');
    expect(periodKey(dayjs('2024-12-30'), true)).toBe('2025-W01');
  });
});

describe('due dates', () => {
  const due = '2027-08-31T15:59:59.999Z'; // the end of 31 August in Beijing

  it('sends a picked day as the end of that day in Beijing', () => {
    expect(new Date(endOfBeijingDay(dayjs('2027-08-31'))).toISOString()).toBe(due);
  });

  it('refuses a part due later than the share, allowing the same day', () => {
    expect(laterThanProblem(dayjs('2027-08-31'), due, '本部门的完成时限')).toBeNull();
    expect(laterThanProblem(dayjs('2027-06-30'), due, '本部门的完成时限')).toBeNull();
    expect(laterThanProblem(dayjs('2027-09-01'), due, '本部门的完成时限')).toBe(
      '不能晚于本部门的完成时限（2027年8月31日）',
    );
    expect(laterThanProblem(null, due, '本部门的完成时限')).toBeNull();
  });

  it('wants an extension later than the deadline and within the department’s own', () => {
    const parent = '2027-12-31T15:59:59.999Z';
    expect(extensionDateProblem(dayjs('2027-08-31'), due, parent)).toBe(
      '须晚于现有完成时限（2027年8月31日）',
    );
    expect(extensionDateProblem(dayjs('2027-09-30'), due, parent)).toBeNull();
    expect(extensionDateProblem(dayjs('2028-01-01'), due, parent)).toBe(
      '不能晚于上级部门的完成时限（2027年12月31日）',
    );
    expect(extensionDateProblem(dayjs('2028-01-01'), due, null)).toBeNull();
  });
});

describe('API fields on form fields', () => {
  it('turns a dotted path into a name path', () => {
    expect(fieldPath('parts.1.dueAt')).toEqual(['parts', 1, 'dueAt']);
    expect(fieldPath('input.reason')).toEqual(['reason']);
    expect(fieldPath('percent')).toEqual(['percent']);
  });
});
