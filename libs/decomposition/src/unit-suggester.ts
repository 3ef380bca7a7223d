import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { LOCAL_KINDS, OrgUnitKind } from '@zhezi/org';
import { AssignmentRole } from '@zhezi/task';
import type { UnitSuggestion } from './draft-task.entity';

export interface KeywordEntry {
  orgUnitId: string;
  unitKind: OrgUnitKind;
  keyword: string;
  weight: number;
  /** The unit's place in the government's list: ties go to the unit listed first, the same in every database. */
  unitOrder: number;
}

/** A leading sentence says what the measure is about; its words count double. */
const TITLE_FACTOR = 2;
/** A department whose score reaches this share of the lead's is suggested as a supporting unit. */
const SUPPORT_SHARE = 0.35;
const MAX_SUPPORT = 3;

let baseJieba: Jieba | null = null;

/** Loading jieba's dictionary takes ~150 ms: once per process, and user words are added on top of it. */
export function jieba(): Jieba {
  baseJieba ??= Jieba.withDict(dict);
  return baseJieba;
}

/**
 * Scores units for a measure by the dictionary's keywords among the measure's words (jieba in search mode,
 * so 污水 is found inside 污水处理厂). The dictionary's words join jieba's, so place names such as 上庄 are
 * kept whole. Keywords with Latin letters or digits (PM2.5) are matched as substrings, which jieba would split.
 */
export class UnitSuggester {
  private readonly byKeyword = new Map<string, KeywordEntry[]>();
  private readonly literal: string[] = [];

  constructor(entries: readonly KeywordEntry[]) {
    const words: string[] = [];
    for (const entry of entries) {
      const list = this.byKeyword.get(entry.keyword);
      if (list) list.push(entry);
      else {
        this.byKeyword.set(entry.keyword, [entry]);
        if (/^[\u4e00-\u9fff]+$/.test(entry.keyword)) words.push(entry.keyword);
        else this.literal.push(entry.keyword);
      }
    }
    if (words.length) jieba().loadDict(Buffer.from(words.map((w) => `${w} 100000 n`).join('\n')));
  }

  suggest(title: string, body: string): UnitSuggestion[] {
    const scores = new Map<string, { entry: KeywordEntry; score: number; keywords: Set<string> }>();
    const count = (text: string, factor: number) => {
      for (const keyword of this.keywordsIn(text)) {
        for (const entry of this.byKeyword.get(keyword) ?? []) {
          const current = scores.get(entry.orgUnitId) ?? { entry, score: 0, keywords: new Set<string>() };
          current.score += entry.weight * factor;
          current.keywords.add(keyword);
          scores.set(entry.orgUnitId, current);
        }
      }
    };
    count(title, TITLE_FACTOR);
    count(body, 1);

    const ranked = [...scores.values()].sort(
      (a, b) => b.score - a.score || a.entry.unitOrder - b.entry.unitOrder,
    );
    const departments = ranked.filter((r) => r.entry.unitKind === OrgUnitKind.DEPARTMENT);
    const places = ranked.filter((r) => LOCAL_KINDS.includes(r.entry.unitKind));
    const [lead, ...others] = departments;
    const suggestion = (r: (typeof ranked)[number], role: AssignmentRole): UnitSuggestion => ({
      orgUnitId: r.entry.orgUnitId,
      role,
      score: Math.round(r.score * 100) / 100,
      keywords: [...r.keywords],
    });
    // Towns and subdistricts named in the text take part; leading is a department's job.
    const local = places.map((r) => suggestion(r, AssignmentRole.SUPPORT));
    if (!lead) return local;
    return [
      suggestion(lead, AssignmentRole.LEAD),
      ...others
        .filter((r) => r.score >= lead.score * SUPPORT_SHARE)
        .slice(0, MAX_SUPPORT)
        .map((r) => suggestion(r, AssignmentRole.SUPPORT)),
      ...local,
    ];
  }

  /** Each keyword once per text: a word repeated in one paragraph is emphasis, not a second topic. */
  private keywordsIn(text: string): Set<string> {
    const found = new Set<string>();
    for (const word of jieba().cutForSearch(text, false)) if (this.byKeyword.has(word)) found.add(word);
    for (const keyword of this.literal) if (text.includes(keyword)) found.add(keyword);
    return found;
  }
}
