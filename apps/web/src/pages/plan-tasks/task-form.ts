import type { Dayjs } from 'dayjs';
import type {
  CreateTaskInput,
  Light,
  RequestAdjustmentInput,
  TaskOrder,
  TaskPriority,
} from '../../gql/graphql';
import { endOfBeijingDay, fieldPath } from '../share/rules';
import { longDate } from '../../workdays';

/** A unit chosen for the task, with its own 完成时限. */
export interface UnitDue {
  orgUnitId: string;
  dueAt: Dayjs;
}

export interface MilestoneValues {
  title: string;
  dueAt: Dayjs;
}

/** The 新建任务 form: the task, then who does it (the units are picked, then each gets a date row). */
export interface TaskFormValues {
  planId: string;
  targetId?: string;
  title: string;
  description?: string;
  responsibleLeaderId?: string;
  dueAt: Dayjs;
  priority?: TaskPriority;
  escalationPolicyId?: string;
  milestones?: MilestoneValues[];
  leadUnitIds: string[];
  leadUnits?: UnitDue[];
  supportUnitIds?: string[];
  supportUnits?: UnitDue[];
}

const trimmed = (text: string | undefined) => {
  const value = text?.trim();
  return value ? value : undefined;
};

/**
 * The form as `createTask` takes it, units and policy included (one call: created and assigned together or not at
 * all): dates are the end of the Beijing day chosen, empty text is left out.
 */
export function createTaskInput(values: TaskFormValues): CreateTaskInput {
  return {
    planId: values.planId,
    targetId: values.targetId || undefined,
    title: values.title.trim(),
    description: trimmed(values.description),
    responsibleLeaderId: values.responsibleLeaderId || undefined,
    dueAt: endOfBeijingDay(values.dueAt),
    priority: values.priority,
    milestones: (values.milestones ?? []).map((m) => ({
      title: m.title.trim(),
      dueAt: endOfBeijingDay(m.dueAt),
    })),
    escalationPolicyId: values.escalationPolicyId || undefined,
    leadUnits: unitDues(values.leadUnits),
    supportUnits: unitDues(values.supportUnits),
  };
}

const unitDues = (rows: UnitDue[] | undefined) =>
  (rows ?? []).map((u) => ({ orgUnitId: u.orgUnitId, dueAt: endOfBeijingDay(u.dueAt) }));

/**
 * The date rows for the units now picked, in the order picked: a unit picked before keeps the date it was given,
 * a new one starts at the task's deadline.
 */
export function unitRows(
  ids: readonly string[],
  before: readonly UnitDue[] | undefined,
  due: Dayjs,
): UnitDue[] {
  return ids.map((id) => before?.find((row) => row.orgUnitId === id) ?? { orgUnitId: id, dueAt: due });
}

/**
 * Where an API field error goes on the form: a unit's date on its row, anything else about a unit (unknown,
 * twice, already assigned) on its picker, the task's own fields on themselves; null shows it above the form.
 */
export function formFieldOf(apiField: string): (string | number)[] | null {
  const path = fieldPath(apiField);
  const [head, index, leaf] = path;
  if (head === 'leadUnits' || head === 'supportUnits') {
    return typeof index === 'number' && leaf === 'dueAt'
      ? [head, index, 'dueAt']
      : [`${head.slice(0, -1)}Ids`];
  }
  if (head === 'milestones') return typeof index === 'number' ? path : ['milestones'];
  const own = [
    'planId',
    'targetId',
    'title',
    'description',
    'responsibleLeaderId',
    'dueAt',
    'priority',
    'code',
  ];
  return own.includes(String(head)) ? [String(head)] : null;
}

/** A unit's or a milestone's date may not be later than the task's deadline; the words, else null. */
export function laterThanTask(
  day: Dayjs | null | undefined,
  taskDue: Dayjs | null | undefined,
): string | null {
  if (!day || !taskDue) return null;
  return day.isAfter(taskDue, 'day') ? `不能晚于任务完成时限（${longDate(endOfBeijingDay(taskDue))}）` : null;
}

const LIGHT_RANK: Record<Light, number> = { GREEN: 0, YELLOW: 1, RED: 2 };

/**
 * A task's light is its worst share's (a red share makes the task red), with the most days overdue among its
 * red shares; a task with no open share has none (closed, or not yet assigned).
 */
export function taskLight(shares: readonly { light?: Light | null; daysOverdue: number }[]): {
  light: Light | null;
  daysOverdue: number;
} {
  let light: Light | null = null;
  let daysOverdue = 0;
  for (const share of shares) {
    if (!share.light) continue;
    if (light === null || LIGHT_RANK[share.light] > LIGHT_RANK[light]) light = share.light;
    daysOverdue = Math.max(daysOverdue, share.daysOverdue);
  }
  return { light, daysOverdue: light === 'RED' ? daysOverdue : 0 };
}

/** The list's orders as the table's sortable columns give them. */
export type SortColumn = 'due' | 'progress' | 'updated';

export function orderOf(
  column: SortColumn | undefined,
  order: 'ascend' | 'descend' | null | undefined,
): TaskOrder {
  if (column === 'progress' && order) return order === 'ascend' ? 'PROGRESS_ASC' : 'PROGRESS_DESC';
  if (column === 'updated' && order) return 'UPDATED_AT_DESC';
  return column === 'due' && order === 'descend' ? 'DUE_AT_DESC' : 'DUE_AT_ASC';
}

/** Which column shows the order, and which way, for the table's arrows. */
export function columnOrder(order: TaskOrder, column: SortColumn): 'ascend' | 'descend' | null {
  const [key, direction] = {
    DUE_AT_ASC: ['due', 'ascend'],
    DUE_AT_DESC: ['due', 'descend'],
    PROGRESS_ASC: ['progress', 'ascend'],
    PROGRESS_DESC: ['progress', 'descend'],
    UPDATED_AT_DESC: ['updated', 'descend'],
  }[order] as [SortColumn, 'ascend' | 'descend'];
  return key === column ? direction : null;
}

/** The 申请调整 form: what is to change (only what is filled in) and why. */
export interface AdjustmentValues {
  reason: string;
  title?: string;
  description?: string;
  dueAt?: Dayjs;
  addSupportUnitIds?: string[];
  removeAssignmentIds?: string[];
}

/** The adjustment as `requestAdjustment` takes it: unchanged parts left out (the API needs at least one). */
export function adjustmentInput(
  taskId: string,
  values: AdjustmentValues,
  current: { title: string; description: string },
): RequestAdjustmentInput {
  const title = trimmed(values.title);
  const description = trimmed(values.description);
  return {
    taskId,
    reason: values.reason.trim(),
    title: title && title !== current.title ? title : undefined,
    description: description && description !== current.description ? description : undefined,
    dueAt: values.dueAt ? endOfBeijingDay(values.dueAt) : undefined,
    addSupportUnits: values.addSupportUnitIds?.length
      ? values.addSupportUnitIds.map((orgUnitId) => ({ orgUnitId }))
      : undefined,
    removeAssignmentIds: values.removeAssignmentIds?.length ? values.removeAssignmentIds : undefined,
  };
}
