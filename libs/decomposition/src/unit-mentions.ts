/**
 * Where a measure's text names its units, the ways 任务分工方案 write it:
 * - as fields, in brackets of either width or on their own: “（牵头单位：区发展改革委；配合单位：区财政局、
 *   各街道（镇）；完成时限：2027年6月底）”, “责任单位：…”, “牵头部门：…；协同部门：…”, “【牵头单位】…”;
 * - with a verb, the units before it: “区教委牵头，区财政局配合”, “由区城管委负责”, “区水务局主责，… 参与”,
 *   “由区发展改革委会同区财政局负责”.
 * Fields win: where a text has them, verbs elsewhere in it are prose (“各街镇负责本辖区…”). Pure: the units
 * are resolved by the caller (see readUnitList), which also drops verb clauses that name no unit.
 */
import { looksLikeUnits, normalise, termSpans } from './blanket-units';

/** RESPONSIBLE (责任单位) lists the lead first and its support after it. */
export type MentionRole = 'LEAD' | 'SUPPORT' | 'RESPONSIBLE';

export interface UnitMention {
  role: MentionRole;
  /** The units as written. */
  list: string;
  form: 'FIELD' | 'VERB';
  /** The clause is only the units and the verb, so a name no unit answers to is still meant as a unit. */
  bare: boolean;
}

export interface TextMentions {
  units: UnitMention[];
  /** 责任领导 as written. */
  leaders: string[];
  /** Where the annotations are, [start, end) in the text. */
  spans: [number, number][];
}

type Label = MentionRole | 'LEADER' | 'OTHER';

const LABELS: readonly [Label, readonly string[]][] = [
  ['LEAD', ['牵头单位', '牵头部门', '主责单位', '主责部门', '主办单位', '牵头', '主责']],
  ['RESPONSIBLE', ['责任单位', '责任部门', '承办单位', '负责单位', '实施单位', '落实单位']],
  [
    'SUPPORT',
    [
      ...['配合单位', '配合部门', '协同单位', '协同部门', '参与单位', '参与部门', '协办单位', '协助单位'],
      ...['配合', '协同', '参与'],
    ],
  ],
  ['LEADER', ['责任领导', '牵头领导', '分管领导', '分管区领导', '责任区领导', '主管领导']],
  ['OTHER', ['完成时限', '完成时间', '时间节点', '时限要求', '时限', '进度安排', '备注']],
];
const LABEL_OF = new Map(LABELS.flatMap(([label, words]) => words.map((w) => [w, label] as const)));
const WORDS = [...LABEL_OF.keys()].sort((a, b) => b.length - a.length).join('|');
/** A label stands after the start, a bracket, punctuation or a space, and ends with a colon or its 】. */
const FIELD = new RegExp(`(?:【(${WORDS})】|(?<![\\u4e00-\\u9fff])(${WORDS})\\s*：)\\s*`, 'gu');

const VERB = /牵头|主责|负责|配合|协同|参与|协助|协办/gu;
const LEAD_VERBS = new Set(['牵头', '主责', '负责']);
/** What follows a verb that makes it a noun: 负责同志, 负责人, 负责制, 牵头单位, 配合单位. */
const NOT_A_VERB = /^(?:同志|人|制|单位|部门|领导|的|责任|任务)/u;
const CLAUSE_END = new Set([...'，；。！？\n（）【】']);
const FIELD_END = new Set([...'；。\n']);
const OPEN = new Set([...'（【']);
const CLOSE = new Set([...'）】']);

interface Clause {
  role: MentionRole;
  list: string;
  bare: boolean;
  /** The text of a second list after 会同, which supports. */
  with?: string;
}

/** A clause “[由]X[会同Y]牵头|配合…[…]” whose X reads as units. */
function verbClause(clause: string): Clause | null {
  for (const m of clause.matchAll(VERB)) {
    const rest = clause.slice(m.index + m[0].length);
    if (NOT_A_VERB.test(rest)) continue;
    const [units, partner] = clause.slice(0, m.index).replace(/^由/u, '').split('会同');
    if (!units || !looksLikeUnits(units) || (partner !== undefined && !looksLikeUnits(partner))) continue;
    const role: MentionRole = LEAD_VERBS.has(m[0]) ? 'LEAD' : 'SUPPORT';
    return { role, list: units, bare: rest.trim() === '', with: partner };
  }
  return null;
}

function toMentions(clause: Clause, form: UnitMention['form']): UnitMention[] {
  const mentions: UnitMention[] = [{ role: clause.role, list: clause.list, form, bare: clause.bare }];
  if (clause.with) mentions.push({ role: 'SUPPORT', list: clause.with, form, bare: clause.bare });
  return mentions;
}

/** Positions inside blanket and vague terms, whose brackets and 、 are part of the term. */
function termMask(norm: string): boolean[] {
  const mask = new Array<boolean>(norm.length).fill(false);
  for (const span of termSpans(norm)) mask.fill(true, span.start, span.end);
  return mask;
}

/** The end of a field's value: the next label, a 。；, a line break or a bracket closing around it. */
function valueEnd(norm: string, from: number, next: number, mask: boolean[]): number {
  let depth = 0;
  for (let i = from; i < next; i++) {
    if (mask[i]) continue;
    if (OPEN.has(norm[i])) depth++;
    else if (CLOSE.has(norm[i]) && depth-- === 0) return i;
    else if (depth === 0 && FIELD_END.has(norm[i])) return i;
  }
  return next;
}

/** Where the bracket around `at` closes, if `at` is the first thing inside it. */
function enclosingGroup(norm: string, at: number): [number, number] | null {
  let open = at - 1;
  while (open >= 0 && norm[open] === ' ') open--;
  if (open < 0 || norm[open] !== '（') return null;
  let depth = 0;
  for (let i = open; i < norm.length; i++) {
    if (norm[i] === '（') depth++;
    else if (norm[i] === '）' && --depth === 0) return [open, i + 1];
  }
  return null;
}

function fields(text: string, norm: string, mask: boolean[]): TextMentions {
  const found: TextMentions = { units: [], leaders: [], spans: [] };
  const labels = [...norm.matchAll(FIELD)].filter((m) => !mask[m.index]);
  labels.forEach((m, i) => {
    const label = LABEL_OF.get(m[1] ?? m[2]) as Label;
    const start = m.index + m[0].length;
    const end = valueEnd(norm, start, labels[i + 1]?.index ?? norm.length, mask);
    const value = text.slice(start, end).trim();
    found.spans.push(enclosingGroup(norm, m.index) ?? [m.index, end]);
    if (label === 'LEADER') {
      if (value) found.leaders.push(value);
      return;
    }
    if (label === 'OTHER') return;
    // Clauses after a comma belong to the field while they read as units (a verb may give their role).
    for (const part of value.split(/[，,]/u)) {
      const clause = verbClause(part.trim());
      if (clause) found.units.push(...toMentions(clause, 'FIELD'));
      else if (looksLikeUnits(part))
        found.units.push({ role: label, list: part.trim(), form: 'FIELD', bare: true });
      else break;
    }
  });
  return found;
}

function verbs(text: string, norm: string, mask: boolean[]): TextMentions {
  const found: TextMentions = { units: [], leaders: [], spans: [] };
  let start = 0;
  for (let i = 0; i <= norm.length; i++) {
    if (i < norm.length && (mask[i] || !CLAUSE_END.has(norm[i]))) continue;
    const clause = verbClause(text.slice(start, i).trim());
    if (clause) {
      found.units.push(...toMentions(clause, 'VERB'));
      // “…整治提升，由区城管委负责。”: the comma before the clause goes with it.
      found.spans.push([start > 0 && norm[start - 1] === '，' ? start - 1 : start, i]);
    }
    start = i + 1;
  }
  return found;
}

/** A text with no label and no verb names no unit (most of 10,000 rows' contents). */
const MENTION_HINT = new RegExp(`${WORDS}|${VERB.source}`, 'u');

export function findUnitMentions(text: string): TextMentions {
  if (!MENTION_HINT.test(text)) return { units: [], leaders: [], spans: [] };
  const norm = normalise(text);
  const mask = termMask(norm);
  const labelled = fields(text, norm, mask);
  if (labelled.units.length) return labelled;
  const written = verbs(text, norm, mask);
  return { units: written.units, leaders: labelled.leaders, spans: [...labelled.spans, ...written.spans] };
}

/** The text without the annotations that name its units (and their deadline), for a title. */
export function withoutUnitAnnotations(text: string): string {
  const { spans } = findUnitMentions(text);
  let result = '';
  let at = 0;
  for (const [start, end] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;
    result += text.slice(at, start);
    at = end;
  }
  return (result + text.slice(at)).trim();
}
