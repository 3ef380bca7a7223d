import { describe, expect, it } from 'vitest';
import { cellLabel, sheetProblems } from './cells';

describe("where a refused sheet's problem is", () => {
  it('names the row, the column letter and the header', () => {
    expect(cellLabel({ row: 5, column: 'leadUnits', header: '牵头单位', cell: 'C5', message: '' })).toBe(
      '第 5 行 C 列 牵头单位',
    );
    expect(cellLabel({ row: 12, column: 'deadline', header: '完成时限', cell: 'AB12', message: '' })).toBe(
      '第 12 行 AB 列 完成时限',
    );
  });

  it('says what it knows without a cell, and the whole file without a row', () => {
    expect(cellLabel({ row: 3, column: 'title', header: '任务名称', message: '' })).toBe('第 3 行 任务名称');
    expect(cellLabel({ row: null, column: null, header: null, message: '表格中没有任务行' })).toBe(
      '整个文件',
    );
  });

  it('reads the problems of a refusal in sheet order and nothing from any other error', () => {
    const issues = [
      { row: 7, column: 'code', header: '序号', cell: 'A7', message: '序号重复' },
      { row: 4, column: 'supportUnits', header: '配合单位', cell: 'E4', message: '未找到单位' },
      { row: 4, column: 'leadUnits', header: '牵头单位', cell: 'D4', message: '未找到单位' },
      'not a problem',
    ];
    expect(sheetProblems({ code: 'BAD_USER_INPUT', issues }).map((p) => p.cell)).toEqual(['D4', 'E4', 'A7']);
    expect(sheetProblems({ code: 'FORBIDDEN' })).toEqual([]);
    expect(sheetProblems(undefined)).toEqual([]);
  });
});
