import { NoticeStatus } from './supervision-notice.entity';

export enum NoticeAction {
  ANSWER = 'ANSWER',
  ACCEPT = 'ACCEPT',
  RETURN = 'RETURN',
  CLOSE_WITH_ASSIGNMENT = 'CLOSE_WITH_ASSIGNMENT',
}

export enum NoticeTaker {
  UNIT = 'UNIT',
  INSPECTORATE = 'INSPECTORATE',
  SYSTEM = 'SYSTEM',
}

export interface NoticeTransition {
  from: readonly NoticeStatus[];
  to: NoticeStatus;
  taker: NoticeTaker;
  label: string;
}

const { OPEN, ANSWERED, CLOSED } = NoticeStatus;

/** A notice's whole life; SupervisionNoticeService.transition is the only code that runs it. */
export const NOTICE_TRANSITIONS: Record<NoticeAction, NoticeTransition> = {
  ANSWER: { from: [OPEN], to: ANSWERED, taker: NoticeTaker.UNIT, label: '答复' },
  ACCEPT: { from: [ANSWERED], to: CLOSED, taker: NoticeTaker.INSPECTORATE, label: '审核通过并办结' },
  RETURN: { from: [ANSWERED], to: OPEN, taker: NoticeTaker.INSPECTORATE, label: '退回重新答复' },
  CLOSE_WITH_ASSIGNMENT: {
    from: [OPEN, ANSWERED],
    to: CLOSED,
    taker: NoticeTaker.SYSTEM,
    label: '任务销号后办结',
  },
};

export const NOTICE_STATUS_LABELS: Record<NoticeStatus, string> = {
  OPEN: '待答复',
  ANSWERED: '已答复',
  CLOSED: '已办结',
};
