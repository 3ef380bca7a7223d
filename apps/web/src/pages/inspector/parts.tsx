import { Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { SupervisionNoticeStatus } from '../../gql/graphql';
import { noticeStatusLabel } from '../../labels';
import { shortDate } from '../../workdays';

interface NoticeState {
  status: SupervisionNoticeStatus;
  returnCount: number;
}

/** 待答复 / 已退回 / 已答复 / 已办结, in colours that keep their contrast. */
export function NoticeStatusTag({ notice }: { notice: NoticeState }) {
  const label = noticeStatusLabel(notice);
  return (
    <Tag className={`notice-status notice-${label === '已退回' ? 'RETURNED' : notice.status}`}>{label}</Tag>
  );
}

/** The answer's due date, marked when it has passed without an answer. */
export function ResponseDue({ notice }: { notice: NoticeState & { responseDueAt: string } }) {
  const late = notice.status === 'OPEN' && new Date(notice.responseDueAt) < new Date();
  return (
    <span>
      {shortDate(notice.responseDueAt)}
      {late && (
        <Typography.Text type="danger" style={{ marginLeft: 8, fontSize: 12 }}>
          答复逾期
        </Typography.Text>
      )}
    </span>
  );
}

/** A share's task as a link to the share's page, its number beneath. */
export function ShareTask({ share }: { share: { id: string; task: { code: string; title: string } } }) {
  return (
    <Space orientation="vertical" size={0}>
      <Link to={`/tasks/${share.id}`}>{share.task.title}</Link>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        序号 {share.task.code}
      </Typography.Text>
    </Space>
  );
}

/** The latest progress report's date, or that none came. */
export const lastReport = (share: { lastReportAt?: string | null }) =>
  share.lastReportAt ? shortDate(share.lastReportAt) : '未报送';
