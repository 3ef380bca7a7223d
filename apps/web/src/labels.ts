import type {
  ApprovalDecisionKind,
  ApprovalKind,
  ApprovalStatus,
  ApprovalStepStatus,
  AssignmentRole,
  AssignmentStatus,
  DueKind,
  EscalationAction,
  Light,
  NotificationKind,
  OrgUnitKind,
  Role,
  SupervisionNoticeStatus,
  TaskPriority,
  TaskStatus,
} from './gql/graphql';

/** The words of UI.md and GLOSSARY.md, one place for each label. */
export const ROLE_LABEL: Record<Role, string> = {
  ADMIN: '管理员',
  DEPARTMENT_HEAD: '部门负责人',
  DEPARTMENT_OFFICER: '部门经办人',
  INSPECTOR: '督查员',
  LEADER: '区领导',
  SUBDISTRICT_HEAD: '街镇负责人',
  SUBDISTRICT_OFFICER: '街镇经办人',
};

export const STATUS_LABEL: Record<AssignmentStatus, string> = {
  ASSIGNED: '待签收',
  ACCEPTED: '已签收',
  IN_PROGRESS: '推进中',
  CLOSE_OUT_REQUESTED: '销号审批中',
  CLOSED: '已销号',
  RETURNED: '已退回',
  SUSPENDED: '已暂停',
};

/** The same three colours everywhere (tables, kanban, charts); always shown with a word. */
export const LIGHT_COLOR: Record<Light, string> = { RED: '#cf1322', YELLOW: '#d48806', GREEN: '#389e0d' };

export const UNIT_ROLES: readonly Role[] = [
  'DEPARTMENT_HEAD',
  'DEPARTMENT_OFFICER',
  'SUBDISTRICT_HEAD',
  'SUBDISTRICT_OFFICER',
];

/** The light's word: 逾期 3 天 / 临期 / 正常, or 已销号 for a closed share (which has no light). */
export function lightWord(light: Light | null | undefined, daysOverdue: number): string {
  if (!light) return '已销号';
  if (light === 'RED') return daysOverdue > 0 ? `逾期 ${daysOverdue} 天` : '督办中';
  return light === 'YELLOW' ? '临期' : '正常';
}

/** The API's label says 下一步：…; where the column or field is already called 下一步, the rest suffices. */
export function nextStep(next: { label: string } | null | undefined): string {
  return next ? next.label.replace(/^下一步[：:]\s*/, '') : '—';
}

export const UNIT_KIND_LABEL: Record<OrgUnitKind, string> = {
  GOVERNMENT: '区政府',
  DEPARTMENT: '委办局',
  SUBDISTRICT: '街道',
  TOWN: '镇 / 地区',
  INSPECTORATE: '督查室',
};

/** The ladder's steps in the glossary's words (提醒 → 催办 → 督办 → 通报 → 约谈), in ladder order. */
export const ESCALATION_ACTION_LABEL: Record<EscalationAction, string> = {
  REMIND: '提醒',
  URGE: '催办',
  SUPERVISE: '督办',
  REPORT: '通报',
  INTERVIEW: '约谈',
};

/** 销号 / 延期 / 调整 / 分解审定: the kinds of request as the glossary names them. */
export const APPROVAL_KIND_LABEL: Record<ApprovalKind, string> = {
  CLOSE_OUT: '销号',
  EXTENSION: '延期',
  ADJUSTMENT: '任务调整',
  DECOMPOSITION: '任务分解审定',
};

/** A request's outcome; a rejection reads 已退回 (UI.md: 同意 / 退回, never 拒绝). */
export const APPROVAL_STATUS_LABEL: Record<ApprovalStatus, string> = {
  PENDING: '审批中',
  APPROVED: '已通过',
  REJECTED: '已退回',
  WITHDRAWN: '已撤回',
};

export const STEP_STATUS_LABEL: Record<ApprovalStepStatus, string> = {
  WAITING: '未到',
  PENDING: '审批中',
  APPROVED: '已同意',
  REJECTED: '已退回',
  SKIPPED: '无审批人，已跳过',
  NOT_REACHED: '未进行',
};

export const NOTIFICATION_KIND_LABEL: Record<NotificationKind, string> = {
  APPROVAL: '审批',
  CHANNEL_TEST: '渠道测试',
  ASSIGNED: '新交办',
  DIGEST: '每日提示',
  ESCALATION: '提醒催办',
  REPORT_CHASE: '催报',
  SUPERVISION_NOTICE: '督办单',
};

/** An approver's decision: 同意 / 退回 (the API's REJECT; never 拒绝). */
export const DECISION_LABEL: Record<ApprovalDecisionKind, string> = { APPROVE: '同意', REJECT: '退回' };
/** A 督办单's state: an answer sent back (退回) waits for a new one, so it is open again but says why. */
export function noticeStatusLabel(notice: { status: SupervisionNoticeStatus; returnCount: number }): string {
  if (notice.status === 'OPEN') return notice.returnCount > 0 ? '已退回' : '待答复';
  return notice.status === 'ANSWERED' ? '已答复' : '已办结';
}

/** A task's status (derived from its shares), in the schema's words. */
export const TASK_STATUS_LABEL: Record<TaskStatus, string> = {
  UNASSIGNED: '待交办',
  ASSIGNED: '待签收',
  IN_PROGRESS: '推进中',
  CLOSED: '已销号',
  SUSPENDED: '已暂停',
};

/** 牵头单位 / 配合单位. */
export const ASSIGNMENT_ROLE_LABEL: Record<AssignmentRole, string> = {
  LEAD: '牵头单位',
  SUPPORT: '配合单位',
};

export const TASK_PRIORITY_LABEL: Record<TaskPriority, string> = {
  NORMAL: '一般',
  HIGH: '重点',
  URGENT: '紧急',
};

/** Who creates, assigns, suspends and resumes tasks (the API's ASSIGNERS); others only read them. */
export const ASSIGNER_ROLES: readonly Role[] = ['LEADER', 'ADMIN'];

/** 完成时限 as shown: 长期 for an ongoing duty (长期坚持, 持续推进), which has no date; else the date in `format`. */
export function formatDue(
  item: { dueAt: string; dueKind?: DueKind | null },
  format: (iso: string) => string,
): string {
  return item.dueKind === 'ONGOING' ? '长期' : format(item.dueAt);
}
