import { useMutation, useQuery } from '@apollo/client/react';
import {
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Progress,
  Result,
  Space,
  Spin,
  Timeline,
  Typography,
} from 'antd';
import { Link, useParams } from 'react-router';
import { classifyError } from '../errors';
import { nextStep } from '../labels';
import { graphql } from '../gql';
import { longDate, shortDate } from '../workdays';
import { ForbiddenPage } from './forbidden';
import { DueDate, LightLabel, StatusTag, useWorkCalendar } from './signals';

const SHARE = graphql(`
  query Share($id: ID!) {
    assignment(id: $id) {
      id
      version
      status
      role
      light
      daysOverdue
      dueAt
      originalDueAt
      extensionCount
      progressPercent
      lastReportAt
      nextEscalation {
        label
      }
      orgUnit {
        id
        name
      }
      extensions {
        requestId
        previousDueAt
        newDueAt
        reason
        approvedAt
      }
      task {
        id
        code
        title
        description
        dueAt
        responsibleLeader {
          id
          displayName
          title
        }
        milestones {
          id
          title
          dueAt
        }
        assignments {
          id
          role
          orgUnit {
            id
            name
          }
        }
      }
    }
  }
`);

const ACCEPT = graphql(`
  mutation AcceptShare($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      id
      version
      status
    }
  }
`);

export default function SharePage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const calendar = useWorkCalendar();
  const { data, loading, error, refetch } = useQuery(SHARE, { variables: { id } });
  const [accept, { loading: accepting }] = useMutation(ACCEPT);

  if (loading && !data) return <Spin />;
  if (error && !data) {
    const mapped = classifyError(error);
    if (mapped.kind === 'forbidden') return <ForbiddenPage message={mapped.message} />;
    return <Result status="warning" title="无法载入该任务" subTitle={mapped.message} />;
  }
  const share = data?.assignment;
  if (!share) return null;
  const { task } = share;
  const units = (role: string) =>
    task.assignments
      .filter((a) => a.role === role)
      .map((a) => a.orgUnit.name)
      .join('、') || '—';

  const onAccept = async () => {
    try {
      await accept({ variables: { input: { assignmentId: share.id, version: share.version } } });
      void message.success('已签收；下一步可报送进展');
      await refetch();
    } catch (err) {
      const mapped = classifyError(err);
      if (mapped.kind === 'conflict') {
        void message.warning(mapped.message);
        await refetch();
      } else if (mapped.kind !== 'network' && mapped.kind !== 'unauthenticated') {
        void message.error(mapped.message);
      }
    }
  };

  return (
    <section>
      <Space style={{ marginBottom: 8 }}>
        <Link to="/tasks">← 返回我的任务</Link>
      </Space>
      <h1 className="page-title">{task.title}</h1>
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card title="本单位承办" size="small">
          <Descriptions column={{ xs: 1, md: 2 }} size="small">
            <Descriptions.Item label="承办单位">{share.orgUnit.name}</Descriptions.Item>
            <Descriptions.Item label="状态">
              <StatusTag status={share.status} />
            </Descriptions.Item>
            <Descriptions.Item label="红黄绿灯">
              <LightLabel assignment={share} />
            </Descriptions.Item>
            <Descriptions.Item label="完成时限">
              <DueDate assignment={share} calendar={calendar} />
            </Descriptions.Item>
            <Descriptions.Item label="原完成时限">
              {share.originalDueAt ? longDate(share.originalDueAt) : '未延期'}
            </Descriptions.Item>
            <Descriptions.Item label="延期次数">{share.extensionCount}</Descriptions.Item>
            <Descriptions.Item label="进度">
              <Progress
                percent={share.progressPercent}
                size="small"
                style={{ width: 160 }}
                aria-label="进度"
              />
            </Descriptions.Item>
            <Descriptions.Item label="下一步">{nextStep(share.nextEscalation)}</Descriptions.Item>
          </Descriptions>
          {share.extensions.length > 0 && (
            <Timeline
              style={{ marginTop: 16 }}
              items={share.extensions.map((e) => ({
                key: e.requestId,
                content: `${shortDate(e.approvedAt)} 批准延期：${shortDate(e.previousDueAt)} → ${shortDate(e.newDueAt)}（${e.reason}）`,
              }))}
            />
          )}
          {share.status === 'ASSIGNED' && (
            <Button
              type="primary"
              loading={accepting}
              onClick={() => void onAccept()}
              style={{ marginTop: 16 }}
            >
              签收
            </Button>
          )}
        </Card>
        <Card title="任务" size="small">
          <Descriptions column={1} size="small">
            <Descriptions.Item label="编号">{task.code}</Descriptions.Item>
            <Descriptions.Item label="任务内容">
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                {task.description}
              </Typography.Paragraph>
            </Descriptions.Item>
            <Descriptions.Item label="牵头单位">{units('LEAD')}</Descriptions.Item>
            <Descriptions.Item label="配合单位">{units('SUPPORT')}</Descriptions.Item>
            <Descriptions.Item label="责任领导">
              {task.responsibleLeader
                ? `${task.responsibleLeader.displayName}${task.responsibleLeader.title ? `（${task.responsibleLeader.title}）` : ''}`
                : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="完成时限">{longDate(task.dueAt)}</Descriptions.Item>
          </Descriptions>
        </Card>
        <Card title="时间节点" size="small">
          {task.milestones.length ? (
            <Timeline
              items={task.milestones.map((m) => ({ key: m.id, content: `${longDate(m.dueAt)}　${m.title}` }))}
            />
          ) : (
            <Empty description="未设时间节点" image={Empty.PRESENTED_IMAGE_SIMPLE} />
          )}
        </Card>
      </Space>
    </section>
  );
}
