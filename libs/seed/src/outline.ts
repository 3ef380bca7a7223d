/**
 * Chapters (第X章) and sections (第X节) of a plan outline, read from the plain text of a published plan.
 * Items (一、) and measures are left to the full ingester; here they only end a heading's lead text.
 */

export interface OutlineNode {
  /** As printed, e.g. "第三章". */
  number: string;
  /** 1 for 第一章 / 第一节. */
  ordinal: number;
  title: string;
  /** The paragraphs between the heading and the next heading or item, one per line. */
  body: string;
  /** 1-based line of the heading in the source, for error messages. */
  line: number;
}

export interface OutlineChapter extends OutlineNode {
  sections: OutlineNode[];
}

export class OutlineError extends Error {}

const NUMERAL = '零〇一二两三四五六七八九十百';
const HEADING = new RegExp(`^(第([${NUMERAL}]+)([章节]))[\\s\\u3000]*(.+)$`);
const ITEM = new RegExp(`^[${NUMERAL}]+、`);
const FIGURE = /\.(jpe?g|png|gif|webp|bmp)$/i;
/** Headings are short phrases; a long line or one with a full stop is prose that happens to start with 第. */
const MAX_HEADING_LENGTH = 60;

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** Chinese numerals up to 999, as used for chapter numbers: 十一 = 11, 二十 = 20, 一百零五 = 105. */
export function parseChineseNumeral(text: string): number {
  let total = 0;
  let digit = 0;
  for (const char of text) {
    if (char in DIGITS) {
      digit = DIGITS[char];
    } else if (char === '十' || char === '百') {
      // A bare 十 at the start means 一十.
      total += (digit || 1) * (char === '十' ? 10 : 100);
      digit = 0;
    } else {
      throw new OutlineError(`not a Chinese numeral: "${text}"`);
    }
  }
  return total + digit;
}

/** The zero-padded tree path PlanService gives a target: positions [1, 2] → "0001.0002". */
export function targetPath(positions: readonly number[]): string {
  return positions.map((p) => String(p).padStart(4, '0')).join('.');
}

/**
 * Parses the chapter and section headings of a plan text. Paragraphs are the indented lines; unindented
 * lines that are not headings are the page around the plan (menus, captions, footer) and are skipped.
 * A run of headings that starts over at 第一章 was a table of contents and is dropped.
 */
export function parseOutline(text: string): OutlineChapter[] {
  let chapters: OutlineChapter[] = [];
  let current: OutlineNode | null = null;
  let collecting = false;

  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = index + 1;
    const trimmed = raw.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
    if (trimmed === '' || FIGURE.test(trimmed)) continue;

    const heading = HEADING.exec(trimmed);
    if (heading && trimmed.length <= MAX_HEADING_LENGTH && !trimmed.includes('。')) {
      const [, number, numeral, kind, title] = heading;
      const node: OutlineNode = {
        number,
        ordinal: parseChineseNumeral(numeral),
        title: title.trim(),
        body: '',
        line,
      };
      if (kind === '章') {
        const previous = chapters.at(-1);
        if (node.ordinal === 1 && previous && isTableOfContents(chapters)) chapters = [];
        else expectOrdinal(node, previous?.ordinal ?? 0);
        chapters.push({ ...node, sections: [] });
        current = chapters.at(-1) as OutlineChapter;
      } else {
        const chapter = chapters.at(-1);
        if (!chapter)
          throw new OutlineError(`${number} ${node.title} (line ${line}) comes before any chapter`);
        expectOrdinal(node, chapter.sections.at(-1)?.ordinal ?? 0);
        chapter.sections.push(node);
        current = node;
      }
      collecting = true;
      continue;
    }

    const indented = /^[\s\u3000]/.test(raw);
    if (!current || !indented) continue;
    if (ITEM.test(trimmed)) collecting = false;
    if (collecting) current.body = current.body ? `${current.body}\n${trimmed}` : trimmed;
  }

  if (chapters.length === 0) throw new OutlineError('no chapter headings (第一章 …) found in the plan text');
  return chapters;
}

function expectOrdinal(node: OutlineNode, previous: number): void {
  if (node.ordinal !== previous + 1) {
    throw new OutlineError(
      `${node.number} ${node.title} (line ${node.line}) does not follow number ${previous}`,
    );
  }
}

/** Headings with no text under any of them are a table of contents, not the plan. */
function isTableOfContents(chapters: OutlineChapter[]): boolean {
  return chapters.every((c) => c.body === '' && c.sections.every((s) => s.body === ''));
}
