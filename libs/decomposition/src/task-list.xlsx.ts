import ExcelJS from 'exceljs';
import {
  AppError,
  checkZipArchive,
  DEFAULT_FILE_LIMITS,
  ErrorCode,
  fileTooLarge,
  type ZipEntry,
  type ZipLimits,
} from '@zhezi/core/files';

export type TaskListColumn =
  | 'code'
  | 'title'
  | 'content'
  | 'leadUnits'
  | 'supportUnits'
  | 'responsibleLeader'
  | 'deadline';

/** Headers as offices write them; the first is what export writes. */
export const TASK_LIST_HEADERS: Record<TaskListColumn, readonly string[]> = {
  code: ['序号', '编号'],
  title: ['任务名称', '任务', '工作任务', '重点任务'],
  content: ['任务内容', '具体措施', '工作措施', '主要内容', '任务内容及措施', '具体内容', '工作内容'],
  leadUnits: ['牵头单位', '责任单位', '主责单位'],
  supportUnits: ['配合单位', '协办单位'],
  responsibleLeader: ['责任领导', '分管领导', '主管领导'],
  deadline: ['完成时限', '完成时间', '时间节点'],
};

export interface TaskListCell {
  /** 1-based sheet row. */
  row: number;
  column: TaskListColumn;
  header: string;
  text: string;
}

export interface TaskListSheetRow {
  row: number;
  /** Missing optional columns read as ''. */
  cells: Record<TaskListColumn, string>;
}

export interface TaskListIssue {
  row: number | null;
  column: TaskListColumn | null;
  header: string | null;
  message: string;
  /** The cell as Excel names it (“D5”), where the row and the sheet's column are known. */
  cell?: string | null;
}

export class TaskListFileError extends Error {
  constructor(readonly issues: TaskListIssue[]) {
    super(issues.map((i) => i.message).join('；'));
    this.name = 'TaskListFileError';
  }
}

/** Extra columns on export, after the seven standard ones. */
export interface TaskListExportRow {
  code: string;
  title: string;
  content: string;
  leadUnits: string[];
  supportUnits: string[];
  responsibleLeader: string;
  /** 'YYYY-MM-DD' or Chinese text. */
  deadline: string;
  status: string;
  light: string;
  /** E.g. '60%'. */
  progress: string;
  latestReport: string;
  escalation: string;
  /** The category row the task stands under (“一、科技创新”), written once above its tasks; '' for none. */
  category?: string;
}

export const TASK_LIST_EXPORT_EXTRA_HEADERS: readonly string[] = [
  '状态',
  '红黄绿灯',
  '进度',
  '最新进展',
  '督办级别',
];

export const COLUMNS: readonly TaskListColumn[] = [
  'code',
  'title',
  'content',
  'leadUnits',
  'supportUnits',
  'responsibleLeader',
  'deadline',
];
export const REQUIRED: readonly TaskListColumn[] = ['title', 'leadUnits', 'deadline'];
const HEADER_SCAN_ROWS = 10;
const DEFAULT_MAX_ROWS = 10_000;
/** Rows a sheet may hold beyond maxRows before it is read: a title, headers, blank or formatted-only rows. */
const SPARE_SHEET_ROWS = 1000;
/** Cells per row, on average, that a sheet may hold (the export writes 12 columns). */
const MAX_CELLS_PER_ROW = 64;
const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxUncompressedBytes: DEFAULT_FILE_LIMITS.maxUncompressedBytes,
  maxEntries: DEFAULT_FILE_LIMITS.maxArchiveEntries,
};

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/** Header text → column, by alias; headers are compared without whitespace and required-field asterisks. */
const HEADER_INDEX = new Map<string, { column: TaskListColumn; rank: number }>(
  COLUMNS.flatMap((column) => TASK_LIST_HEADERS[column].map((h, rank) => [h, { column, rank }] as const)),
);

function normalizeHeader(text: string): string {
  return text.replace(/[\s*＊]/g, '');
}

export function matchHeader(text: string): { column: TaskListColumn; rank: number } | undefined {
  const key = normalizeHeader(text);
  if (!key) return undefined;
  // Offices often annotate a header, e.g. 牵头单位（部门）or 完成时限(年底前).
  return HEADER_INDEX.get(key) ?? HEADER_INDEX.get(key.replace(/[（(][^（()）]*[)）]$/, ''));
}

type HeaderMap = Map<TaskListColumn, { col: number; header: string; rank: number }>;

interface Position {
  row: number;
  col: number;
}

interface MergeRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Excel's letters for a 1-based column number (1 → A, 27 → AA). */
export function columnLetters(col: number): string {
  let letters = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

function parseRange(ref: string): MergeRange | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$/i.exec(ref.trim());
  if (!m) return null;
  const [r1, c1] = [Number(m[2]), columnNumber(m[1])];
  const [r2, c2] = m[3] ? [Number(m[4]), columnNumber(m[3])] : [r1, c1];
  return { top: Math.min(r1, r2), left: Math.min(c1, c2), bottom: Math.max(r1, r2), right: Math.max(c1, c2) };
}

/** A sheet's merged ranges by column, for lookups in O(log n). */
class MergeIndex {
  private readonly byColumn = new Map<number, MergeRange[]>();

  constructor(refs: readonly string[]) {
    for (const range of refs.map(parseRange)) {
      if (!range) continue;
      for (let col = range.left; col <= range.right; col++) {
        const list = this.byColumn.get(col);
        if (list) list.push(range);
        else this.byColumn.set(col, [range]);
      }
    }
    for (const list of this.byColumn.values()) list.sort((a, b) => a.top - b.top);
  }

  /** The top-left cell of the merge that (row, col) continues; null for a master or an unmerged cell. */
  masterOf(row: number, col: number, cell: ExcelJS.Cell | undefined): Position | null {
    // Were exceljs to apply merges itself after all (see loadWorkbook), its continuation cells say so.
    if (cell?.type === ExcelJS.ValueType.Merge) return cell.master.fullAddress;
    const list = this.byColumn.get(col);
    if (!list) return null;
    // Merges never overlap, so within a column the last range starting at or above the row is the only candidate.
    let lo = 0;
    let hi = list.length - 1;
    let found: MergeRange | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].top <= row) {
        found = list[mid];
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (!found || found.bottom < row || (found.top === row && found.left === col)) return null;
    return { row: found.top, col: found.left };
  }
}

interface SheetModel {
  worksheets?: ({ name: string; mergeCells?: string[] } | undefined)[];
}

/**
 * Loads the workbook but keeps its merged ranges for MergeIndex instead of letting exceljs apply them: exceljs
 * checks each merge against all earlier ones, which takes ~2.5 s for the 6,700 merges of a 10,000-row list.
 */
async function loadWorkbook(
  buffer: Buffer,
): Promise<{ workbook: ExcelJS.Workbook; merges: Map<string, string[]> }> {
  const workbook = new ExcelJS.Workbook();
  const merges = new Map<string, string[]>();
  // exceljs 4.4 internals: reconcile(model) runs after parsing, just before the model becomes the workbook.
  const xlsx = workbook.xlsx as unknown as { reconcile?: (model: SheetModel, options: unknown) => void };
  const reconcile = xlsx.reconcile?.bind(xlsx);
  if (reconcile) {
    xlsx.reconcile = (model, options) => {
      reconcile(model, options);
      for (const sheet of model.worksheets ?? []) {
        if (!sheet) continue;
        merges.set(sheet.name, sheet.mergeCells ?? []);
        sheet.mergeCells = [];
      }
    };
  }
  // exceljs types its input as ArrayBuffer, but it hands it to JSZip, which takes a Node Buffer as is.
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return { workbook, merges };
}

/** Known headers of one row; a column matched twice keeps its more canonical alias, then the leftmost. */
function headersOf(row: ExcelJS.Row, merges: MergeIndex): HeaderMap {
  const found: HeaderMap = new Map();
  row.eachCell((cell, col) => {
    if (merges.masterOf(row.number, col, cell)) return; // the master already counted
    const header = cellText(cell);
    const match = matchHeader(header);
    if (!match) return;
    const prior = found.get(match.column);
    if (!prior || match.rank < prior.rank) found.set(match.column, { col, header, rank: match.rank });
  });
  return found;
}

/** A row under the header made only of known headers, e.g. 牵头单位 | 配合单位 under a merged 责任单位. */
function isSubHeader(row: ExcelJS.Row | undefined, merges: MergeIndex): row is ExcelJS.Row {
  if (!row) return false;
  let known = 0;
  let other = 0;
  row.eachCell((cell, col) => {
    if (merges.masterOf(row.number, col, cell)) return;
    const text = cellText(cell);
    if (!text) return;
    if (matchHeader(text)) known++;
    else other++;
  });
  return known > 0 && other === 0;
}

interface HeaderBlock {
  /** Last header row; data follows it. */
  row: number;
  /** First header row; the title is above it. */
  firstRow: number;
  columns: HeaderMap;
}

function findHeader(sheet: ExcelJS.Worksheet, merges: MergeIndex): HeaderBlock | null {
  let best: HeaderBlock | null = null;
  const last = Math.min(sheet.rowCount, HEADER_SCAN_ROWS);
  for (let r = 1; r <= last; r++) {
    const row = sheet.findRow(r);
    if (!row) continue;
    const columns = headersOf(row, merges);
    if (columns.size > (best?.columns.size ?? 0)) best = { row: r, firstRow: r, columns };
  }
  if (!best) return null;
  const below = sheet.findRow(best.row + 1);
  if (isSubHeader(below, merges)) {
    for (const [column, at] of headersOf(below, merges)) best.columns.set(column, at);
    best.row++;
  }
  return best;
}

/** The first non-empty row above the header, skipping the 附件1 label documents carry. */
function titleAbove(sheet: ExcelJS.Worksheet, headerRow: number): string | null {
  for (let r = 1; r < headerRow; r++) {
    const row = sheet.findRow(r);
    if (!row) continue;
    let text = '';
    row.eachCell((cell) => {
      text ||= cellText(cell);
    });
    if (text && !/^附件[\d一二三四五六七八九十]*[:：]?$/.test(text.replace(/\s/g, ''))) return text;
  }
  return null;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** exceljs hands date cells back as the wall-clock time written in the cell, encoded as UTC. */
function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

function numberText(n: number, numFmt: string | undefined): string {
  // Binary floating point: 0.1 + 0.2 is written to the file as 0.30000000000000004.
  const plain = (x: number) => String(Number(x.toPrecision(15)));
  return numFmt?.includes('%') ? `${plain(n * 100)}%` : plain(n);
}

function valueText(value: ExcelJS.CellValue, numFmt: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value, numFmt);
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('error' in value) return value.error;
  if ('hyperlink' in value) return valueText(value.text as ExcelJS.CellValue, numFmt);
  if ('formula' in value || 'sharedFormula' in value)
    return valueText(value.result as ExcelJS.CellValue, numFmt);
  return '';
}

function cleanText(text: string): string {
  return (
    text
      // Some writers leave the OOXML escape for a carriage return in the string.
      .replace(/_x000D_/gi, '')
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .trim()
  );
}

function cellText(cell: ExcelJS.Cell): string {
  return cleanText(valueText(cell.value, cell.numFmt));
}

function toBuffer(data: Buffer | Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function notXlsx(data: Buffer): TaskListFileError {
  // Legacy .xls and password-protected .xlsx are both OLE compound files.
  const ole = data.length >= 4 && data.readUInt32BE(0) === 0xd0cf11e0;
  return new TaskListFileError([
    {
      row: null,
      column: null,
      header: null,
      message: ole
        ? '文件不是 .xlsx 格式（可能是旧版 .xls 或加密文件），请用 Excel 另存为 .xlsx 后重新上传'
        : '文件不是有效的 Excel（.xlsx）文件',
    },
  ]);
}

const WORKSHEET = /^xl\/worksheets\/[^/]+\.xml$/;
const ROW_TAG = /<(?:\w+:)?row[\s>/]/g;
const CELL_TAG = /<(?:\w+:)?c[\s>/]/g;

/**
 * Checks the archive (see checkZipArchive) and counts each worksheet's row and cell elements in its XML, so
 * a sheet of a million rows is refused in a fraction of a second rather than after exceljs has built it.
 */
function checkWorkbookArchive(buffer: Buffer, maxRows: number, limits: ZipLimits): void {
  if (buffer.length < 4 || buffer.readUInt32LE(0) !== 0x04034b50) throw notXlsx(buffer);
  const maxSheetRows = maxRows + SPARE_SHEET_ROWS;
  const scan = (entry: ZipEntry, bytes: Buffer) => {
    if (!WORKSHEET.test(entry.name)) return;
    const xml = bytes.toString('latin1');
    const rows = xml.match(ROW_TAG)?.length ?? 0;
    if (rows > maxSheetRows) {
      throw new TaskListFileError([
        { row: null, column: null, header: null, message: `数据行超过上限：每次最多导入 ${maxRows} 行` },
      ]);
    }
    if ((xml.match(CELL_TAG)?.length ?? 0) > maxSheetRows * MAX_CELLS_PER_ROW) {
      throw fileTooLarge(`工作表单元格过多，每次最多导入 ${maxRows} 行`);
    }
  };
  try {
    checkZipArchive(buffer, limits, 'Excel 文件', scan);
  } catch (error) {
    // A broken archive gets the same answer as any other file that is not a workbook.
    if (error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT) throw notXlsx(buffer);
    throw error;
  }
}

/**
 * Finds the header row (within the first 10 rows: the row containing the most known headers; a title row
 * above it is normal), reads every following non-empty row. A vertically merged cell applies to each row
 * it spans; a horizontally merged cell only to its first column.
 */
export async function readTaskList(
  data: Buffer | Uint8Array,
  options?: { maxRows?: number; limits?: ZipLimits },
): Promise<{
  sheetName: string;
  title: string | null;
  rows: TaskListSheetRow[];
  /** Each column's letters in this sheet (“D”). */
  letters: Partial<Record<TaskListColumn, string>>;
}> {
  const maxRows = options?.maxRows ?? DEFAULT_MAX_ROWS;
  const buffer = toBuffer(data);
  checkWorkbookArchive(buffer, maxRows, options?.limits ?? DEFAULT_ZIP_LIMITS);
  let loaded: Awaited<ReturnType<typeof loadWorkbook>>;
  try {
    loaded = await loadWorkbook(buffer);
  } catch {
    throw notXlsx(buffer);
  }
  const sheets = loaded.workbook.worksheets.map((sheet) => ({
    sheet,
    merges: new MergeIndex(loaded.merges.get(sheet.name) ?? []),
  }));
  if (!sheets.length) {
    throw new TaskListFileError([{ row: null, column: null, header: null, message: '文件中没有工作表' }]);
  }

  // A workbook may open with an instructions sheet: take the sheet whose header is most recognisable.
  let { sheet, merges } = sheets[0];
  let header = findHeader(sheet, merges);
  for (const other of sheets.slice(1)) {
    const candidate = findHeader(other.sheet, other.merges);
    if ((candidate?.columns.size ?? 0) > (header?.columns.size ?? 0)) {
      ({ sheet, merges } = other);
      header = candidate;
    }
  }

  const missing = REQUIRED.filter((column) => !header?.columns.has(column));
  if (missing.length) {
    throw new TaskListFileError(
      missing.map((column) => {
        const [canonical, ...aliases] = TASK_LIST_HEADERS[column];
        return {
          row: header?.row ?? null,
          column,
          header: canonical,
          message: `工作表“${sheet.name}”缺少“${canonical}”列（表头也可写作：${aliases.join('、')}）`,
        };
      }),
    );
  }
  const columns = [...header!.columns].map(([column, at]) => ({ column, col: at.col }));

  const rows: TaskListSheetRow[] = [];
  for (let r = header!.row + 1; r <= sheet.rowCount; r++) {
    const row = sheet.findRow(r);
    if (!row) continue;
    const cells: Record<TaskListColumn, string> = {
      code: '',
      title: '',
      content: '',
      leadUnits: '',
      supportUnits: '',
      responsibleLeader: '',
      deadline: '',
    };
    // A row holding only the continuation of merges from above is blank, not a task.
    let own = false;
    for (const { column, col } of columns) {
      const cell = row.findCell(col);
      const master = merges.masterOf(r, col, cell);
      if (master) {
        // Only a vertical merge of data carries down; a horizontal one (a section row) stays in its first column.
        const source = master.col === col && master.row > header!.row && sheet.findCell(master.row, col);
        if (source) cells[column] = cellText(source);
      } else if (cell) {
        cells[column] = cellText(cell);
        own ||= cells[column] !== '';
      }
    }
    if (!own) continue;
    if (rows.length >= maxRows) {
      throw new TaskListFileError([
        { row: r, column: null, header: null, message: `数据行超过上限：每次最多导入 ${maxRows} 行` },
      ]);
    }
    rows.push({ row: r, cells });
  }
  // Where each column is in this sheet, so a problem can name its cell (“第 5 行 D 列”).
  const letters: Partial<Record<TaskListColumn, string>> = Object.fromEntries(
    columns.map(({ column, col }) => [column, columnLetters(col)]),
  );
  return { sheetName: sheet.name, title: titleAbove(sheet, header!.firstRow), rows, letters };
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

type ExportValue = (r: TaskListExportRow) => string;

/** Widths in characters; the sheet is also scaled to one page wide when printed on A4 landscape. */
const EXPORT_COLUMNS: readonly { header: string; width: number; center: boolean; value: ExportValue }[] = [
  { header: TASK_LIST_HEADERS.code[0], width: 6, center: true, value: (r) => r.code },
  { header: TASK_LIST_HEADERS.title[0], width: 20, center: false, value: (r) => r.title },
  { header: TASK_LIST_HEADERS.content[0], width: 40, center: false, value: (r) => r.content },
  { header: TASK_LIST_HEADERS.leadUnits[0], width: 16, center: false, value: (r) => r.leadUnits.join('、') },
  {
    header: TASK_LIST_HEADERS.supportUnits[0],
    width: 16,
    center: false,
    value: (r) => r.supportUnits.join('、'),
  },
  {
    header: TASK_LIST_HEADERS.responsibleLeader[0],
    width: 10,
    center: true,
    value: (r) => r.responsibleLeader,
  },
  { header: TASK_LIST_HEADERS.deadline[0], width: 13, center: true, value: (r) => r.deadline },
  { header: TASK_LIST_EXPORT_EXTRA_HEADERS[0], width: 8, center: true, value: (r) => r.status },
  { header: TASK_LIST_EXPORT_EXTRA_HEADERS[1], width: 6, center: true, value: (r) => lightLabel(r.light) },
  { header: TASK_LIST_EXPORT_EXTRA_HEADERS[2], width: 7, center: true, value: (r) => r.progress },
  { header: TASK_LIST_EXPORT_EXTRA_HEADERS[3], width: 30, center: false, value: (r) => r.latestReport },
  { header: TASK_LIST_EXPORT_EXTRA_HEADERS[4], width: 9, center: true, value: (r) => r.escalation },
];
const DEADLINE_COL = COLUMNS.indexOf('deadline') + 1;
const LIGHT_COL = COLUMNS.length + 2;

type Light = 'red' | 'yellow' | 'green';
const LIGHTS: Record<Light, { label: string; argb: string }> = {
  red: { label: '红', argb: 'FFC00000' },
  yellow: { label: '黄', argb: 'FFBF8F00' },
  green: { label: '绿', argb: 'FF00843D' },
};
const LIGHT_ALIASES: Partial<Record<string, Light>> = {
  red: 'red',
  红: 'red',
  红灯: 'red',
  yellow: 'yellow',
  黄: 'yellow',
  黄灯: 'yellow',
  green: 'green',
  绿: 'green',
  绿灯: 'green',
};

function lightOf(light: string): { label: string; argb: string } | undefined {
  const key = LIGHT_ALIASES[light.trim().toLowerCase()];
  return key ? LIGHTS[key] : undefined;
}

/** Enum values (RED) print as the character offices use (红). */
function lightLabel(light: string): string {
  return lightOf(light)?.label ?? light;
}

const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

function sheetName(title: string): string {
  // Excel forbids these characters and names over 31 characters.
  const name = title
    .replace(/[\\/?*[\]:]/g, ' ')
    .trim()
    .slice(0, 31)
    .trim();
  return name || '任务清单';
}

function exportTime(now: Date): string {
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `导出时间：${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** A real date cell (sortable, filterable in Excel) for an ISO date; anything else stays text. */
function deadlineValue(deadline: string): string | Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(deadline);
  if (!m) return deadline;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return dateText(date) === deadline ? date : deadline;
}

/**
 * A printable workbook: a merged title row, a subtitle row (导出时间 by default), the header row (frozen,
 * repeated on every printed page), then one row per task with wrapped text and thin borders.
 */
export async function writeTaskList(
  title: string,
  rows: readonly TaskListExportRow[],
  options?: { subtitle?: string },
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const width = EXPORT_COLUMNS.length;
  const sheet = workbook.addWorksheet(sheetName(title), {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
    views: [{ state: 'frozen', ySplit: 3 }],
  });
  sheet.columns = EXPORT_COLUMNS.map((c) => ({ width: c.width }));

  const titleRow = sheet.addRow([title]);
  sheet.mergeCells(titleRow.number, 1, titleRow.number, width);
  titleRow.font = { bold: true, size: 16 };
  titleRow.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  titleRow.height = 32;

  const subtitleRow = sheet.addRow([options?.subtitle ?? exportTime(new Date())]);
  sheet.mergeCells(subtitleRow.number, 1, subtitleRow.number, width);
  subtitleRow.alignment = { horizontal: 'right' };

  const headerRow = sheet.addRow(EXPORT_COLUMNS.map((c) => c.header));
  headerRow.font = { bold: true };
  headerRow.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  headerRow.height = 24;
  headerRow.eachCell((cell) => {
    cell.border = BORDER;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7EEF7' } };
  });

  let category = '';
  for (const r of rows) {
    if (r.category && r.category !== category) {
      // A category row as offices write it: merged across the table, read back as the tasks' group.
      const heading = sheet.addRow([r.category]);
      sheet.mergeCells(heading.number, 1, heading.number, width);
      heading.font = { bold: true };
      heading.getCell(1).border = BORDER;
    }
    category = r.category ?? '';
    const row = sheet.addRow(EXPORT_COLUMNS.map((c) => c.value(r)));
    EXPORT_COLUMNS.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      cell.border = BORDER;
      cell.alignment = { vertical: 'middle', horizontal: c.center ? 'center' : 'left', wrapText: true };
    });
    const deadline = row.getCell(DEADLINE_COL);
    deadline.value = deadlineValue(r.deadline);
    if (deadline.value instanceof Date) deadline.numFmt = 'yyyy"年"m"月"d"日"';
    const light = lightOf(r.light);
    if (light) row.getCell(LIGHT_COL).font = { bold: true, color: { argb: light.argb } };
  }

  sheet.pageSetup.printTitlesRow = `${headerRow.number}:${headerRow.number}`;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
