import { OrgUnitKind, type OrgUnit } from '@zhezi/org';
import type { UnitDirectory } from './unit-directory';

/** What a blanket term covers. */
export type UnitGroup = 'LOCAL' | 'SUBDISTRICT' | 'TOWN' | 'DEPARTMENT';

const GROUP_KINDS: Record<UnitGroup, readonly OrgUnitKind[]> = {
  LOCAL: [OrgUnitKind.SUBDISTRICT, OrgUnitKind.TOWN],
  SUBDISTRICT: [OrgUnitKind.SUBDISTRICT],
  TOWN: [OrgUnitKind.TOWN],
  DEPARTMENT: [OrgUnitKind.DEPARTMENT],
};

const AND = '[、，和及与]';
/** In Haidian the 地区办事处 are the towns: 街道（地区） is every subdistrict and town. */
const TOWNISH = '(?:地区|镇|乡镇|地区[、，]镇|镇[、，]地区|乡[、，]镇)';

/**
 * Terms that name every unit of a kind, on text with brackets and punctuation made full-width (see
 * normalise). Tried in this order, so the longer forms claim their text first: 各街道、镇 is one term, not
 * 各街道 and 镇.
 */
const BLANKET_TERMS: readonly [RegExp, UnitGroup][] = [
  [new RegExp(`(?:全区)?各镇(?:政府)?${AND}?各?街道(?:（地区）)?(?:办事处)?`, 'g'), 'LOCAL'],
  [
    new RegExp(`(?:全区)?各街道(?:办事处)?（${TOWNISH}）(?:办事处)?(?:${AND}各?(?:镇|乡镇)(?:政府)?)?`, 'g'),
    'LOCAL',
  ],
  [new RegExp(`(?:全区)?各街道(?:办事处)?${AND}各?(?:镇|乡镇|地区)(?:政府|办事处)?`, 'g'), 'LOCAL'],
  [/(?:全区)?(?:各街镇|各镇街|各街乡镇|各街道乡?镇|(?:29|二十九)个街(?:道[、，])?镇)/g, 'LOCAL'],
  [/(?:全区)?各街道(?:办事处)?/g, 'SUBDISTRICT'],
  [/(?:全区)?各(?:镇政府|地区办事处|乡镇|镇)/g, 'TOWN'],
  [
    /(?:区政府|区属|区直|区级|全区)?各(?:委办局|委、办、局|职能部门|区属部门|部门)|区(?:属|直|级)?各部门/g,
    'DEPARTMENT',
  ],
];

/**
 * Phrases that say some units without saying which: 相关街道, 各有关部门, 属地街镇, “区城管委等相关部门”'s
 * 等相关部门. They are kept as written for the leader to resolve.
 */
const VAGUE_TERMS: readonly RegExp[] = [
  /等(?:其他)?(?:相关|有关)(?:部门|单位|街道|街镇)/g,
  new RegExp(
    '(?:其他|区|各|区政府)?(?:相关|有关|涉及|属地)的?各?' +
      '(?:街道|街镇|镇街|乡镇|镇|地区|部门|单位|委办局|职能部门|区属部门|区级部门)' +
      `(?:（${TOWNISH}）)?(?:${AND}(?:镇|地区|乡镇))?`,
    'g',
  ),
];

const TERM_HINT = /[各关属涉]|29|二十九/u;

/** A name that reads as a unit even when none answers to it (a typo, a unit that does not exist). */
const UNIT_LIKE = /(?:委员会|委|局|办公室|办|处|中心|街道|镇|地区|管委会|政府|集团|公司|医院|站|所|队)$/u;

const SEPARATORS = new Set([...'、，；/／ \t\n']);

/** One to one, so that positions in the result are positions in what was written. */
export function normalise(text: string): string {
  const map: Record<string, string> = {
    '(': '（',
    ')': '）',
    ':': '：',
    ',': '，',
    ';': '；',
    '\u3000': ' ',
    '\u00a0': ' ',
  };
  return text.replace(/[():,;\u3000\u00a0]/g, (c) => map[c]);
}

export interface TermSpan {
  start: number;
  end: number;
  group?: UnitGroup;
  vague?: boolean;
}

/** Where the blanket and vague terms are in a text, in order; the longer forms claim their text first. */
export function termSpans(text: string): TermSpan[] {
  const claimed: TermSpan[] = [];
  // Every term has one of these; most cells and sentences have none (10,000 rows are read per import).
  if (!TERM_HINT.test(text)) return claimed;
  const norm = normalise(text);
  const claim = (re: RegExp, tag: { group?: UnitGroup; vague?: boolean }) => {
    for (const m of norm.matchAll(re)) {
      const [start, end] = [m.index, m.index + m[0].length];
      if (!claimed.some((c) => start < c.end && c.start < end)) claimed.push({ start, end, ...tag });
    }
  };
  for (const re of VAGUE_TERMS) claim(re, { vague: true });
  for (const [re, group] of BLANKET_TERMS) claim(re, { group });
  return claimed.sort((a, b) => a.start - b.start);
}

export interface ListPiece {
  /** As written. */
  phrase: string;
  group?: UnitGroup;
  vague?: boolean;
}

/**
 * Splits a list of units (区财政局、各街道（地区、镇）和区教委) into its parts: blanket and vague terms are
 * found first and kept whole, then the rest is split on 、，；/ and spaces. “等”, “等部门” closing a list is
 * dropped.
 */
export function splitUnitList(text: string): ListPiece[] {
  const norm = normalise(text);
  const claimed = termSpans(text);
  const pieces: ListPiece[] = [];
  const plain = (from: number, to: number) => {
    let start = from;
    for (let i = from; i <= to; i++) {
      if (i === to || SEPARATORS.has(norm[i])) {
        const phrase = text
          .slice(start, i)
          .replace(/^[和及与]|等(?:部门|单位)?$/gu, '')
          .trim();
        if (phrase) pieces.push({ phrase });
        start = i + 1;
      }
    }
  };
  let at = 0;
  for (const c of claimed) {
    plain(at, c.start);
    pieces.push({ phrase: text.slice(c.start, c.end), group: c.group, vague: c.vague });
    at = c.end;
  }
  plain(at, norm.length);
  return pieces;
}

/** Whether a list reads as units (for text around it that may be prose): every part a term or unit-like. */
export function looksLikeUnits(text: string): boolean {
  const pieces = splitUnitList(text);
  return pieces.length > 0 && pieces.every((p) => p.group || p.vague || UNIT_LIKE.test(p.phrase));
}

export type ListEntry =
  | { phrase: string; kind: 'UNITS'; units: OrgUnit[] }
  | { phrase: string; kind: 'VAGUE' | 'UNKNOWN' }
  | { phrase: string; kind: 'AMBIGUOUS'; candidates: OrgUnit[] };

/**
 * A list of units as written → what each part means: units (a name, or every unit a blanket term covers),
 * a vague phrase, a name no unit answers to, or a name several do. The order of the list is kept: where a
 * list names the lead first (责任单位), its first entry is the lead.
 */
export function readUnitList(text: string, directory: UnitDirectory): ListEntry[] {
  return splitUnitList(text).flatMap((piece): ListEntry[] => {
    if (piece.group) {
      return [{ phrase: piece.phrase, kind: 'UNITS', units: directory.ofKinds(GROUP_KINDS[piece.group]) }];
    }
    if (piece.vague) return [{ phrase: piece.phrase, kind: 'VAGUE' }];
    const found = directory.find(piece.phrase);
    if (Array.isArray(found)) return [{ phrase: piece.phrase, kind: 'AMBIGUOUS', candidates: found }];
    if (found) return [{ phrase: piece.phrase, kind: 'UNITS', units: [found] }];
    // 区财政局和区审计局: a conjunction between names, where the names are units (区文化和旅游局 is one).
    const parts = piece.phrase.split(/以及|[和及与]/u).filter(Boolean);
    const units = parts.map((p) => directory.find(p));
    if (parts.length > 1 && units.every((u) => u && !Array.isArray(u))) {
      return parts.map((p, i) => ({ phrase: p, kind: 'UNITS', units: [units[i] as OrgUnit] }));
    }
    return [{ phrase: piece.phrase, kind: 'UNKNOWN' }];
  });
}

/** Whether a name no unit answers to still reads as a unit's name (区文旅委), rather than prose. */
export function isUnitLike(name: string): boolean {
  return UNIT_LIKE.test(name);
}
