import { describe, expect, it } from 'vitest';
import { draftInput, problemsOf, submitProblems, valuesOf, type EditableDraft } from './drafts';

const unit = (
  orgUnitId: string,
  role: 'LEAD' | 'SUPPORT',
  source: 'TEXT' | 'SUGGESTED' | 'EDITED' = 'TEXT',
) => ({
  orgUnitId,
  role,
  source,
  orgUnit: { id: orgUnitId, name: orgUnitId },
});

const draft = (over: Partial<EditableDraft> = {}): EditableDraft => ({
  id: 'd1',
  version: 3,
  title: '推进污水管网建设',
  description: '完成管网改造',
  dueAt: '2026-12-31T15:59:59.999Z',
  units: [unit('swj', 'LEAD'), unit('czj', 'SUPPORT', 'SUGGESTED')],
  issues: [],
  responsibleLeader: null,
  ...over,
});

describe('a draft edit as the update it sends', () => {
  it('reads the draft into the form, the deadline as its Beijing day', () => {
    expect(valuesOf(draft())).toEqual({
      title: '推进污水管网建设',
      description: '完成管网改造',
      leadUnitIds: ['swj'],
      supportUnitIds: ['czj'],
      responsibleLeaderId: null,
      dueDay: '2026-12-31',
    });
  });

  it('sends only what changed, with the version read', () => {
    const d = draft();
    expect(draftInput(d, valuesOf(d))).toEqual({ id: 'd1', version: 3 });
    expect(
      draftInput(d, {
        ...valuesOf(d),
        title: ' 新名称 ',
        supportUnitIds: ['czj', 'jw'],
        dueDay: '2026-06-30',
      }),
    ).toEqual({
      id: 'd1',
      version: 3,
      title: '新名称',
      supportUnitIds: ['czj', 'jw'],
      dueAt: '2026-06-30T23:59:59.999+08:00',
    });
  });

  it('clears the responsible leader with null and sets one by id', () => {
    const d = draft({ responsibleLeader: { id: 'u1', displayName: '陈立华' } });
    expect(draftInput(d, { ...valuesOf(d), responsibleLeaderId: undefined })).toMatchObject({
      responsibleLeaderId: null,
    });
    expect(draftInput(draft(), { ...valuesOf(draft()), responsibleLeaderId: 'u2' })).toMatchObject({
      responsibleLeaderId: 'u2',
    });
  });

  it("sends a role's units, even unchanged, while that role has an open issue: saving settles it", () => {
    const issue = {
      kind: 'VAGUE_UNIT' as const,
      role: 'SUPPORT' as const,
      phrase: '相关街道',
      message: '',
      candidates: [],
    };
    const d = draft({ issues: [issue] });
    expect(draftInput(d, valuesOf(d))).toEqual({ id: 'd1', version: 3, supportUnitIds: ['czj'] });
    const leader = { ...issue, kind: 'AMBIGUOUS_LEADER' as const, role: null };
    expect(draftInput(draft({ issues: [leader] }), valuesOf(d))).toEqual({
      id: 'd1',
      version: 3,
      responsibleLeaderId: null,
    });
  });
});

describe('what blocks submitting', () => {
  const row = (id: string, code: string, over: Partial<EditableDraft> & { taskId?: string | null } = {}) => ({
    ...draft({ id, ...over }),
    code,
    taskId: over.taskId ?? null,
  });

  it('lists a draft without a lead, each open issue and a 序号 used twice, each with its draft', () => {
    const vague = {
      kind: 'VAGUE_UNIT' as const,
      role: 'LEAD' as const,
      phrase: '有关部门',
      message: '牵头单位写作“有关部门”',
      candidates: [],
    };
    const problems = problemsOf([
      row('a', '1'),
      row('b', '2', { units: [], issues: [vague] }),
      row('c', '2'),
      row('d', '3', { units: [], taskId: 't1' }),
    ]);
    expect(problems.map((p) => [p.draftId, p.code, p.field, p.message])).toEqual([
      ['b', '2', 'leadUnitIds', '尚未指定牵头单位'],
      ['b', '2', 'leadUnitIds', '牵头单位写作“有关部门”'],
      ['c', '2', 'code', '序号“2”重复'],
    ]);
  });

  it("reads a refused submission's issues, naming each draft", () => {
    const extensions = {
      issues: [
        { draftTaskId: 'b', code: '2', field: 'leadUnitIds', message: '第2项尚未指定牵头单位' },
        { nothing: true },
      ],
    };
    expect(submitProblems(extensions, (id) => `草稿${id}`)).toEqual([
      { draftId: 'b', code: '2', title: '草稿b', field: 'leadUnitIds', message: '第2项尚未指定牵头单位' },
    ]);
    expect(submitProblems({}, () => '')).toEqual([]);
  });
});
