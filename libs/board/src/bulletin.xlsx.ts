import ExcelJS from 'exceljs';
import { OrgUnitKind } from '@zhezi/org';
import type { Bulletin } from './bulletin.types';

const COLUMNS: {
  header: string;
  width: number;
  value: (r: Bulletin['rows'][number], name: string) => string | number;
}[] = [
  { header: '排名', width: 6, value: (r) => r.rank },
  { header: '单位', width: 22, value: (_, name) => name },
  { header: '交办数', width: 8, value: (r) => r.assigned },
  { header: '本月按期销号', width: 10, value: (r) => r.closedOnTime },
  { header: '本月逾期销号', width: 10, value: (r) => r.closedLate },
  { header: '逾期未办结', width: 10, value: (r) => r.overdue },
  { header: '逾期天数合计', width: 10, value: (r) => r.overdueDaysSum },
  { header: '最长逾期（天）', width: 10, value: (r) => r.overdueDaysMax },
  { header: '批准延期', width: 8, value: (r) => r.extensions },
  { header: '漏报', width: 6, value: (r) => r.missedReports },
  { header: '未办结督办单', width: 10, value: (r) => r.openNotices },
  { header: '得分', width: 8, value: (r) => r.score },
];

const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** The bulletin as an A4-landscape sheet: title, as-of line, then departments and subdistricts/towns. */
export async function bulletinWorkbook(
  bulletin: Bulletin,
  unitNames: ReadonlyMap<string, string>,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const [year, month] = bulletin.month.split('-').map(Number);
  const sheet = workbook.addWorksheet(`${year}年${month}月通报`, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = COLUMNS.map((c) => ({ width: c.width }));
  const title = sheet.addRow([`${bulletin.planTitle} ${year}年${month}月督查通报`]);
  sheet.mergeCells(title.number, 1, title.number, COLUMNS.length);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center' };
  title.height = 28;
  const asOf = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long' }).format(
    bulletin.asOf,
  );
  const note = sheet.addRow([`数据截至${asOf}`]);
  sheet.mergeCells(note.number, 1, note.number, COLUMNS.length);
  note.alignment = { horizontal: 'right' };
  for (const [label, local] of [
    ['一、区政府各部门', false],
    ['二、各街道、镇（地区）', true],
  ] as const) {
    const rows = bulletin.rows.filter((r) => (r.kind !== OrgUnitKind.DEPARTMENT) === local);
    if (!rows.length) continue;
    const section = sheet.addRow([label]);
    sheet.mergeCells(section.number, 1, section.number, COLUMNS.length);
    section.font = { bold: true };
    const header = sheet.addRow(COLUMNS.map((c) => c.header));
    header.font = { bold: true };
    header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    header.eachCell((cell) => {
      cell.border = BORDER;
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7EEF7' } };
    });
    for (const r of rows) {
      const row = sheet.addRow(COLUMNS.map((c) => c.value(r, unitNames.get(r.orgUnitId) ?? r.orgUnitId)));
      row.alignment = { vertical: 'middle', wrapText: true };
      row.eachCell((cell) => (cell.border = BORDER));
    }
  }
  // Headers repeat on every printed page.
  sheet.pageSetup.printTitlesRow = '1:2';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
