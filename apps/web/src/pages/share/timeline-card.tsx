import { PaperClipOutlined } from '@ant-design/icons';
import { Card, Empty, Segmented, Space, Tag, Timeline, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { sizeLabel } from './rules';
import type { Share } from './share-query';
import {
  buildTimeline,
  TIMELINE_KIND_LABEL,
  type AuditEntry,
  type TimelineEntry,
  type TimelineKind,
} from './timeline';

const TONE_COLOR: Record<TimelineEntry['tone'], string> = {
  normal: 'blue',
  success: 'green',
  warning: 'orange',
  danger: 'red',
};

/** 2026-11-25 14:03, Beijing time whatever the browser's zone. */
function beijingMinute(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function EntryView({ entry }: { entry: TimelineEntry }) {
  return (
    <div>
      <Space size={4} wrap>
        <Tag>{TIMELINE_KIND_LABEL[entry.kind]}</Tag>
        <Typography.Text strong>{entry.title}</Typography.Text>
      </Space>
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {beijingMinute(entry.at)}
          {entry.actor ? ` · ${entry.actor}` : ''}
        </Typography.Text>
      </div>
      {entry.lines.map((line, i) => (
        <Typography.Paragraph key={i} style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}>
          {line}
        </Typography.Paragraph>
      ))}
      {entry.evidence?.map((file) => (
        <div key={file.id}>
          <a href={`/evidence/${file.id}`} target="_blank" rel="noreferrer">
            <PaperClipOutlined aria-hidden /> {file.fileName}
          </a>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {' '}
            {sizeLabel(file.sizeBytes)}
          </Typography.Text>
        </div>
      ))}
    </div>
  );
}

type Filter = TimelineKind | 'all';

/** Everything that happened to the share, newest first, filtered by kind. */
export function TimelineCard({ share, audit }: { share: Share; audit: readonly AuditEntry[] }) {
  const [filter, setFilter] = useState<Filter>('all');
  const entries = useMemo(() => buildTimeline(share, audit), [share, audit]);
  const kinds = [...new Set(entries.map((e) => e.kind))];
  const shown = filter === 'all' ? entries : entries.filter((e) => e.kind === filter);
  return (
    <Card title="办理记录" size="small">
      {kinds.length > 1 && (
        <Segmented<Filter>
          aria-label="按类别筛选办理记录"
          size="small"
          style={{ marginBottom: 16 }}
          value={filter}
          onChange={setFilter}
          options={[
            { value: 'all', label: '全部' },
            ...kinds.map((k) => ({ value: k, label: TIMELINE_KIND_LABEL[k] })),
          ]}
        />
      )}
      {shown.length ? (
        <Timeline
          items={shown.map((entry) => ({
            key: entry.key,
            color: TONE_COLOR[entry.tone],
            content: <EntryView entry={entry} />,
          }))}
        />
      ) : (
        <Empty description="暂无办理记录" image={Empty.PRESENTED_IMAGE_SIMPLE} />
      )}
    </Card>
  );
}
