import { ESCALATION_ACTION_LABEL } from '../../labels';
import { shortDate } from '../../workdays';

/** What a timeline entry is about; the page filters by it. */
export type TimelineKind = 'report' | 'approval' | 'escalation' | 'notice' | 'audit';

export const TIMELINE_KIND_LABEL: Record<TimelineKind, string> = {
  report: '进展',
  approval: '审批',
  escalation: '督办',
  notice: '督办单',
  audit: '留痕',
};

export interface TimelineEntry {
  key: string;
  at: string;
  kind: TimelineKind;
  title: string;
  actor?: string;
  lines: string[];
  evidence?: readonly EvidenceFile[];
  tone: 'normal' | 'success' | 'warning' | 'danger';
}

export interface EvidenceFile {
  id: string;
  fileName: string;
  sizeBytes: number;
}

/** The parts of a share (and its audit trail) the timeline is made of. */
export interface TimelineSource {
  progressReports: readonly {
    id: string;
    period: string;
    percent: number;
    text: string;
    reason?: string | null;
    revision: number;
    submittedAt: string;
    submittedBy: { displayName: string };
    evidence: readonly EvidenceFile[];
  }[];
  approvalRequests: readonly {
    id: string;
    kind: string;
    status: string;
    comment: string;
    payload: unknown;
    createdAt: string;
    closedAt?: string | null;
    currentStep?: number | null;
    requestedBy: { displayName: string };
    steps: readonly {
      id: string;
      name: string;
      position: number;
      approvers: readonly { id: string; displayName: string }[];
      decisions: readonly {
        id: string;
        approverId: string;
        decision: string;
        comment: string;
        decidedAt: string;
      }[];
    }[];
  }[];
  escalations: readonly {
    id: string;
    action: string;
    outcome: string;
    firedAt: string;
    reason?: string | null;
  }[];
  supervisionNotices: readonly {
    id: string;
    code: string;
    reason: string;
    openedAt: string;
    openedById?: string | null;
    responseDueAt: string;
    answeredAt?: string | null;
    response?: string | null;
    newPlan?: string | null;
    closedAt?: string | null;
    returnCount: number;
    returnReason?: string | null;
  }[];
  children: readonly { id: string; createdAt: string; dueAt: string; orgUnit: { name: string } }[];
}

export interface AuditEntry {
  id: string;
  action: string;
  actorName: string;
  occurredAt: string;
  before?: unknown;
  after?: unknown;
}

const REQUEST_LABEL: Record<string, string> = {
  CLOSE_OUT: '申请销号',
  EXTENSION: '申请延期',
  ADJUSTMENT: '申请调整',
};

/** A field of a JSON object from the API (payloads, audit states), as text; '' when absent. */
function text(value: unknown, key: string): string {
  if (typeof value !== 'object' || value === null) return '';
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' || typeof field === 'number' ? String(field) : '';
}

const dateOf = (value: unknown, key: string) => {
  const iso = text(value, key);
  return iso ? shortDate(iso) : '';
};

/** A share's 完成时限 as its audit event recorded it: 长期 for an ongoing duty. */
const dueOf = (share: unknown) => (text(share, 'dueKind') === 'ONGOING' ? '长期' : dateOf(share, 'dueAt'));

/** Audit events the other entries already tell better (a report, a request, a decision), left out. */
const TOLD_ELSEWHERE = new Set([
  'assignment.report_progress',
  'assignment.request_close_out',
  'assignment.withdraw_close_out',
  'assignment.return',
]);

function auditEntry(event: AuditEntry): TimelineEntry | null {
  if (TOLD_ELSEWHERE.has(event.action)) return null;
  const base = {
    key: `audit-${event.id}`,
    at: event.occurredAt,
    kind: 'audit' as const,
    actor: event.actorName,
  };
  const reason = text(event.after, 'reason');
  const lines = reason ? [`理由：${reason}`] : [];
  switch (event.action) {
    case 'assignment.assign':
      return { ...base, title: '交办', lines: [`完成时限 ${dueOf(event.after)}`], tone: 'normal' };
    case 'assignment.split':
      return {
        ...base,
        title: `由${text(event.after, 'parentUnitName') || '上级部门'}分解交办`,
        lines: [`完成时限 ${dueOf(event.after)}`],
        tone: 'normal',
      };
    case 'assignment.accept':
      return { ...base, title: '签收', lines, tone: 'success' };
    case 'assignment.close':
    case 'assignment.close_with_parts':
      return { ...base, title: '已销号', lines, tone: 'success' };
    case 'assignment.suspend':
      return { ...base, title: '暂停', lines, tone: 'warning' };
    case 'assignment.resume':
      return { ...base, title: '恢复', lines, tone: 'normal' };
    case 'assignment.extend':
      return {
        ...base,
        title: '延期生效',
        lines: [`完成时限 ${dateOf(event.before, 'dueAt')} → ${dateOf(event.after, 'dueAt')}`, ...lines],
        tone: 'success',
      };
    case 'assignment.progress_rollup':
      return {
        ...base,
        title: `进度按街镇汇总为 ${text(event.after, 'progressPercent')}%`,
        lines: [],
        tone: 'normal',
      };
    case 'assignment.transfer':
      return {
        ...base,
        title: `由${text(event.after, 'fromOrgUnitName')}转入（机构合并）`,
        lines,
        tone: 'normal',
      };
    default:
      return { ...base, title: '变更记录', lines, tone: 'normal' };
  }
}

function reportEntries(source: TimelineSource): TimelineEntry[] {
  return source.progressReports.map((r) => ({
    key: `report-${r.id}`,
    at: r.submittedAt,
    kind: 'report',
    title: `报送进展 ${r.period}：${r.percent}%${r.revision > 1 ? `（第 ${r.revision} 次报送）` : ''}`,
    actor: r.submittedBy.displayName,
    lines: [r.text, ...(r.reason ? [`进度回调原因：${r.reason}`] : [])],
    evidence: r.evidence,
    tone: 'normal',
  }));
}

function approvalEntries(source: TimelineSource): TimelineEntry[] {
  return source.approvalRequests.flatMap((request) => {
    const label = REQUEST_LABEL[request.kind] ?? '审批申请';
    const current = request.steps.find((s) => s.position === request.currentStep);
    const state: Record<string, string> = {
      PENDING: `审批中${current ? `：第 ${current.position} 步 ${current.name}` : ''}`,
      APPROVED: '已通过',
      REJECTED: '已退回',
      WITHDRAWN: '已撤回',
    };
    const newDueAt = dateOf(request.payload, 'newDueAt');
    const opened: TimelineEntry = {
      key: `request-${request.id}`,
      at: request.createdAt,
      kind: 'approval',
      title: `${label}${newDueAt ? `：延至 ${newDueAt}` : ''}（${state[request.status] ?? request.status}）`,
      actor: request.requestedBy.displayName,
      lines: [text(request.payload, 'reason') || request.comment].filter(Boolean),
      tone: request.status === 'REJECTED' ? 'danger' : request.status === 'APPROVED' ? 'success' : 'normal',
    };
    const decisions = request.steps.flatMap((step) =>
      step.decisions.map<TimelineEntry>((d) => ({
        key: `decision-${d.id}`,
        at: d.decidedAt,
        kind: 'approval',
        title: `${label}：${step.name}${d.decision === 'APPROVE' ? '同意' : '退回'}`,
        actor: step.approvers.find((a) => a.id === d.approverId)?.displayName,
        lines: d.comment ? [`意见：${d.comment}`] : [],
        tone: d.decision === 'APPROVE' ? 'success' : 'danger',
      })),
    );
    const withdrawn: TimelineEntry[] =
      request.status === 'WITHDRAWN' && request.closedAt
        ? [
            {
              key: `withdraw-${request.id}`,
              at: request.closedAt,
              kind: 'approval',
              title: `撤回${label.replace(/^申请/, '')}申请`,
              lines: [],
              tone: 'warning',
            },
          ]
        : [];
    return [opened, ...decisions, ...withdrawn];
  });
}

function escalationEntries(source: TimelineSource): TimelineEntry[] {
  return source.escalations.map((e) => {
    const label = (ESCALATION_ACTION_LABEL as Record<string, string>)[e.action] ?? '督办';
    const skipped = e.outcome === 'SKIPPED';
    return {
      key: `escalation-${e.id}`,
      at: e.firedAt,
      kind: 'escalation',
      title: skipped ? `督查室跳过${label}` : label,
      lines: e.reason ? [`理由：${e.reason}`] : [],
      tone: skipped || e.action === 'REMIND' ? 'normal' : 'warning',
    };
  });
}

function noticeEntries(source: TimelineSource): TimelineEntry[] {
  return source.supervisionNotices.flatMap((n) => {
    const entries: TimelineEntry[] = [
      {
        key: `notice-${n.id}`,
        at: n.openedAt,
        kind: 'notice',
        title: `开具督办单 ${n.code}`,
        // By an inspector's hand, or by the ladder's 督办 level.
        actor: n.openedById ? '督查室' : '督办流程自动开具',
        lines: [`督办事由：${n.reason}`, `答复时限 ${shortDate(n.responseDueAt)}`],
        tone: 'danger',
      },
    ];
    if (n.answeredAt) {
      entries.push({
        key: `answer-${n.id}`,
        at: n.answeredAt,
        kind: 'notice',
        title: `答复督办单 ${n.code}`,
        lines: [
          ...(n.response ? [`整改说明：${n.response}`] : []),
          ...(n.newPlan ? [`推进计划：${n.newPlan}`] : []),
          ...(n.returnCount > 0
            ? [`曾被退回 ${n.returnCount} 次${n.returnReason ? `：${n.returnReason}` : ''}`]
            : []),
        ],
        tone: 'normal',
      });
    }
    if (n.closedAt) {
      entries.push({
        key: `closed-${n.id}`,
        at: n.closedAt,
        kind: 'notice',
        title: `督办单 ${n.code} 已办结`,
        lines: [],
        tone: 'success',
      });
    }
    return entries;
  });
}

/** Parts split off in one go (one transaction, one timestamp) make one entry. */
function splitEntries(source: TimelineSource): TimelineEntry[] {
  const byTime = new Map<string, TimelineSource['children'][number][]>();
  for (const child of source.children)
    byTime.set(child.createdAt, [...(byTime.get(child.createdAt) ?? []), child]);
  return [...byTime].map(([at, parts]) => ({
    key: `split-${parts[0].id}`,
    at,
    kind: 'audit',
    title: `分解到街镇：${parts.map((p) => p.orgUnit.name).join('、')}`,
    lines: parts.map((p) => `${p.orgUnit.name} 完成时限 ${shortDate(p.dueAt)}`),
    tone: 'normal',
  }));
}

/** Everything that happened to the share, newest first. */
export function buildTimeline(source: TimelineSource, audit: readonly AuditEntry[]): TimelineEntry[] {
  const entries = [
    ...reportEntries(source),
    ...approvalEntries(source),
    ...escalationEntries(source),
    ...noticeEntries(source),
    ...splitEntries(source),
    ...audit.map(auditEntry).filter((e): e is TimelineEntry => e !== null),
  ];
  return entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
