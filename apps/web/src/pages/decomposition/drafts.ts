import type { AssignmentRole, DraftRowFragment, UnitSource, UpdateDraftTaskInput } from '../../gql/graphql';

/** Where a draft's unit came from: 原文 (the text), 推荐 (suggested by keywords), 手改 (chosen in review). */
export const SOURCE_LABEL: Record<UnitSource, string> = { TEXT: '原文', SUGGESTED: '推荐', EDITED: '手改' };
export const ROLE_LABEL: Record<AssignmentRole, string> = { LEAD: '牵头单位', SUPPORT: '配合单位' };

/** What the edit form holds. */
export interface DraftValues {
  title: string;
  description: string;
  leadUnitIds: string[];
  supportUnitIds: string[];
  responsibleLeaderId?: string | null;
  /** YYYY-MM-DD, a Beijing day. */
  dueDay: string;
}

export type EditableDraft = Pick<
  DraftRowFragment,
  'id' | 'version' | 'title' | 'description' | 'dueAt' | 'units' | 'issues' | 'responsibleLeader'
>;

/** The Beijing day of an instant, YYYY-MM-DD. */
export function beijingDay(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export const unitIdsOf = (draft: Pick<EditableDraft, 'units'>, role: AssignmentRole) =>
  draft.units.filter((u) => u.role === role).map((u) => u.orgUnitId);

export function valuesOf(draft: EditableDraft): DraftValues {
  return {
    title: draft.title,
    description: draft.description,
    leadUnitIds: unitIdsOf(draft, 'LEAD'),
    supportUnitIds: unitIdsOf(draft, 'SUPPORT'),
    responsibleLeaderId: draft.responsibleLeader?.id ?? null,
    dueDay: beijingDay(draft.dueAt),
  };
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id, i) => id === b[i]);

/**
 * The update the form asks for: only what changed, with the version read. A role with an open issue sends its
 * units even unchanged — saving the form is the leader's word that they are the right ones, which settles it.
 */
export function draftInput(draft: EditableDraft, values: DraftValues): UpdateDraftTaskInput {
  const before = valuesOf(draft);
  const open = (role: AssignmentRole | null) => draft.issues.some((i) => (i.role ?? null) === role);
  const input: UpdateDraftTaskInput = { id: draft.id, version: draft.version };
  const title = values.title.trim();
  if (title !== before.title) input.title = title;
  if (values.description !== before.description) input.description = values.description;
  if (!same(values.leadUnitIds, before.leadUnitIds) || open('LEAD')) input.leadUnitIds = values.leadUnitIds;
  if (!same(values.supportUnitIds, before.supportUnitIds) || open('SUPPORT'))
    input.supportUnitIds = values.supportUnitIds;
  const leader = values.responsibleLeaderId ?? null;
  if (leader !== before.responsibleLeaderId || open(null)) input.responsibleLeaderId = leader;
  if (values.dueDay !== before.dueDay) input.dueAt = `${values.dueDay}T23:59:59.999+08:00`;
  return input;
}

/** A problem that blocks submitting, leading to its draft. */
export interface DraftProblem {
  draftId: string;
  code: string;
  title: string;
  field: string;
  message: string;
}

/** What the server would refuse, read from the drafts: no lead unit, an open issue, a 序号 used twice. */
export function problemsOf(
  drafts: readonly Pick<DraftRowFragment, 'id' | 'code' | 'title' | 'units' | 'issues' | 'taskId'>[],
): DraftProblem[] {
  const problems: DraftProblem[] = [];
  const seen = new Set<string>();
  for (const d of drafts.filter((draft) => !draft.taskId)) {
    const add = (field: string, message: string) =>
      problems.push({ draftId: d.id, code: d.code, title: d.title, field, message });
    if (!d.units.some((u) => u.role === 'LEAD')) add('leadUnitIds', '尚未指定牵头单位');
    for (const issue of d.issues) {
      const field = !issue.role
        ? 'responsibleLeaderId'
        : issue.role === 'LEAD'
          ? 'leadUnitIds'
          : 'supportUnitIds';
      add(field, issue.message);
    }
    if (seen.has(d.code)) add('code', `序号“${d.code}”重复`);
    seen.add(d.code);
  }
  return problems;
}

/** The problems a refused submission lists in `extensions.issues`, for drafts the page may not have loaded. */
export function submitProblems(
  extensions: Record<string, unknown> | undefined,
  titleOf: (id: string) => string,
): DraftProblem[] {
  const issues = extensions?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((i: unknown) => {
    const issue = i as { draftTaskId?: unknown; code?: string; field?: string; message?: unknown };
    if (typeof issue.draftTaskId !== 'string' || typeof issue.message !== 'string') return [];
    return [
      {
        draftId: issue.draftTaskId,
        code: String(issue.code ?? ''),
        title: titleOf(issue.draftTaskId),
        field: String(issue.field ?? ''),
        message: issue.message,
      },
    ];
  });
}
