import { ACTION_LABELS, EscalationAction } from './escalation-policy.entity';
import { beijingDay } from '@zhezi/core';

/** "2026年12月31日" */
export function chineseDate(instant: Date): string {
  const [y, m, d] = beijingDay(instant).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

export interface EscalationFacts {
  action: EscalationAction;
  occurrence: number;
  taskTitle: string;
  unitName: string;
  dueAt: Date;
  /** Workdays from today to the due date: positive before it, negative once overdue. */
  workdaysLeft: number;
  notice: { code: string; responseDueAt: Date } | null;
}

/** The wording offices use for each step; a repeat says which time it is. */
export function escalationMessage(f: EscalationFacts): { title: string; body: string } {
  const times = f.occurrence > 0 ? `（第${f.occurrence + 1}次）` : '';
  const title = `【${ACTION_LABELS[f.action]}${times}】${f.taskTitle}`;
  const due = chineseDate(f.dueAt);
  const overdue = Math.max(-f.workdaysLeft, 0);
  const notice = f.notice ? `（${f.notice.code}）` : '';
  const responseDue = f.notice ? chineseDate(f.notice.responseDueAt) : '规定时限';
  const bodies: Record<EscalationAction, string> = {
    REMIND:
      f.workdaysLeft > 0
        ? `${f.unitName}承办的“${f.taskTitle}”完成时限为${due}，还有${f.workdaysLeft}个工作日，请按时完成并及时报送进展。`
        : `${f.unitName}承办的“${f.taskTitle}”完成时限为${due}，请按时完成并及时报送进展。`,
    URGE: `${f.unitName}承办的“${f.taskTitle}”完成时限为${due}，请抓紧办理；确需延期的，请及时提出延期申请。`,
    SUPERVISE:
      f.occurrence === 0
        ? `${f.unitName}承办的“${f.taskTitle}”已超过完成时限（${due}）${overdue}个工作日，现予督办${notice}，请于${responseDue}前提交整改说明和推进计划。`
        : `${f.unitName}承办的“${f.taskTitle}”已超过完成时限（${due}）${overdue}个工作日，督办单${notice}尚未答复，请于${responseDue}前答复。`,
    REPORT: `${f.unitName}承办的“${f.taskTitle}”已超过完成时限（${due}）${overdue}个工作日仍未完成，特此通报。`,
    INTERVIEW: `${f.unitName}承办的“${f.taskTitle}”已超过完成时限（${due}）${overdue}个工作日仍未完成，建议约谈单位主要负责人。`,
  };
  return { title, body: bodies[f.action] };
}
