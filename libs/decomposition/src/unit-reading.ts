import type { OrgUnit } from '@zhezi/org';
import { AssignmentRole } from '@zhezi/task';
import { isUnitLike, readUnitList, type ListEntry } from './blanket-units';
import { DraftIssueKind, unitIssue, type DraftTaskIssue } from './draft-units';
import type { UnitDirectory } from './unit-directory';
import { findUnitMentions, type UnitMention } from './unit-mentions';

/** Units read from what a text or a table writes, and what could not be read as units. */
export interface UnitsRead {
  lead: OrgUnit[];
  support: OrgUnit[];
  issues: DraftTaskIssue[];
}

/** A list's entries with the role each takes. */
type RoledEntries = [AssignmentRole, ListEntry[]][];

const candidatesOf = (units: OrgUnit[]) => units.map((u) => ({ id: u.id, name: u.name }));

/** An entry that names no unit for sure, as the draft's issue; null for units. */
function entryIssue(entry: ListEntry, role: AssignmentRole): DraftTaskIssue | null {
  switch (entry.kind) {
    case 'UNITS':
      return null;
    case 'VAGUE':
      return unitIssue(DraftIssueKind.VAGUE_UNIT, role, entry.phrase);
    case 'UNKNOWN':
      return unitIssue(DraftIssueKind.UNKNOWN_UNIT, role, entry.phrase);
    case 'AMBIGUOUS':
      return unitIssue(DraftIssueKind.AMBIGUOUS_UNIT, role, entry.phrase, candidatesOf(entry.candidates));
  }
}

/** Leads and supports from entries, each unit once (a lead is not also a support), with their issues. */
function collectUnits(roled: RoledEntries): UnitsRead {
  const read: UnitsRead = { lead: [], support: [], issues: [] };
  for (const [role, entries] of roled) {
    for (const entry of entries) {
      if (entry.kind === 'UNITS')
        (role === AssignmentRole.LEAD ? read.lead : read.support).push(...entry.units);
      const issue = entryIssue(entry, role);
      if (issue) read.issues.push(issue);
    }
  }
  const unique = (units: OrgUnit[]) => [...new Map(units.map((u) => [u.id, u])).values()];
  read.lead = unique(read.lead);
  read.support = unique(read.support).filter((u) => !read.lead.some((l) => l.id === u.id));
  return read;
}

/**
 * A mention's entries with their roles; a 责任单位 list's first entry leads. A verb clause that names
 * something other than units is prose and gives none, unless it is only a unit-like name and the verb
 * (“区文旅委牵头”).
 */
function mentionEntries(mention: UnitMention, directory: UnitDirectory): RoledEntries {
  const entries = readUnitList(mention.list, directory);
  if (mention.form === 'VERB') {
    const unsure = entries.filter((e) => e.kind === 'UNKNOWN' || e.kind === 'AMBIGUOUS');
    if (unsure.length && !(mention.bare && unsure.every((e) => isUnitLike(e.phrase)))) return [];
  }
  if (mention.role === 'RESPONSIBLE') {
    return [
      [AssignmentRole.LEAD, entries.slice(0, 1)],
      [AssignmentRole.SUPPORT, entries.slice(1)],
    ];
  }
  return [[mention.role === 'LEAD' ? AssignmentRole.LEAD : AssignmentRole.SUPPORT, entries]];
}

export interface TextUnits extends UnitsRead {
  /** 责任领导 as written. */
  leaders: string[];
  /** The text names units (or says it means some): the suggestions do not add to them. */
  named: boolean;
}

/** The units a measure's text (or a task's contents) names, see findUnitMentions. */
export function readTextUnits(text: string, directory: UnitDirectory): TextUnits {
  const mentions = findUnitMentions(text);
  const roled = mentions.units.flatMap((m) => mentionEntries(m, directory));
  const read = collectUnits(roled);
  return { ...read, leaders: mentions.leaders, named: roled.some(([, entries]) => entries.length > 0) };
}

export interface RowUnits extends UnitsRead {
  /** 责任领导 the contents write. */
  leaders: string[];
  /** Names no unit (or several) answers to: they refuse the file, with the column they are in. */
  refusals: { column: 'leadUnits' | 'supportUnits' | 'content'; message: string }[];
}

function refusalOf(entry: ListEntry): string | null {
  if (entry.kind === 'UNKNOWN') return `未找到单位“${entry.phrase}”（请使用单位全称或常用简称）`;
  if (entry.kind === 'AMBIGUOUS') {
    return `“${entry.phrase}”可指${entry.candidates.map((u) => u.name).join('、')}，请写明全称`;
  }
  return null;
}

/**
 * A table row's units: its 牵头单位 and 配合单位 columns, each read with blanket terms first (各街道、镇 is
 * every subdistrict and town); a role its column leaves empty is taken from what the 任务内容 writes
 * (“……（牵头单位：区教委；配合单位：各街镇）”). Vague phrases (相关街道) stay as the draft's issues.
 */
export function readRowUnits(
  cells: { leadUnits: string; supportUnits: string; content: string },
  directory: UnitDirectory,
): RowUnits {
  const content = readTextUnits(cells.content, directory);
  const refusals: RowUnits['refusals'] = [];
  const role = (which: AssignmentRole, column: 'leadUnits' | 'supportUnits') => {
    const entries = readUnitList(cells[column], directory);
    let read: UnitsRead;
    if (entries.length) {
      for (const entry of entries) {
        const message = refusalOf(entry);
        if (message) refusals.push({ column, message });
      }
      read = collectUnits([[which, entries]]);
    } else {
      read = { ...content, issues: content.issues.filter((i) => i.role === which) };
      for (const i of read.issues) {
        if (i.kind !== DraftIssueKind.VAGUE_UNIT) refusals.push({ column: 'content', message: i.message });
      }
    }
    return {
      units: which === AssignmentRole.LEAD ? read.lead : read.support,
      issues: read.issues.filter((i) => i.kind === DraftIssueKind.VAGUE_UNIT),
    };
  };
  const lead = role(AssignmentRole.LEAD, 'leadUnits');
  const support = role(AssignmentRole.SUPPORT, 'supportUnits');
  return {
    lead: lead.units,
    support: support.units.filter((u) => !lead.units.some((l) => l.id === u.id)),
    issues: [...lead.issues, ...support.issues],
    leaders: content.leaders,
    refusals,
  };
}
