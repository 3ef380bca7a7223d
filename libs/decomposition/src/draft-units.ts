import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AssignmentRole } from '@zhezi/task';

export enum UnitSource {
  TEXT = 'TEXT',
  SUGGESTED = 'SUGGESTED',
  EDITED = 'EDITED',
}

registerEnumType(UnitSource, {
  name: 'UnitSource',
  description: '草稿中承办单位的来源',
  valuesMap: {
    TEXT: { description: '原文写明（规划文件或表格）' },
    SUGGESTED: { description: '原文未写明，系统按关键词建议' },
    EDITED: { description: '审核时指定' },
  },
});

export enum DraftIssueKind {
  VAGUE_UNIT = 'VAGUE_UNIT',
  UNKNOWN_UNIT = 'UNKNOWN_UNIT',
  AMBIGUOUS_UNIT = 'AMBIGUOUS_UNIT',
  AMBIGUOUS_LEADER = 'AMBIGUOUS_LEADER',
  UNKNOWN_LEADER = 'UNKNOWN_LEADER',
}

registerEnumType(DraftIssueKind, {
  name: 'DraftIssueKind',
  valuesMap: {
    VAGUE_UNIT: { description: '原文未写明具体单位（如“相关街道”“各有关部门”）' },
    UNKNOWN_UNIT: { description: '原文写的单位在系统中不存在' },
    AMBIGUOUS_UNIT: { description: '原文写的单位名称可指多个单位' },
    AMBIGUOUS_LEADER: { description: '原文写的责任领导可指多位区领导' },
    UNKNOWN_LEADER: { description: '原文写的责任领导不是在任的区领导' },
  },
});

@ObjectType('IssueCandidate', { description: '可选的单位或区领导' })
export class IssueCandidate {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;
}

/** Stored in draft_task.issues as plain JSON. */
@ObjectType('DraftTaskIssue', {
  description: '原文中未能确定的单位或责任领导：审核时指定单位或领导即消除，未消除的不能提交审定',
})
export class DraftTaskIssue {
  @Field(() => DraftIssueKind)
  kind!: DraftIssueKind;

  @Field(() => AssignmentRole, { nullable: true, description: '涉及牵头单位或配合单位；责任领导为空' })
  role!: AssignmentRole | null;

  @Field({ description: '原文写法' })
  phrase!: string;

  @Field()
  message!: string;

  @Field(() => [IssueCandidate], { description: '可选的单位或区领导（如有）' })
  candidates!: IssueCandidate[];
}

@ObjectType('DraftUnit', { description: '草稿的一个承办单位及其来源' })
export class DraftUnit {
  @Field(() => ID)
  orgUnitId!: string;

  @Field(() => AssignmentRole)
  role!: AssignmentRole;

  @Field(() => UnitSource)
  source!: UnitSource;
}

/** What a draft's units and their reading are made of. */
export interface DraftUnitFields {
  leadUnitIds: string[];
  supportUnitIds: string[];
  /** Unit id → where it came from. */
  unitSources: Record<string, UnitSource>;
  issues: DraftTaskIssue[];
}

const ROLE_NAMES: Record<AssignmentRole, string> = {
  [AssignmentRole.LEAD]: '牵头单位',
  [AssignmentRole.SUPPORT]: '配合单位',
};

/** A unit the text names but that cannot be resolved to units. */
export function unitIssue(
  kind: DraftIssueKind.VAGUE_UNIT | DraftIssueKind.UNKNOWN_UNIT | DraftIssueKind.AMBIGUOUS_UNIT,
  role: AssignmentRole,
  phrase: string,
  candidates: IssueCandidate[] = [],
): DraftTaskIssue {
  const what = ROLE_NAMES[role];
  const message = {
    [DraftIssueKind.VAGUE_UNIT]: `${what}写作“${phrase}”，未写明具体单位，请指定`,
    [DraftIssueKind.UNKNOWN_UNIT]: `${what}“${phrase}”不是系统中的单位，请指定`,
    [DraftIssueKind.AMBIGUOUS_UNIT]: `${what}“${phrase}”可指${candidates.map((c) => c.name).join('、')}，请指定`,
  }[kind];
  return { kind, role, phrase, message, candidates };
}

export function leaderIssue(
  kind: DraftIssueKind.AMBIGUOUS_LEADER | DraftIssueKind.UNKNOWN_LEADER,
  phrase: string,
  reason: string,
  candidates: IssueCandidate[] = [],
): DraftTaskIssue {
  const choose = candidates.length ? `，可选：${candidates.map((c) => c.name).join('、')}` : '';
  return { kind, role: null, phrase, message: `责任领导“${phrase}”：${reason}${choose}，请指定`, candidates };
}

const isLeaderIssue = (issue: DraftTaskIssue) => issue.role === null;

/** The draft's units, leads first, each with where it came from (unrecorded: chosen by someone). */
export function unitsOf(draft: Pick<DraftUnitFields, 'leadUnitIds' | 'supportUnitIds' | 'unitSources'>) {
  const unit = (orgUnitId: string, role: AssignmentRole): DraftUnit => ({
    orgUnitId,
    role,
    source: draft.unitSources[orgUnitId] ?? UnitSource.EDITED,
  });
  return [
    ...draft.leadUnitIds.map((id) => unit(id, AssignmentRole.LEAD)),
    ...draft.supportUnitIds.map((id) => unit(id, AssignmentRole.SUPPORT)),
  ];
}

/**
 * The leader's edit of a draft's units or leader: a unit newly given a role is EDITED, one kept in its role
 * keeps its source; giving a role's units (even unchanged) settles that role's issues, giving the
 * responsible leader (or clearing it) settles the leader's.
 */
export function applyEdit(
  draft: DraftUnitFields,
  before: Pick<DraftUnitFields, 'leadUnitIds' | 'supportUnitIds'>,
  edited: { lead: boolean; support: boolean; leader: boolean },
): void {
  const sources: Record<string, UnitSource> = {};
  const keep = (ids: string[], previous: string[]) => {
    for (const id of ids) sources[id] = previous.includes(id) ? draft.unitSources[id] : UnitSource.EDITED;
  };
  keep(draft.leadUnitIds, before.leadUnitIds);
  keep(draft.supportUnitIds, before.supportUnitIds);
  draft.unitSources = sources;
  draft.issues = draft.issues.filter((issue) =>
    isLeaderIssue(issue)
      ? !edited.leader
      : !(issue.role === AssignmentRole.LEAD ? edited.lead : edited.support),
  );
}

/** Merged drafts keep every unit's source (the first draft's where they differ) and every open issue. */
export function mergeReadings(
  drafts: readonly DraftUnitFields[],
): Pick<DraftUnitFields, 'unitSources' | 'issues'> {
  const unitSources = Object.assign({}, ...[...drafts].reverse().map((d) => d.unitSources)) as Record<
    string,
    UnitSource
  >;
  const issues = drafts
    .flatMap((d) => d.issues)
    .filter(
      (issue, i, all) =>
        all.findIndex((o) => o.kind === issue.kind && o.role === issue.role && o.phrase === issue.phrase) ===
        i,
    );
  return { unitSources, issues };
}

/** The GraphQL field of the draft that an open issue concerns. */
export function issueField(issue: DraftTaskIssue): string {
  if (isLeaderIssue(issue)) return 'responsibleLeaderId';
  return issue.role === AssignmentRole.LEAD ? 'leadUnitIds' : 'supportUnitIds';
}
