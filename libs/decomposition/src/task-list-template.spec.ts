import ExcelJS from 'exceljs';
import { writeTaskListTemplate } from './task-list-template';
import { columnLetters, readTaskList } from './task-list.xlsx';

describe('the 折子工程 template', () => {
  it('reads back as an empty list with its title and every column where the import looks for it', async () => {
    const read = await readTaskList(await writeTaskListTemplate(2027));
    expect(read.title).toBe('2027年重点工作任务（折子工程）');
    expect(read.rows).toEqual([]);
    expect(read.letters).toEqual({
      code: 'A',
      title: 'B',
      content: 'C',
      leadUnits: 'D',
      supportUnits: 'E',
      responsibleLeader: 'F',
      deadline: 'G',
    });
  });

  it('once filled in, names each row with its sheet row', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Uint8Array.from(await writeTaskListTemplate(2027)).buffer);
    workbook.worksheets[0].addRow(['1', '推进污水管网建设', '', '区水务局', '', '', '2027年底前']);
    const read = await readTaskList(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(read.rows.map((r) => [r.row, r.cells.title, r.cells.leadUnits])).toEqual([
      [4, '推进污水管网建设', '区水务局'],
    ]);
  });
});

describe('column letters', () => {
  it('count as Excel does', () => {
    expect([1, 3, 26, 27, 52, 53, 702, 703].map(columnLetters)).toEqual([
      'A',
      'C',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});
