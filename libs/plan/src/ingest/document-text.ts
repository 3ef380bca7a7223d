import { extname } from 'path';
import mammoth from 'mammoth';
import { docxTables, type DocxTable } from './docx-tables';
import {
  badInput,
  checkZipArchive,
  DEFAULT_FILE_LIMITS,
  fileTooLarge,
  type ZipEntry,
  type ZipLimits,
} from '@zhezi/core/files';

const TEXT_TYPES = new Set(['.txt', '.md', '.markdown', '.text']);
/**
 * A five-year plan has a few thousand paragraphs; far more is a file built to make mammoth's tree of them
 * outgrow the reader's heap, and is refused while the archive is checked.
 */
export const MAX_DOCX_PARAGRAPHS = 100_000;
const PARAGRAPH_TAG = /<w:p[\s>/]/g;

/** A table whose header names a task and its lead unit: the document's list is a 折子 table. */
const TASK_HEADER = /^(?:任务|任务名称|重点任务|工作任务)$/;
const LEAD_HEADER = /^(?:牵头单位|责任单位|主责单位)/;

function isTaskTable(table: DocxTable): boolean {
  return table.rows
    .slice(0, 5)
    .some(
      (row) =>
        row.cells.some((c) => TASK_HEADER.test(c.replace(/\s/g, ''))) &&
        row.cells.some((c) => LEAD_HEADER.test(c.replace(/\s/g, ''))),
    );
}

function countParagraphs(entry: ZipEntry, bytes: Buffer): void {
  if (entry.name !== 'word/document.xml') return;
  // Its cells would each read as a paragraph and a draft of its own: the table is read by importTaskList.
  if (docxTables(bytes.toString('utf8')).some(isTaskTable)) {
    throw badInput(
      'file',
      '该 Word 文档的任务清单是表格：请通过“导入折子工程”（importTaskList）导入，每行读作一项任务，表格前后的说明文字不作为任务',
    );
  }
  const paragraphs = bytes.toString('latin1').match(PARAGRAPH_TAG)?.length ?? 0;
  if (paragraphs > MAX_DOCX_PARAGRAPHS) {
    throw fileTooLarge(`Word 文档段落过多（${paragraphs} 段，上限 ${MAX_DOCX_PARAGRAPHS} 段），无法处理`);
  }
}

/** Text files from Chinese offices are often GB18030 (“ANSI” in Windows Notepad) rather than UTF-8. */
function decodeText(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
}

/**
 * The plain text of an uploaded plan document: .txt and .md as they are, .docx through mammoth once the
 * archive has been checked against `limits` (a deflate bomb is refused before mammoth inflates anything).
 */
export async function documentText(
  fileName: string,
  data: Buffer,
  limits: ZipLimits = {
    maxUncompressedBytes: DEFAULT_FILE_LIMITS.maxUncompressedBytes,
    maxEntries: DEFAULT_FILE_LIMITS.maxArchiveEntries,
  },
): Promise<string> {
  const type = extname(fileName).toLowerCase();
  if (TEXT_TYPES.has(type)) return decodeText(data);
  if (type === '.docx') {
    checkZipArchive(data, limits, `Word 文档“${fileName}”`, countParagraphs);
    try {
      // Paragraphs come out separated by blank lines, which the parser reads like the web page's.
      return (await mammoth.extractRawText({ buffer: data })).value;
    } catch {
      throw badInput('file', `无法读取 Word 文档“${fileName}”：文件已损坏或不是 .docx 格式`);
    }
  }
  throw badInput('fileName', `不支持的文件类型“${type || fileName}”：请上传 .txt、.md 或 .docx 文件`);
}
