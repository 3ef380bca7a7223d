import type { ApprovalKind } from '../../gql/graphql';
import { longDate } from '../../workdays';

/** A request's contents as label and text, per kind: what the approver decides on. */
export interface PayloadRow {
  label: string;
  text: string;
}

export interface PayloadFacts {
  kind: ApprovalKind;
  comment: string;
  /** The API's JSON: 延期 { previousDueAt, newDueAt, reason }; 调整 { changes, reason }; 分解审定 { draftTaskIds }. */
  payload: unknown;
  task?: { assignments: readonly { id: string; orgUnit: { name: string } }[] } | null;
  plan?: { title: string } | null;
}

type Json = Record<string, unknown>;
const object = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
const date = (v: unknown): string | undefined => (text(v) ? longDate(v as string) : undefined);

function adjustmentRows(payload: Json, facts: PayloadFacts): (PayloadRow | null)[] {
  const changes = object(payload.changes);
  const unitOf = new Map(facts.task?.assignments.map((a) => [a.id, a.orgUnit.name]));
  const milestones = list(changes.milestones).map(object);
  const added = list(changes.addSupportUnits);
  const removed = list(changes.removeAssignmentIds).map((id) => unitOf.get(String(id)) ?? '（已撤销的分工）');
  const row = (label: string, value: string | undefined) => (value ? { label, text: value } : null);
  return [
    row('调整理由', text(payload.reason)),
    row('新任务名称', text(changes.title)),
    row('新任务内容', text(changes.description)),
    row('新完成时限', date(changes.dueAt)),
    changes.milestones
      ? row(
          '时间节点（整体替换）',
          milestones.map((m) => `${date(m.dueAt) ?? ''} ${text(m.title) ?? ''}`.trim()).join('；') ||
            '全部取消',
        )
      : null,
    row('增加配合单位', added.length ? `${added.length} 个单位` : undefined),
    row('撤销分工', removed.join('、') || undefined),
  ];
}

export function payloadRows(facts: PayloadFacts): PayloadRow[] {
  const payload = object(facts.payload);
  const said = facts.comment ? { label: '申请说明', text: facts.comment } : null;
  let rows: (PayloadRow | null)[];
  switch (facts.kind) {
    case 'CLOSE_OUT':
      rows = [{ label: '完成情况说明', text: facts.comment || '（未填写）' }];
      break;
    case 'EXTENSION': {
      const reason = text(payload.reason);
      rows = [
        { label: '原完成时限', text: date(payload.previousDueAt) ?? '—' },
        { label: '申请延至', text: date(payload.newDueAt) ?? '—' },
        { label: '延期理由', text: reason ?? '—' },
        // The API copies the reason into the comment when none was given: show it once.
        facts.comment && facts.comment !== reason ? said : null,
      ];
      break;
    }
    case 'ADJUSTMENT':
      rows = adjustmentRows(payload, facts);
      break;
    case 'DECOMPOSITION':
      rows = [
        { label: '规划', text: facts.plan?.title ?? '—' },
        { label: '待发布的任务', text: `${list(payload.draftTaskIds).length} 项` },
        said,
      ];
      break;
  }
  return rows.filter((r): r is PayloadRow => r !== null);
}
