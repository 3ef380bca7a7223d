import ExcelJS from 'exceljs';
import { TASK_LIST_HEADERS, type TaskListColumn } from './task-list.xlsx';

/** The template's columns, as `importTaskList` reads them, with widths for printing. */
const TEMPLATE_COLUMNS: readonly { column: TaskListColumn; width: number }[] = [
  { column: 'code', width: 6 },
  { column: 'title', width: 22 },
  { column: 'content', width: 44 },
  { column: 'leadUnits', width: 18 },
  { column: 'supportUnits', width: 22 },
  { column: 'responsibleLeader', width: 10 },
  { column: 'deadline', width: 14 },
];

const NOTE =
  '填写说明：每行一项任务；单位写全称或简称（如 区发展改革委、区发改委），多个单位用“、”分隔，可写“各街道、镇”；' +
  '责任领导写姓名或职务（如 区长）；完成时限如 2026年6月底前、2026-06-30。分类行（如“一、科技创新”）可合并单元格。';

/**
 * An empty 折子工程 sheet to fill in: a title row, a row of instructions, and the header row `importTaskList`
 * reads (the same headers the export writes), frozen and bordered.
 */
export async function writeTaskListTemplate(year: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('折子工程', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: 'frozen', ySplit: 3 }],
  });
  sheet.columns = TEMPLATE_COLUMNS.map((c) => ({ width: c.width }));
  const width = TEMPLATE_COLUMNS.length;
  const title = sheet.addRow([`${year}年重点工作任务（折子工程）`]);
  sheet.mergeCells(title.number, 1, title.number, width);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  title.height = 32;
  const note = sheet.addRow([NOTE]);
  sheet.mergeCells(note.number, 1, note.number, width);
  note.alignment = { wrapText: true, vertical: 'middle' };
  note.height = 36;
  const header = sheet.addRow(TEMPLATE_COLUMNS.map((c) => TASK_LIST_HEADERS[c.column][0]));
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle' };
  header.eachCell((cell) => {
    cell.border = {
      top: { style: 'thin' },
      left: { style: 'thin' },
      bottom: { style: 'thin' },
      right: { style: 'thin' },
    };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7EEF7' } };
  });
  sheet.pageSetup.printTitlesRow = `${header.number}:${header.number}`;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
