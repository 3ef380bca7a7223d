import { ExportOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Typography } from 'antd';

/** The queues the worker runs (libs/jobs), in the words of the people who watch them. */
const QUEUES = [
  ['escalations', '到点发出提醒、催办、督办、通报、约谈'],
  ['notify-webhook', '推送到钉钉、企业微信、飞书群机器人和 Webhook（失败重试，最终失败进入死信）'],
  ['notify-email', '发送通知邮件'],
  ['domain-events', '业务事件：交办、状态变化后排定下一步督办、触发推送'],
  ['system', '定时任务：督办调度、每日汇总、催报、对账'],
] as const;

export default function QueuesPage() {
  return (
    <section>
      <h1 className="page-title">队列</h1>
      <Card>
        <Typography.Paragraph>
          后台任务队列面板（Bull Board）显示每个队列的等待、执行中、已完成和失败的任务，可查看失败原因并重试。
        </Typography.Paragraph>
        <Button type="primary" icon={<ExportOutlined />} href="/admin/queues" target="_blank" rel="noopener">
          打开任务队列面板
        </Button>
        <Alert
          type="info"
          showIcon
          style={{ margin: '16px 0' }}
          title="仅管理员可查看。面板沿用本浏览器的登录状态，无需再次登录；在其他浏览器或命令行中访问 /admin/queues 时，请带上请求头 Authorization: Bearer <令牌>，或打开一次 /admin/queues?token=<令牌>。"
        />
        <Descriptions column={1} size="small" bordered title="各队列">
          {QUEUES.map(([name, text]) => (
            <Descriptions.Item key={name} label={name}>
              {text}
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Card>
    </section>
  );
}
