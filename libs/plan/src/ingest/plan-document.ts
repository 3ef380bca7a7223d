/**
 * Turns the plain text of a Chinese plan outline (规划纲要, 工作要点, 折子工程 …) into a tree of
 * chapters, sections, items and measures. Pure: no I/O, no database.
 *
 * How the text is read:
 * - Headings are recognised by their numbering: 第X篇 / 第X部分 / 第X章 / 第X节, 一、, （一）, 1. 1、 1．,
 *   （1）, ①, and Markdown # headings. Depth comes from the order in which numbering styles appear: a style
 *   first seen inside another is one level deeper, and keeps that depth for the rest of the document.
 *   Depths map top-down onto CHAPTER, SECTION, ITEM; a heading deeper than that becomes a MEASURE whose
 *   body is the text under it.
 * - A numbered line that reads as a paragraph (longer than a heading, or a lead sentence followed by more
 *   text) is a numbered MEASURE, as is every 第X条 article.
 * - The paragraphs under a heading before its first child are the heading's body (its lead). A heading that
 *   never gets a child (an item without sub-items, a section without items) has its paragraphs as MEASURE
 *   children instead: in a task tracker every task must be a node.
 * - A measure's title is its lead sentence: up to and including the first 。；;！？!? outside quotes and
 *   brackets, or up to a ：/: if that comes first within the first 40 characters ("坚持创新发展：…").
 *   Its body is the rest. A leading bullet (——, •, -) is dropped; such a measure has no number.
 * - Text before the first heading is the page around the plan and the preamble: only the plan's title is
 *   kept. Figure captions, separator lines, menu and footer lines are skipped; where the paragraphs are
 *   indented (text scraped from a web page), an unindented line without a full stop is page furniture too,
 *   and so is any such line after the plan's last sentence.
 * - A run of headings without text that starts over at the first top-level number is a table of contents
 *   and is dropped.
 * - 第X章 and 第X节 must be numbered in order (节 either restarting in each chapter or running on);
 *   other numberings may have gaps.
 */
import { TargetLevel } from '../target-level';

export interface DocNode {
  level: TargetLevel;
  /** As printed: "第三章", "（一）", "1.", "第五条"; '' for an unnumbered paragraph or Markdown heading. */
  number: string;
  /**
   * The document's own name for the level: 篇, 部分, 章, 节, 条, or the numbering style (一、, （一）, 1., （1）,
   * ①); '#'… for an unnumbered Markdown heading; '' for an unnumbered paragraph.
   */
  levelName: string;
  /** Heading text; for a MEASURE its lead sentence, including the 。. */
  title: string;
  /** A heading's lead paragraphs (joined with \n); a measure's text after its lead sentence. */
  body: string;
  /** 1-based source line. */
  line: number;
  children: DocNode[];
}

export interface PlanDocument {
  /** The plan's own title line, when one precedes the first heading. */
  title: string | null;
  nodes: DocNode[];
}

export class PlanDocumentError extends Error {}

const NUMERAL = '零〇一二两三四五六七八九十百';
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
      throw new PlanDocumentError(`not a Chinese numeral: "${text}"`);
    }
  }
  return total + digit;
}

/** Headings are short phrases; a longer numbered line is a paragraph. */
const MAX_HEADING_LENGTH = 60;
/** A colon ends a measure's lead only this early in the paragraph ("坚持创新发展：…"). */
const MAX_COLON_LEAD = 40;

const STRUCTURAL = new RegExp(`^(第([${NUMERAL}]+)(章|节|篇|部分))[\\s:：、.．]*(.*)$`);
const ARTICLE = new RegExp(`^(第([${NUMERAL}\\d]+)条)[\\s:：、.．]*(.*)$`);
const CN_LIST = new RegExp(`^(([${NUMERAL}]+)[、．])\\s*(.*)$`);
const CN_PAREN = new RegExp(`^([（(]([${NUMERAL}]+)[）)])\\s*(.*)$`);
// "1.5%" is a number, not a list marker.
const ARABIC_LIST = /^(([0-9０-９]{1,3})(?:[.．](?![0-9０-９])|、))\s*(.*)$/;
/** "7.12345…": an arabic list number glued to text that starts with digits. */
const GLUED_ARABIC = /^([0-9]{1,3})[.．]([0-9０-９].*)$/;
const ARABIC_PAREN = /^([（(]([0-9０-９]{1,3})[）)])\s*(.*)$/;
const CIRCLED = /^(([①-⑳]))\s*(.*)$/;
const MARKDOWN = /^(#{1,6})\s+(.*?)(?:\s+#+)?$/;

const FIGURE = /\.(jpe?g|png|gif|webp|bmp|svg|tiff?)$/i;
const SEPARATOR = /^[-=*_~|:：.。·•\s]+$/;
const NUMERIC = /^[\d\s\-+()（）:：./年月日时分]+$/;
const JUNK_ANYWHERE =
  /版权所有|ICP备|ICP证|公网安备|网站地图|返回顶部|Copyright|©|点击量|浏览次数|阅读次数|打印本页|关闭窗口|分享到|扫一扫/i;
const JUNK_FIELD =
  /^(?:主办|承办|协办|地址|电话|联系电话|邮编|传真|邮箱|来源|作者|责任编辑|发布时间|发布日期|技术支持)\s*[:：]/;
const JUNK_START =
  /^(?:首页|当前位置|您的位置|您当前的位置|上一篇|下一篇|联系我们|相关链接|友情链接|目\s*录$)/;
/** Several breadcrumb or menu separators on one line. */
const MENU = /(?:[>›|｜].*){2,}/;
const SENTENCE = /[。；;！？!?]/;
const TITLE =
  /规划纲要|规划|工作要点|折子工程|重点工作任务|工作任务|工作计划|行动计划|行动方案|实施方案|分工方案|工作方案|任务清单/;
/** A line of a 任务分工方案 that only names the measure's units, leader or deadline (“牵头单位：区教委”). */
const ANNOTATION =
  /^[（(【]?(?:牵头单位|牵头部门|主责单位|责任单位|责任部门|配合单位|配合部门|协同单位|协同部门|参与单位|协办单位|责任领导|完成时限|完成时间|时间节点)(?:】|\s*[：:])/;
const BULLET = /^(?:—+|[•·●○■□◆◇▪►▶※★☆])\s*|^[-*+]\s+/;
const codes = (chars: string): ReadonlySet<number> => new Set([...chars].map((c) => c.charCodeAt(0)));
const OPENERS = codes('“‘《（(「『【[〔');
const CLOSERS = codes('”’》）)」』】]〕');
const SENTENCE_ENDS = codes('。；;！？!?');
const WHITESPACE = codes(' \t\u3000\u00A0');
const FULL_COLON = 0xff1a;
const COLON = 0x3a;
/** Table-of-contents dot leaders and page numbers after a heading. */
const PAGE_NUMBER = /(?:\s*[.．…·]{2,}\s*|\t+)\d+$/;

interface Numbering {
  /** Numbering style; styles share a depth, e.g. 1. and 1、 are both "arabic". */
  style: string;
  /** The level's name as the document has it (see DocNode.levelName). */
  name: string;
  number: string;
  ordinal: number;
  rest: string;
  /** 章 / 节 are held to strict order; the others are tolerated with gaps. */
  kind?: '章' | '节';
  /** Always a heading (第X章, Markdown) or always a measure (第X条). */
  fixed?: 'heading' | 'measure';
}

interface Line {
  no: number;
  text: string;
  indented: boolean;
  numbering: Numbering | null;
}

interface Open {
  node: DocNode;
  depth: number;
  style: string;
  /** Paragraphs waiting to become the body (if a child follows) or measures (if none does). */
  pending: Line[];
  hasChild: boolean;
}

const LEVELS = [TargetLevel.CHAPTER, TargetLevel.SECTION, TargetLevel.ITEM];
/** Styles that stand above the chapters. */
const PART_STYLES = new Set(['篇', '部分']);

export function parsePlanDocument(text: string): PlanDocument {
  const lines = readLines(text);
  const indentedParagraphs = usesIndentedParagraphs(lines);
  // After the plan's last sentence or numbered line, unpunctuated lines are the page footer.
  let lastSolid = -1;
  lines.forEach((l, i) => {
    if (l.numbering || SENTENCE.test(l.text) || ANNOTATION.test(l.text)) lastSolid = i;
  });

  let title: string | null = null;
  let nodes: DocNode[] = [];
  let stack: Open[] = [];
  let depths = new Map<string, number>();
  let headingCount = 0;
  let contentSeen = false;
  let contentBeforeLastHeading = false;
  let lastChapter = 0;
  let sectionInChapter = 0;
  let lastSection = 0;
  let orphanSection: string | null = null;

  const addChild = (parent: Open | undefined, node: DocNode): void => {
    if (!parent) {
      nodes.push(node);
      return;
    }
    if (!parent.hasChild) {
      parent.node.body = parent.pending.map((l) => l.text).join('\n');
      parent.pending = [];
      parent.hasChild = true;
    }
    parent.node.children.push(node);
  };
  const close = (open: Open): void => {
    // A heading without children: its paragraphs are the tasks themselves.
    for (const l of open.pending) open.node.children.push(paragraphMeasure(l));
    open.pending = [];
  };
  const pop = (): void => close(stack.pop() as Open);
  const popMeasures = (): void => {
    while (stack.length && stack[stack.length - 1].node.level === TargetLevel.MEASURE) pop();
  };

  const openHeading = (line: Line, n: Numbering): void => {
    // A style keeps the depth it had when first seen; a new style nests inside the innermost open heading.
    const depthOf = (): number =>
      depths.get(n.style) ?? (stack.length ? stack[stack.length - 1].depth + 1 : 0);
    const headingTitle = cleanHeading(n.rest);

    if (depthOf() === 0 && n.ordinal === 1 && headingCount > 0 && !contentBeforeLastHeading) {
      // Starting over at the top without any text so far: what came before was a table of contents.
      nodes = [];
      stack = [];
      depths = new Map();
      headingCount = 0;
      contentSeen = false;
      lastChapter = sectionInChapter = lastSection = 0;
      orphanSection = null;
    } else if (n.kind === '章') {
      if (orphanSection) throw new PlanDocumentError(`${orphanSection} comes before any chapter`);
      expectOrdinal(n, headingTitle, line.no, lastChapter);
    } else if (n.kind === '节') {
      if (lastChapter === 0) orphanSection ??= `${n.number} ${headingTitle} (line ${line.no})`;
      else if (!(sectionInChapter === 0 && n.ordinal === lastSection + 1))
        expectOrdinal(n, headingTitle, line.no, sectionInChapter);
    }
    if (n.kind === '章') {
      lastChapter = n.ordinal;
      sectionInChapter = 0;
    } else if (n.kind === '节') {
      sectionInChapter = lastSection = n.ordinal;
    }

    const depth = depthOf();
    depths.set(n.style, depth);
    while (stack.length && stack[stack.length - 1].depth >= depth) pop();
    // 篇 and 部分 are PARTs above the chapters; the levels below them count from the first that is not one.
    const parts = [...depths].filter(([style, d]) => PART_STYLES.has(style) && d < depth).length;
    const level = PART_STYLES.has(n.style)
      ? TargetLevel.PART
      : (LEVELS[depth - parts] ?? TargetLevel.MEASURE);
    // A heading too deep for the tree is a measure, and measures have no children.
    if (level === TargetLevel.MEASURE) popMeasures();
    const node: DocNode = {
      level,
      number: n.number,
      levelName: n.name,
      title: headingTitle,
      body: '',
      line: line.no,
      children: [],
    };
    addChild(stack[stack.length - 1], node);
    stack.push({ node, depth, style: n.style, pending: [], hasChild: false });
    headingCount++;
    contentBeforeLastHeading = contentSeen;
  };

  const addMeasure = (line: Line, n: Numbering): void => {
    // A sibling of a heading with the same numbering closes it.
    const same = stack.findIndex((o) => o.style === n.style);
    if (same >= 0) while (stack.length > same) pop();
    popMeasures();
    const [lead, rest] = splitLead(n.rest);
    addChild(stack[stack.length - 1], {
      level: TargetLevel.MEASURE,
      number: n.number,
      levelName: n.name,
      title: lead,
      body: rest,
      line: line.no,
      children: [],
    });
    contentSeen = true;
  };

  const addParagraph = (line: Line): void => {
    const top = stack[stack.length - 1];
    const last = top.node.children.at(-1);
    if (ANNOTATION.test(line.text) && top.hasChild && last?.level === TargetLevel.MEASURE) {
      // “牵头单位：区教委” on its own line belongs to the measure above it, not a measure of its own.
      last.body = last.body ? `${last.body}\n${line.text}` : line.text;
    } else if (ANNOTATION.test(line.text) && top.pending.length) {
      const previous = top.pending[top.pending.length - 1];
      top.pending[top.pending.length - 1] = { ...previous, text: `${previous.text}\n${line.text}` };
    } else if (top.node.level === TargetLevel.MEASURE) {
      top.node.body = top.node.body ? `${top.node.body}\n${line.text}` : line.text;
    } else if (top.hasChild) {
      top.node.children.push(paragraphMeasure(line));
    } else {
      top.pending.push(line);
    }
    contentSeen = true;
  };

  /** The last number of the 1. style so far: lists that run on across their headings continue it. */
  let lastArabic = 0;
  /** Whether `number` would follow the last sibling numbered in the 1. style ("6." before "7."). */
  const continuesArabic = (ordinal: number): boolean => {
    const previous = `${ordinal - 1}.`;
    const top = stack[stack.length - 1];
    return (
      ordinal === lastArabic + 1 ||
      stack.some((o) => o.style === '1.' && o.node.number === previous) ||
      (top !== undefined && top.node.children.at(-1)?.number === previous) ||
      (top?.node.level === TargetLevel.MEASURE && top.node.number === previous)
    );
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // "7.12345…", "3.2026年…": a measure whose text starts with digits, when the list before it reached 6. or 2.
    const glued = line.numbering ? null : GLUED_ARABIC.exec(line.text);
    if (glued && continuesArabic(Number(glued[1]))) {
      line.numbering = {
        style: '1.',
        name: '1.',
        number: `${glued[1]}.`,
        ordinal: Number(glued[1]),
        rest: glued[2],
      };
    }
    const n = line.numbering;
    if (n?.style === '1.') lastArabic = n.ordinal;
    if (n && isHeading(lines, i, stack, depths)) {
      if (headingCount === 0 && title === null && n.style.startsWith('#') && isTitle(n.rest)) {
        title = n.rest;
        continue;
      }
      openHeading(line, n);
    } else if (n) {
      addMeasure(line, n);
    } else if (stack.length === 0) {
      // Before the plan: page header, byline, preamble. Only the plan's title is kept.
      if (headingCount === 0 && title === null && isTitle(line.text)) title = line.text;
    } else if (
      !SENTENCE.test(line.text) &&
      !ANNOTATION.test(line.text) &&
      ((indentedParagraphs && !line.indented) || i > lastSolid)
    ) {
      continue;
    } else {
      addParagraph(line);
    }
  }
  while (stack.length) pop();

  if (nodes.length === 0) throw new PlanDocumentError('no headings or measures found in the plan text');
  return { title, nodes };
}

/** Non-empty, trimmed lines with their numbering; figure captions and page furniture are left out. */
function readLines(text: string): Line[] {
  const lines: Line[] = [];
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < raw.length; i++) {
    const source = raw[i].replace(/[\u200B-\u200D\u2060\uFEFF]/g, '');
    const text = source
      .replace(/\*\*|__/g, '')
      .replace(/^[\s\u3000\u00A0]+|[\s\u3000\u00A0]+$/g, '')
      .replace(/^>\s*/, '');
    if (text === '' || isJunk(text)) continue;
    lines.push({
      no: i + 1,
      text,
      indented: /^[\s\u3000\u00A0]/.test(source),
      numbering: readNumbering(text),
    });
  }
  return lines;
}

function isJunk(text: string): boolean {
  if (FIGURE.test(text) || SEPARATOR.test(text) || NUMERIC.test(text)) return true;
  if (text.length >= 80 && text.includes('。')) return false;
  return JUNK_ANYWHERE.test(text) || JUNK_FIELD.test(text) || JUNK_START.test(text) || MENU.test(text);
}

function readNumbering(text: string): Numbering | null {
  let m = MARKDOWN.exec(text);
  if (m) {
    // "## 第一章 总则": the # decides the depth, the printed number is kept.
    const inner = readNumbering(m[2]);
    return {
      style: m[1],
      name: inner?.name ?? m[1],
      number: inner?.number ?? '',
      ordinal: inner?.ordinal ?? NaN,
      rest: inner ? inner.rest : m[2],
      kind: inner?.kind,
      fixed: 'heading',
    };
  }
  m = STRUCTURAL.exec(text);
  // "第一节所列任务应于年底前完成。" is prose that happens to start like a heading.
  if (m && text.length <= MAX_HEADING_LENGTH && !text.includes('。')) {
    const kind = m[3] === '章' || m[3] === '节' ? m[3] : undefined;
    return {
      style: m[3],
      name: m[3],
      number: m[1],
      ordinal: parseChineseNumeral(m[2]),
      rest: m[4],
      kind,
      fixed: 'heading',
    };
  }
  m = ARTICLE.exec(text);
  if (m)
    return { style: '条', name: '条', number: m[1], ordinal: ordinalOf(m[2]), rest: m[3], fixed: 'measure' };
  for (const [style, pattern] of [
    ['一、', CN_LIST],
    ['（一）', CN_PAREN],
    ['1.', ARABIC_LIST],
    ['（1）', ARABIC_PAREN],
    ['①', CIRCLED],
  ] as const) {
    m = pattern.exec(text);
    if (m) return { style, name: style, number: m[1], ordinal: ordinalOf(m[2]), rest: m[3] };
  }
  return null;
}

function ordinalOf(numeral: string): number {
  if (/^[①-⑳]$/.test(numeral)) return numeral.charCodeAt(0) - 0x2460 + 1;
  if (/^[0-9０-９]+$/.test(numeral))
    return Number(numeral.replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10)));
  return parseChineseNumeral(numeral);
}

/**
 * Whether a numbered line is a heading rather than a numbered paragraph. A short line without a full stop
 * is a heading; a lead sentence with more text after it is a paragraph. A single short sentence
 * ("（一）加快建设科技创新中心。") is a heading only if what follows it looks like its content.
 */
function isHeading(lines: Line[], i: number, stack: Open[], depths: Map<string, number>): boolean {
  const n = lines[i].numbering as Numbering;
  if (n.fixed) return n.fixed === 'heading';
  const rest = n.rest;
  if (rest.length > MAX_HEADING_LENGTH) return false;
  const end = sentenceEnd(rest, false);
  if (end < 0) return true;
  if (!isClosingOnly(rest.slice(end + 1))) return false;
  const next = lines[i + 1]?.numbering;
  if (!next) return depths.has(n.style) && i + 1 < lines.length;
  return (
    !next.fixed && next.style !== n.style && !stack.some((o) => o.style === next.style) && next.rest !== ''
  );
}

function isClosingOnly(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!CLOSERS.has(c) && !WHITESPACE.has(c)) return false;
  }
  return true;
}

/** Index of the character that ends the lead sentence, outside quotes and brackets; -1 if none. */
function sentenceEnd(text: string, colon: boolean): number {
  // Char codes rather than one-character strings: CJK characters would each allocate a string.
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (OPENERS.has(c)) depth++;
    else if (CLOSERS.has(c)) depth = Math.max(0, depth - 1);
    else if (depth > 0) continue;
    else if (SENTENCE_ENDS.has(c)) return i;
    // "9:30" is a time, not a lead.
    else if (
      colon &&
      i < MAX_COLON_LEAD &&
      (c === FULL_COLON || (c === COLON && !isDigit(text.charCodeAt(i + 1))))
    )
      return i;
  }
  return -1;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function splitLead(text: string): [string, string] {
  const end = sentenceEnd(text, true);
  if (end < 0) return [text, ''];
  return [text.slice(0, end + 1), text.slice(end + 1).trim()];
}

function paragraphMeasure(line: Line): DocNode {
  const [title, body] = splitLead(line.text.replace(BULLET, ''));
  return { level: TargetLevel.MEASURE, number: '', levelName: '', title, body, line: line.no, children: [] };
}

function cleanHeading(text: string): string {
  return text
    .replace(PAGE_NUMBER, '')
    .replace(/[：:。]+$/, '')
    .trim();
}

function isTitle(text: string): boolean {
  return text.length <= 80 && TITLE.test(text) && !SENTENCE.test(text);
}

/** Web pages indent the plan's paragraphs; .docx and Markdown exports do not. */
function usesIndentedParagraphs(lines: Line[]): boolean {
  let prose = 0;
  let indented = 0;
  for (const l of lines) {
    if (l.numbering || l.text.length < 20 || !SENTENCE.test(l.text)) continue;
    prose++;
    if (l.indented) indented++;
  }
  return prose > 0 && indented / prose >= 0.7;
}

function expectOrdinal(n: Numbering, title: string, line: number, previous: number): void {
  if (n.ordinal !== previous + 1) {
    throw new PlanDocumentError(`${n.number} ${title} (line ${line}) does not follow number ${previous}`);
  }
}
