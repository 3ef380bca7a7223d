import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FILE_LIMITS } from '@zhezi/core/files';
import { readDocxTaskList } from './task-list.docx';
import { readTaskList } from './task-list.xlsx';

const FIXTURES = join(__dirname, '../../../test/fixtures');
const limits = {
  maxUncompressedBytes: DEFAULT_FILE_LIMITS.maxUncompressedBytes,
  maxEntries: DEFAULT_FILE_LIMITS.maxArchiveEntries,
};

describe('readDocxTaskList', () => {
  it('reads a Word table like the same list in Excel: rows by headers, category rows, no paragraphs', async () => {
    const docx = readDocxTaskList(
      readFileSync(join(FIXTURES, 'task-table-2026.docx')),
      limits,
      'list.docx',
      100,
    );
    const xlsx = await readTaskList(readFileSync(join(FIXTURES, 'task-list-2026.xlsx')));
    expect(docx.title).toBe('海淀区2026年重点工作任务分工表');
    // 15 rows: 3 category rows and 12 tasks; the introduction and the signature are not rows.
    expect(docx.rows).toHaveLength(15);
    expect(docx.rows[0].cells.code).toBe('一、科技创新');
    // The Word table has no 责任领导 column; every other cell reads as the sheet's.
    const withoutLeader = (rows: typeof docx.rows) =>
      rows.map((r) => ({ ...r.cells, responsibleLeader: '' }));
    expect(withoutLeader(docx.rows)).toEqual(withoutLeader(xlsx.rows));
  });

  it('refuses more rows than an import allows, as the sheet reader does', () => {
    const file = readFileSync(join(FIXTURES, 'task-table-2026.docx'));
    expect(() => readDocxTaskList(file, limits, 'list.docx', 5)).toThrow(/数据行超过上限/);
  });
});
