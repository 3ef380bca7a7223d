import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { App, Button, DatePicker, Empty, Space, Table, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import ReactECharts from 'echarts-for-react/esm/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { downloadFile } from '../../components/download';
import { classifyError } from '../../errors';
import { graphql } from '../../gql';
import type { BulletinQuery } from '../../gql/graphql';
import { longDate } from '../../workdays';
import { ForbiddenPage } from '../forbidden';
import { bulletinChartHeight, bulletinChartOption } from './bulletin-chart';
import { PlanSelect } from '../../components/plan-select';
import { monthOf, periodLabel } from './periods';
import { REDUCED_MOTION } from '../../motion';

// Only what the chart uses: the bar series, its grid and tooltip, the screen-reader description, SVG output.
echarts.use([BarChart, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

const BULLETIN = graphql(`
  query Bulletin($planId: ID!, $month: String!) {
    bulletin(planId: $planId, month: $month) {
      planTitle
      month
      asOf
      rows {
        orgUnitId
        orgUnit {
          id
          name
        }
        kind
        assigned
        closedOnTime
        closedLate
        overdue
        overdueDaysSum
        overdueDaysMax
        extensions
        missedReports
        openNotices
        score
        rank
      }
    }
  }
`);

type Row = BulletinQuery['bulletin']['rows'][number];

/** The sections of the printed bulletin: departments apart from subdistricts and towns, each ranked. */
const SECTIONS = [
  { key: 'departments', label: '区政府各部门', local: false },
  { key: 'local', label: '各街道、镇（地区）', local: true },
];

const count = (key: keyof Row, title: string, width = 80): ColumnsType<Row>[number] => ({
  title,
  key,
  width,
  align: 'right',
  render: (_, row) => (row[key] as number).toLocaleString('zh-CN'),
});

const COLUMNS: ColumnsType<Row> = [
  { title: '排名', key: 'rank', width: 64, align: 'right', render: (_, row) => row.rank },
  { title: '单位', key: 'unit', render: (_, row) => row.orgUnit.name },
  { title: '得分', key: 'score', width: 72, align: 'right', render: (_, row) => row.score.toFixed(1) },
  count('assigned', '交办数'),
  count('closedOnTime', '本月按期销号', 110),
  count('closedLate', '本月逾期销号', 110),
  count('overdue', '逾期未办结', 96),
  count('overdueDaysMax', '最长逾期（天）', 124),
  count('extensions', '批准延期'),
  count('missedReports', '漏报', 64),
  count('openNotices', '未办结督办单', 110),
];

function Section({ rows, label }: { rows: Row[]; label: string }) {
  if (!rows.length) return <Empty description={`本月${label}没有交办任务`} />;
  const units = rows.map((r) => ({ name: r.orgUnit.name, score: r.score, rank: r.rank, overdue: r.overdue }));
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <ReactECharts
        echarts={echarts}
        option={{ ...bulletinChartOption(units, `${label}得分排名`), animation: !REDUCED_MOTION }}
        style={{ height: bulletinChartHeight(rows.length), width: '100%' }}
        opts={{ renderer: 'svg' }}
        notMerge
      />
      <Table<Row>
        rowKey="orgUnitId"
        size="small"
        bordered
        columns={COLUMNS}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1080 }}
      />
    </Space>
  );
}

/** 通报: a plan's monthly bulletin per unit with its ranking, as a chart and a table, and as Excel to print. */
export default function BulletinPage() {
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const month = params.get('month') ?? monthOf(new Date());
  const planId = params.get('plan') ?? undefined;
  const [downloading, setDownloading] = useState(false);
  const choose = (key: 'month' | 'plan', value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const { data, loading, error } = useQuery(BULLETIN, {
    variables: { planId: planId ?? '', month },
    skip: !planId,
    fetchPolicy: 'cache-and-network',
  });
  if (error && classifyError(error).kind === 'forbidden') return <ForbiddenPage />;
  const bulletin = data?.bulletin;

  const download = async () => {
    if (!planId) return;
    setDownloading(true);
    try {
      const name = await downloadFile(`/plans/${planId}/bulletins/${month}.xlsx`, `${month}-督查通报.xlsx`);
      void message.success(`已下载 ${name}`);
    } catch (failure) {
      void message.error(failure instanceof Error ? failure.message : '下载失败');
    } finally {
      setDownloading(false);
    }
  };

  return (
    <section>
      <h1 className="page-title">通报</h1>
      <Space wrap style={{ marginBottom: 16 }}>
        <PlanSelect required style={{ width: 280 }} value={planId} onChange={(v) => choose('plan', v)} />
        <DatePicker
          picker="month"
          aria-label="月份"
          allowClear={false}
          value={dayjs(`${month}-01`)}
          disabledDate={(d) => d.isAfter(dayjs(), 'month')}
          onChange={(d) => choose('month', d?.format('YYYY-MM'))}
        />
        <Button
          icon={<DownloadOutlined />}
          loading={downloading}
          disabled={!bulletin}
          onClick={() => void download()}
        >
          下载 Excel
        </Button>
      </Space>
      {error && <Empty description={classifyError(error).message} />}
      {bulletin && (
        <>
          <Typography.Paragraph>
            <strong>
              {bulletin.planTitle} {periodLabel(bulletin.month)}督查通报
            </strong>
            <Typography.Text type="secondary"> · 数据截至{longDate(bulletin.asOf)}</Typography.Text>
          </Typography.Paragraph>
          <Tabs
            destroyOnHidden
            items={SECTIONS.map((s) => ({
              key: s.key,
              label: s.label,
              children: (
                <Section
                  label={s.label}
                  rows={bulletin.rows.filter((r) => (r.kind !== 'DEPARTMENT') === s.local)}
                />
              ),
            }))}
          />
        </>
      )}
      {!bulletin && !error && (loading || !planId ? null : <Empty description="请选择计划和月份" />)}
    </section>
  );
}
