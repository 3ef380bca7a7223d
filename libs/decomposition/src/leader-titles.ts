import type { EntityManager } from 'typeorm';
import { Role } from '@zhezi/core';
import { User } from '@zhezi/org';
import { DraftIssueKind, leaderIssue, type DraftTaskIssue, type IssueCandidate } from './draft-units';

/** A 责任领导 as written, read: the one leader it means, the several it could mean, or no serving leader. */
export type LeaderReading =
  | { kind: 'LEADER'; leader: User }
  | { kind: 'CANDIDATES'; candidates: User[]; reason: string }
  | { kind: 'UNKNOWN' };

/** “分管副区长” / “分管区领导”: the leader overseeing the lead unit (see leader portfolios). */
const OVERSEEING = /^分管(副区长|区长|区领导|领导)?$/u;
/** Titles that stand for any leader. */
const ANY_LEADER = new Set(['', '区领导', '领导', '区政府领导']);

/** Leaders a title written on a list may mean: 区长 is the 区长; 副区长 also a 常务副区长. */
function holding(title: string, leaders: readonly User[]): User[] {
  if (ANY_LEADER.has(title)) return [...leaders];
  return leaders.filter((l) => l.title === title || (title === '副区长' && !!l.title?.endsWith(title)));
}

export interface LeaderContext {
  /** Serving leaders. */
  leaders: readonly User[];
  /** Unit id → the leader overseeing it (分管). */
  overseerOf: ReadonlyMap<string, string>;
  /** The draft's lead units, the principal one first. */
  leadUnitIds: readonly string[];
  /** Names of the lead units, for the message when no one oversees them. */
  leadUnitNames: readonly string[];
}

/**
 * Reads a 责任领导: a name (王伟, 王伟副区长, 副区长王伟), a title (区长, 常务副区长, 副区长) or 分管副区长.
 * A title or name held by one serving leader is that leader; held by several, the one overseeing the lead
 * unit is taken; failing that, the candidates are returned for the leader to choose. 分管… is the leader
 * overseeing the lead unit, whatever their title; with no one overseeing it, the leaders holding the title.
 */
export function readLeader(written: string, context: LeaderContext): LeaderReading | null {
  const text = written.replace(/\s/g, '');
  if (!text) return null;
  const { leaders, overseerOf, leadUnitIds } = context;
  const overseer = leadUnitIds.map((id) => overseerOf.get(id)).find(Boolean);
  const overseeing = OVERSEEING.exec(text);
  let candidates: User[];
  if (overseeing) {
    const leader = leaders.find((l) => l.id === overseer);
    if (leader) return { kind: 'LEADER', leader };
    candidates = holding(overseeing[1] ?? '', leaders);
  } else {
    const named = leaders.filter((u) => {
      const title = u.title ?? '';
      return [u.displayName, `${u.displayName}${title}`, `${title}${u.displayName}`].includes(text);
    });
    candidates = named.length ? named : holding(text, leaders);
    if (!candidates.length) return { kind: 'UNKNOWN' };
  }
  if (candidates.length === 1) return { kind: 'LEADER', leader: candidates[0] };
  const chosen = candidates.find((l) => l.id === overseer);
  if (chosen) return { kind: 'LEADER', leader: chosen };
  const reason = overseeing
    ? `${context.leadUnitNames[0] ?? '牵头单位'}尚未设置分管区领导`
    : `有多位区领导可称“${text}”`;
  return { kind: 'CANDIDATES', candidates, reason };
}

/** A leader for an issue's choices: 陈立华（区长）. */
function leaderCandidate(leader: User): IssueCandidate {
  return {
    id: leader.id,
    name: leader.title ? `${leader.displayName}（${leader.title}）` : leader.displayName,
  };
}

/** A 责任领导 that names no one leader, as the draft's issue for the leader to settle. */
export function leaderReadingIssue(
  written: string,
  reading: Exclude<LeaderReading, { kind: 'LEADER' }>,
): DraftTaskIssue {
  return reading.kind === 'UNKNOWN'
    ? leaderIssue(DraftIssueKind.UNKNOWN_LEADER, written, '不是在任的区领导')
    : leaderIssue(
        DraftIssueKind.AMBIGUOUS_LEADER,
        written,
        reading.reason,
        reading.candidates.map(leaderCandidate),
      );
}

/** Serving leaders, in one order everywhere, so candidates are listed alike each time. */
export function servingLeaders(manager: EntityManager): Promise<User[]> {
  return manager.find(User, { where: { role: Role.LEADER, active: true }, order: { username: 'ASC' } });
}
