import { checkZipArchive, type ZipLimits } from '@zhezi/core/files';
import { docxTables, MAX_DOCX_PARAGRAPHS, type DocxTable } from '@zhezi/plan';
import {
  COLUMNS,
  matchHeader,
  REQUIRED,
  TASK_LIST_HEADERS,
  TaskListFileError,
  type TaskListColumn,
  type TaskListSheetRow,
} from './task-list.xlsx';

/** Rows at the top of a table searched for its header. */
const HEADER_SCAN_ROWS = 5;
const TITLE = /方案|清单|折子|任务|计划|要点|安排/;
const PARAGRAPH_TAG = /<w:p[\s>/]/g;

/** The table's header row and its columns, where it has one. */
function headerOf(table: DocxTable) {
  let best: { row: number; columns: Map<TaskListColumn, number> } | null = null;
  table.rows.slice(0, HEADER_SCAN_ROWS).forEach((row, index) => {
    const columns = new Map<TaskListColumn, number>();
    row.cells.forEach((text, col) => {
      const match = matchHeader(text);
      if (match && !columns.has(match.column)) columns.set(match.column, col);
    });
    if (columns.size > (best?.columns.size ?? 0)) best = { row: index, columns };
  });
  return best as { row: number; columns: Map<TaskListColumn, number> } | null;
}

/**
 * A 折子 list sent as a table in a .docx (序号 / 任务 / 具体内容 / 牵头单位 / 配合单位 / 完成时限) read like the
 * same table in Excel (see readTaskList): one row per task, columns by their headers, a row merged across the
 * table as a category row. The paragraphs around the table (an introduction, a signature) are not read as
 * tasks. The archive is checked against `limits` before anything is inflated; rows are numbered in the table.
 */
export function readDocxTaskList(
  data: Buffer,
  limits: ZipLimits,
  fileName: string,
  maxRows: number,
): { sheetName: string; title: string | null; rows: TaskListSheetRow[] } {
  let xml = '';
  checkZipArchive(data, limits, `Word 文档“${fileName}”`, (entry, bytes) => {
    if (entry.name !== 'word/document.xml') return;
    xml = bytes.toString('utf8');
    const paragraphs = xml.match(PARAGRAPH_TAG)?.length ?? 0;
    if (paragraphs > MAX_DOCX_PARAGRAPHS) {
      throw new TaskListFileError([
        { row: null, column: null, header: null, message: `Word 文档段落过多（${paragraphs} 段），无法处理` },
      ]);
    }
  });
  const candidates = docxTables(xml)
    .map((table) => ({ table, header: headerOf(table) }))
    .filter((c) => c.header !== null);
  candidates.sort((a, b) => b.header!.columns.size - a.header!.columns.size);
  const found = candidates[0];
  const missing = REQUIRED.filter((column) => !found?.header!.columns.has(column));
  if (!found || missing.length) {
    throw new TaskListFileError(
      (missing.length ? missing : REQUIRED).map((column) => ({
        row: null,
        column,
        header: TASK_LIST_HEADERS[column][0],
        message: found
          ? `Word 文档中的表格缺少“${TASK_LIST_HEADERS[column][0]}”列`
          : `Word 文档中没有任务表格（表头须有：${REQUIRED.map((c) => TASK_LIST_HEADERS[c][0]).join('、')}）`,
      })),
    );
  }
  const { table, header } = found;
  const rows: TaskListSheetRow[] = [];
  table.rows.forEach((row, index) => {
    if (index <= header!.row) return;
    const cells = Object.fromEntries(COLUMNS.map((c) => [c, ''])) as Record<TaskListColumn, string>;
    if (row.spansAll) {
      // A category row: its text stands in the first column, as a merged row of a sheet does.
      const first = [...header!.columns].sort((a, b) => a[1] - b[1])[0][0];
      cells[first] = row.cells[0].replace(/\s+/g, ' ').trim();
    } else {
      for (const [column, col] of header!.columns) cells[column] = (row.cells[col] ?? '').trim();
    }
    if (Object.values(cells).every((text) => text === '')) return;
    if (rows.length >= maxRows) {
      throw new TaskListFileError([
        { row: index + 1, column: null, header: null, message: `数据行超过上限：每次最多导入 ${maxRows} 行` },
      ]);
    }
    rows.push({ row: index + 1, cells });
  });
  const title = [...table.before].reverse().find((p) => p.length <= 80 && TITLE.test(p) && !/[。；]/.test(p));
  return { sheetName: 'Word 表格', title: title ?? null, rows };
}
