import ExcelJS from 'exceljs';
import { categoriesOf, readCategory } from './task-list-categories';
import { readTaskList, writeTaskList, type TaskListExportRow } from './task-list.xlsx';

const row = (code: string, title: string, category: string): TaskListExportRow => ({
  code,
  title,
  content: '',
  leadUnits: ['区科信局'],
  supportUnits: [],
  responsibleLeader: '',
  deadline: '2026-12-31',
  status: '',
  light: '',
  progress: '',
  latestReport: '',
  escalation: '',
  category,
});

describe('category rows of a 折子 sheet', () => {
  it('reads the number and title of a category', () => {
    expect(readCategory('一、科技创新')).toEqual({ number: '一、', levelName: '一、', title: '科技创新' });
    expect(readCategory('（二） 城市治理')).toEqual({
      number: '（二）',
      levelName: '（一）',
      title: '城市治理',
    });
  });

  it('groups the task rows under the category rows merged across the table', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('折子工程');
    sheet.addRow(['序号', '任务名称', '任务内容', '牵头单位', '配合单位', '责任领导', '完成时限']);
    sheet.addRow(['一、科技创新']);
    sheet.mergeCells(2, 1, 2, 7);
    sheet.addRow(['1', '建设概念验证中心', '', '区科信局', '', '', '2026年6月底']);
    sheet.addRow(['2', '做强人工智能产业', '', '区科信局', '', '', '年底前']);
    sheet.addRow(['二、城市治理']);
    sheet.mergeCells(5, 1, 5, 7);
    sheet.addRow(['3', '深化垃圾分类', '', '区城管委', '', '', '长期坚持']);
    const read = await readTaskList(Buffer.from(await wb.xlsx.writeBuffer()));
    const groups = categoriesOf(read.rows);
    expect(groups.categories.map((c) => `${c.number}${c.title}`)).toEqual(['一、科技创新', '二、城市治理']);
    expect(groups.of).toEqual([0, 0, 1]);
  });

  it('writes each category once above its tasks, and reads them back as the same groups', async () => {
    const file = await writeTaskList('2026年折子工程', [
      row('1', '甲', '一、科技创新'),
      row('2', '乙', '一、科技创新'),
      row('3', '丙', '二、城市治理'),
      row('4', '丁', ''),
    ]);
    const read = await readTaskList(file);
    const groups = categoriesOf(read.rows);
    expect(groups.categories.map((c) => c.title)).toEqual(['科技创新', '城市治理']);
    // A task after the categories without one of its own stays under the last, as a printed list reads.
    expect(groups.of).toEqual([0, 0, 1, 1]);
  });
});
