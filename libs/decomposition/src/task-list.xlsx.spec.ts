import ExcelJS from 'exceljs';
import {
  readTaskList,
  TASK_LIST_EXPORT_EXTRA_HEADERS,
  TaskListFileError,
  writeTaskList,
  type TaskListExportRow,
} from './task-list.xlsx';

const HEADER = ['序号', '任务名称', '任务内容', '牵头单位', '配合单位', '责任领导', '完成时限'];

/** A workbook with one sheet holding `rows` from A1, tweaked by `setup`. */
async function workbook(
  rows: ExcelJS.CellValue[][],
  setup?: (sheet: ExcelJS.Worksheet) => void,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('折子工程');
  for (const row of rows) sheet.addRow(row);
  setup?.(sheet);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function fileError(promise: Promise<unknown>): Promise<TaskListFileError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TaskListFileError);
  return error as TaskListFileError;
}

function exportRow(overrides: Partial<TaskListExportRow>): TaskListExportRow {
  return {
    code: '',
    title: '',
    content: '',
    leadUnits: [],
    supportUnits: [],
    responsibleLeader: '',
    deadline: '',
    status: '',
    light: '',
    progress: '',
    latestReport: '',
    escalation: '',
    ...overrides,
  };
}

describe('writeTaskList → readTaskList', () => {
  const rows: TaskListExportRow[] = [
    exportRow({
      code: '1',
      title: '推进老旧小区综合整治',
      content: '1.完成30个小区改造；\n2.加装电梯50部。',
      leadUnits: ['区住房城乡建设委', '区城市管理委'],
      supportUnits: ['各街道办事处'],
      responsibleLeader: '张三',
      deadline: '2024-12-31',
      status: '推进中',
      light: 'RED',
      progress: '60%',
      latestReport: '已完成18个小区。',
      escalation: '区政府督办',
    }),
    exportRow({
      code: '2',
      title: '优化营商环境',
      leadUnits: ['区发展改革委'],
      deadline: '2024年底前',
      light: '绿',
    }),
  ];

  it('reads back the seven standard columns and the title', async () => {
    const file = await writeTaskList('2024年区政府折子工程', rows, {
      subtitle: '导出时间：2024-07-01 09:00',
    });
    const read = await readTaskList(file);
    expect(read.title).toBe('2024年区政府折子工程');
    expect(read.sheetName).toBe('2024年区政府折子工程');
    expect(read.rows).toEqual([
      {
        row: 4,
        cells: {
          code: '1',
          title: '推进老旧小区综合整治',
          content: '1.完成30个小区改造；\n2.加装电梯50部。',
          leadUnits: '区住房城乡建设委、区城市管理委',
          supportUnits: '各街道办事处',
          responsibleLeader: '张三',
          deadline: '2024-12-31',
        },
      },
      {
        row: 5,
        cells: {
          code: '2',
          title: '优化营商环境',
          content: '',
          leadUnits: '区发展改革委',
          supportUnits: '',
          responsibleLeader: '',
          deadline: '2024年底前',
        },
      },
    ]);
  });

  it('lays the sheet out for printing', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeTaskList('折子工程', rows)) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet.getCell('L1').isMerged).toBe(true);
    expect(sheet.getCell('A2').text).toMatch(/^导出时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(sheet.getRow(3).values).toEqual([undefined, ...HEADER, ...TASK_LIST_EXPORT_EXTRA_HEADERS]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, printTitlesRow: '3:3' });
    expect(sheet.getCell('G4').value).toEqual(new Date(Date.UTC(2024, 11, 31)));
    expect(sheet.getCell('I4').value).toBe('红');
    expect(sheet.getCell('I4').font.color?.argb).toBe('FFC00000');
    expect(sheet.getCell('I5').font.color?.argb).toBe('FF00843D');
    expect(sheet.getCell('C4').alignment.wrapText).toBe(true);
    expect(sheet.getCell('C4').border.top?.style).toBe('thin');
  });
});

describe('readTaskList', () => {
  it('accepts header aliases below a title, skipping the 附件 label and an instructions sheet', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('填表说明').addRow(['请按模板填写，牵头单位只填一个']);
    const sheet = wb.addWorksheet('清单');
    sheet.addRow(['附件1']);
    sheet.addRow(['  2024年区政府重点工作任务分解表  ']);
    sheet.addRow([]);
    sheet.addRow([
      '编 号',
      '重点任务',
      '具体措施',
      '责任单位（部门）',
      '协办单位',
      '分管\n领导',
      '*完成时间',
      '备注',
    ]);
    sheet.addRow([1, '建设口袋公园', '新建口袋公园10处', '区园林绿化局', '', '李四', '2024年10月', '无']);
    const read = await readTaskList(new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(read.sheetName).toBe('清单');
    expect(read.title).toBe('2024年区政府重点工作任务分解表');
    expect(read.rows).toEqual([
      {
        row: 5,
        cells: {
          code: '1',
          title: '建设口袋公园',
          content: '新建口袋公园10处',
          leadUnits: '区园林绿化局',
          supportUnits: '',
          responsibleLeader: '李四',
          deadline: '2024年10月',
        },
      },
    ]);
  });

  it('reads a two-row header (责任单位 split into 牵头单位 and 配合单位)', async () => {
    const file = await workbook(
      [
        ['序号', '任务名称', '责任单位', null, '完成时限'],
        [null, null, '牵头单位', '配合单位', null],
        [1, '河道治理', '区水务局', '区生态环境局', '2024年6月'],
      ],
      (sheet) => {
        sheet.mergeCells('A1:A2');
        sheet.mergeCells('B1:B2');
        sheet.mergeCells('C1:D1');
        sheet.mergeCells('E1:E2');
      },
    );
    const read = await readTaskList(file);
    expect(read.title).toBeNull();
    expect(read.rows).toEqual([
      {
        row: 3,
        cells: {
          code: '1',
          title: '河道治理',
          content: '',
          leadUnits: '区水务局',
          supportUnits: '区生态环境局',
          responsibleLeader: '',
          deadline: '2024年6月',
        },
      },
    ]);
  });

  it('applies a vertically merged lead unit or leader to every row it spans, not a horizontal merge', async () => {
    const file = await workbook(
      [
        ['折子工程'],
        HEADER,
        ['一、推动高质量发展'],
        [1, '任务甲', '措施甲', '区发展改革委', '', '王五', '2024-06-30'],
        [2, '任务乙', '措施乙', null, '', null, '2024-09-30'],
        [3, '任务丙', '措施丙', null, '', null, '2024-12-31'],
        [4, '任务丁', '措施丁', '区商务局', '', '赵六', '2024-12-31'],
      ],
      (sheet) => {
        sheet.mergeCells('A1:G1');
        sheet.mergeCells('A3:G3');
        sheet.mergeCells('D4:D6');
        sheet.mergeCells('F4:F6');
      },
    );
    const { title, rows } = await readTaskList(file);
    expect(title).toBe('折子工程');
    expect(
      rows.map((r) => [r.row, r.cells.code, r.cells.title, r.cells.leadUnits, r.cells.responsibleLeader]),
    ).toEqual([
      [3, '一、推动高质量发展', '', '', ''],
      [4, '1', '任务甲', '区发展改革委', '王五'],
      [5, '2', '任务乙', '区发展改革委', '王五'],
      [6, '3', '任务丙', '区发展改革委', '王五'],
      [7, '4', '任务丁', '区商务局', '赵六'],
    ]);
  });

  it('reads rich text, formula results, percentages and line breaks', async () => {
    const file = await workbook(
      [
        HEADER,
        [
          { formula: 'ROW()-1', result: 1 },
          { richText: [{ text: '推进', font: { bold: true } }, { text: '垃圾分类' }] },
          '  第一步；\r\n第二步。  ',
          { formula: '"区城市"&"管理委"', result: '区城市管理委' },
          { richText: [{ text: '各街道' }] },
          { text: '钱七', hyperlink: 'mailto:qian@example.gov.cn' },
          { formula: 'DATE(2024,12,31)', result: new Date(Date.UTC(2024, 11, 31)) },
        ],
        [2, '任务', 0.6, '区统计局', '', '', '长期坚持'],
      ],
      (sheet) => {
        sheet.getCell('G2').numFmt = 'yyyy-mm-dd';
        sheet.getCell('C3').numFmt = '0%';
      },
    );
    const { rows } = await readTaskList(file);
    expect(rows[0].cells).toEqual({
      code: '1',
      title: '推进垃圾分类',
      content: '第一步；\n第二步。',
      leadUnits: '区城市管理委',
      supportUnits: '各街道',
      responsibleLeader: '钱七',
      deadline: '2024-12-31',
    });
    expect(rows[1].cells.content).toBe('60%');
  });

  it('reads date cells in the deadline column as YYYY-MM-DD', async () => {
    const file = await workbook(
      [
        HEADER,
        [1, '甲', '', '区财政局', '', '', new Date(Date.UTC(2024, 5, 30))],
        [2, '乙', '', '区财政局', '', '', new Date(Date.UTC(2024, 11, 31))],
        // A date-time written as the evening of 31 December stays on that day.
        [3, '丙', '', '区财政局', '', '', new Date(Date.UTC(2024, 11, 31, 20, 30))],
      ],
      (sheet) => {
        sheet.getCell('G2').numFmt = 'yyyy-mm-dd';
        sheet.getCell('G3').numFmt = 'yyyy"年"m"月"d"日"';
        sheet.getCell('G4').numFmt = 'yyyy/m/d h:mm';
      },
    );
    const { rows } = await readTaskList(file);
    expect(rows.map((r) => r.cells.deadline)).toEqual(['2024-06-30', '2024-12-31', '2024-12-31']);
  });

  it('reports each missing required column', async () => {
    const file = await workbook([
      ['序号', '任务内容', '配合单位'],
      [1, '内容', '区委办'],
    ]);
    const error = await fileError(readTaskList(file));
    expect(error.issues.map((i) => [i.row, i.column, i.header])).toEqual([
      [1, 'title', '任务名称'],
      [1, 'leadUnits', '牵头单位'],
      [1, 'deadline', '完成时限'],
    ]);
    expect(error.issues[1].message).toContain('牵头单位');
    expect(error.issues[1].message).toContain('责任单位');
  });

  it('reports a sheet without any known header', async () => {
    const error = await fileError(readTaskList(await workbook([['姓名', '电话']])));
    expect(error.issues.map((i) => [i.row, i.column])).toEqual([
      [null, 'title'],
      [null, 'leadUnits'],
      [null, 'deadline'],
    ]);
  });

  it('rejects a file that is not an xlsx', async () => {
    const text = await fileError(readTaskList(Buffer.from('序号,任务名称\n1,任务\n')));
    expect(text.issues).toEqual([
      { row: null, column: null, header: null, message: expect.stringContaining('xlsx') as string },
    ]);
    const xls = await fileError(
      readTaskList(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])),
    );
    expect(xls.issues[0].message).toContain('另存为 .xlsx');
  });

  it('rejects a workbook without sheets', async () => {
    const error = await fileError(readTaskList(Buffer.from(await new ExcelJS.Workbook().xlsx.writeBuffer())));
    expect(error.issues[0].message).toBe('文件中没有工作表');
  });

  it('skips empty rows, including rows of blanks and merge continuations', async () => {
    const file = await workbook(
      [
        HEADER,
        [],
        [1, '甲', '', '区民政局', '', '', '2024-06-30'],
        ['', '  ', null, '\n', '', '', ''],
        [null, null, null, null, null, null, null, '备注在表外'],
        [2, '乙', '', '区民政局', '', '', '2024-06-30'],
        [],
      ],
      (sheet) => sheet.mergeCells('D6:D8'),
    );
    const { rows } = await readTaskList(file);
    expect(rows.map((r) => [r.row, r.cells.title, r.cells.leadUnits])).toEqual([
      [3, '甲', '区民政局'],
      [6, '乙', '区民政局'],
    ]);
  });

  it('rejects more than maxRows data rows', async () => {
    const data = Array.from({ length: 5 }, (_, i) => [
      i + 1,
      `任务${i + 1}`,
      '',
      '区教委',
      '',
      '',
      '2024-12-31',
    ]);
    const file = await workbook([HEADER, ...data]);
    await expect(readTaskList(file, { maxRows: 5 })).resolves.toMatchObject({ rows: { length: 5 } });
    const error = await fileError(readTaskList(file, { maxRows: 4 }));
    expect(error.issues).toEqual([
      { row: 6, column: null, header: null, message: expect.stringContaining('4') as string },
    ]);
  });
});
