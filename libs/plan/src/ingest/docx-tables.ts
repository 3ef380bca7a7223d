/**
 * The tables of a Word document's body (word/document.xml) as grids of cell text, and the paragraphs around
 * them. Pure and linear: one pass over the XML's tags, no DOM. Merged cells read like Excel's: a cell spanning
 * columns (w:gridSpan) keeps its text in its first column and leaves the others blank; a cell continuing a
 * vertical merge (w:vMerge without restart) takes the text of the cell above it.
 */

export interface DocxTable {
  /** Rows of cells, one string per grid column; a cell's paragraphs are joined with '\n'. */
  rows: DocxRow[];
  /** The body paragraphs before the table (nearest last), for its title. */
  before: string[];
}

export interface DocxRow {
  cells: string[];
  /** Whether the row is one cell spanning every column (a category row: “一、科技创新”). */
  spansAll: boolean;
}

const TAG = /<(\/?)w:(tbl|tr|tc|p|t|gridSpan|vMerge|tab|br)\b([^>]*?)(\/?)>/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name] ?? whole;
  });
}

interface CellBuild {
  paragraphs: string[];
  span: number;
  /** 'restart' | 'continue' | null. */
  vMerge: string | null;
}

/** The top-level tables of the document, in order; a table nested in a cell is read as that cell's text. */
export function docxTables(xml: string): DocxTable[] {
  const tables: DocxTable[] = [];
  const paragraphs: string[] = [];
  let depth = 0;
  let rows: { cells: CellBuild[] }[] = [];
  let cell: CellBuild | null = null;
  let paragraph: string[] | null = null;
  let inText = false;
  let textStart = 0;

  TAG.lastIndex = 0;
  for (let m = TAG.exec(xml); m; m = TAG.exec(xml)) {
    const [whole, closing, name, attrs, selfClosing] = m;
    if (inText && !(closing && name === 't')) continue;
    switch (name) {
      case 't':
        if (closing) {
          paragraph?.push(decode(xml.slice(textStart, m.index)));
          inText = false;
        } else if (!selfClosing) {
          inText = true;
          textStart = m.index + whole.length;
        }
        break;
      case 'tab':
        paragraph?.push('\t');
        break;
      case 'br':
        paragraph?.push('\n');
        break;
      case 'p':
        if (closing) {
          const text = (paragraph ?? []).join('').trim();
          if (depth === 0) {
            if (text) paragraphs.push(text);
          } else if (cell) cell.paragraphs.push(text);
          paragraph = null;
        } else if (selfClosing) {
          if (cell && depth === 1) cell.paragraphs.push('');
        } else paragraph = [];
        break;
      case 'tbl':
        if (closing) {
          depth--;
          if (depth === 0) {
            tables.push({ rows: toGrid(rows), before: [...paragraphs] });
            rows = [];
          }
        } else depth++;
        break;
      case 'tr':
        if (depth !== 1) break;
        if (!closing) rows.push({ cells: [] });
        break;
      case 'tc':
        if (depth !== 1) break;
        if (!closing) {
          cell = { paragraphs: [], span: 1, vMerge: null };
        } else if (cell) {
          rows.at(-1)?.cells.push(cell);
          cell = null;
        }
        break;
      case 'gridSpan': {
        const value = /w:val="(\d+)"/.exec(attrs);
        if (cell && depth === 1 && value) cell.span = Math.max(1, Math.min(64, Number(value[1])));
        break;
      }
      case 'vMerge':
        if (cell && depth === 1) cell.vMerge = /w:val="restart"/.test(attrs) ? 'restart' : 'continue';
        break;
    }
  }
  return tables;
}

function toGrid(rows: { cells: CellBuild[] }[]): DocxRow[] {
  const width = Math.max(0, ...rows.map((r) => r.cells.reduce((n, c) => n + c.span, 0)));
  const grid: DocxRow[] = [];
  for (const row of rows) {
    const cells = Array<string>(width).fill('');
    let col = 0;
    for (const c of row.cells) {
      const text = c.paragraphs.join('\n').trim();
      // A vertical merge carries the text down, as Excel's does in the sheet reader.
      cells[col] = c.vMerge === 'continue' ? (grid.at(-1)?.cells[col] ?? '') : text;
      col += c.span;
    }
    grid.push({ cells, spansAll: width > 1 && row.cells.length === 1 && row.cells[0].span >= width });
  }
  return grid;
}
