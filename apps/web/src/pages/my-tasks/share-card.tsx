import { Button, Card, Empty, Progress, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { classifyError } from '../../errors';
import type { ShareRowFragment } from '../../gql/graphql';
import type { SpecialDay } from '../../workdays';
import { shortDate } from '../../workdays';
import { DueDate, LightLabel, StatusTag } from '../signals';

/** A share as a card: the kanban's and the phone's form of a row, with the same signals as the table. */
export function ShareCard({
  share,
  calendar,
  showStatus = true,
}: {
  share: ShareRowFragment;
  calendar: SpecialDay[] | undefined;
  showStatus?: boolean;
}) {
  return (
    <Card
      size="small"
      className="share-card"
      title={<Link to={`/tasks/${share.id}`}>{share.task.title}</Link>}
    >
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        <Space wrap size={8}>
          <LightLabel assignment={share} />
          {showStatus && <StatusTag status={share.status} />}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {share.task.code} · {share.role === 'LEAD' ? '牵头单位' : '配合单位'}
          </Typography.Text>
        </Space>
        <DueDate assignment={share} calendar={calendar} />
        <Progress percent={share.progressPercent} size="small" aria-label="进度" />
        {share.nextEscalation && (
          <Typography.Text type="secondary">{share.nextEscalation.label}</Typography.Text>
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {lastReport(share)}
        </Typography.Text>
      </Space>
    </Card>
  );
}

/** 最近报送 2026-03-01, or 未报送. */
export const lastReport = (share: { lastReportAt?: string | null }) =>
  share.lastReportAt ? `最近报送 ${shortDate(share.lastReportAt)}` : '未报送';

/**
 * Why a list shows nothing, and what to do: the API did not answer (try again), the filters match nothing
 * (clear them), or nothing has been handed to the unit yet.
 */
export function ListEmpty({
  error,
  filtered,
  onClear,
  onRetry,
}: {
  error?: unknown;
  filtered: boolean;
  onClear: () => void;
  onRetry: () => void;
}) {
  if (error) {
    return (
      <Empty description={classifyError(error).message}>
        <Button onClick={onRetry}>重试</Button>
      </Empty>
    );
  }
  if (filtered) {
    return (
      <Empty description="没有符合条件的任务">
        <Button type="primary" onClick={onClear}>
          清除筛选
        </Button>
      </Empty>
    );
  }
  return <Empty description="本单位暂无任务；上级交办后会出现在这里。" />;
}
