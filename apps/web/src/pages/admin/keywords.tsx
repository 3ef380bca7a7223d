import { DeleteOutlined } from '@ant-design/icons';
import { useLazyQuery, useMutation, useQuery } from '@apollo/client/react';
import {
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { KeysetPager, useKeysetPages } from '../../components/pager';
import { useReportError } from '../../components/report-error';
import { UnitSelect } from '../../components/unit-select';
import { graphql } from '../../gql';
import type { OrgUnitKind, UnitKeywordsQuery } from '../../gql/graphql';

const KEYWORDS = graphql(`
  query UnitKeywords($orgUnitId: ID, $search: String, $first: Int!, $after: String) {
    unitKeywords(orgUnitId: $orgUnitId, search: $search, first: $first, after: $after) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        node {
          id
          keyword
          weight
          orgUnit {
            id
            name
          }
        }
      }
    }
  }
`);

const SET = graphql(`
  mutation SetUnitKeyword($input: SetUnitKeywordInput!) {
    setUnitKeyword(input: $input) {
      id
      keyword
      weight
    }
  }
`);

const REMOVE = graphql(`
  mutation RemoveUnitKeyword($id: ID!) {
    removeUnitKeyword(id: $id) {
      id
    }
  }
`);

const SUGGEST = graphql(`
  query TrySuggestUnits($text: String!) {
    suggestUnits(text: $text) {
      orgUnitId
      role
      score
      keywords
      orgUnit {
        id
        name
      }
    }
  }
`);

type Row = UnitKeywordsQuery['unitKeywords']['edges'][number]['node'];

/** Units that take tasks: the only ones keywords may point at. */
const TASK_UNITS: OrgUnitKind[] = ['DEPARTMENT', 'SUBDISTRICT', 'TOWN'];
const PAGE_SIZE = 20;

function weightWord(weight: number): string {
  if (weight >= 2) return '决定性';
  if (weight < 1) return '弱';
  return '一般';
}

function TrySuggestions() {
  const [text, setText] = useState('');
  const [suggest, { data, loading, called }] = useLazyQuery(SUGGEST);
  const report = useReportError();
  const results = data?.suggestUnits ?? [];

  const run = async () => {
    try {
      await suggest({ variables: { text: text.trim() } });
    } catch (error) {
      report(error);
    }
  };

  return (
    <Card title="试一试：按词典建议承办单位" size="small" style={{ marginBottom: 16 }}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Input.TextArea
          aria-label="任务内容"
          rows={3}
          value={text}
          maxLength={20000}
          onChange={(e) => setText(e.target.value)}
          placeholder="粘贴一段任务内容，如：推进上庄镇污水处理设施建设，改善河道水环境"
        />
        <Button type="primary" loading={loading} disabled={!text.trim()} onClick={() => void run()}>
          建议承办单位
        </Button>
        {called && !loading && (
          <div aria-live="polite" className="suggestions">
            {results.length === 0 ? (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description="没有命中任何关键词；可在下方为相关单位添加关键词"
              />
            ) : (
              <Table
                size="small"
                rowKey="orgUnitId"
                pagination={false}
                dataSource={results}
                columns={[
                  { title: '单位', key: 'unit', render: (_, s) => s.orgUnit.name },
                  {
                    title: '建议作为',
                    key: 'role',
                    width: 100,
                    render: (_, s) => (s.role === 'LEAD' ? '牵头单位' : '配合单位'),
                  },
                  { title: '得分', key: 'score', width: 80, render: (_, s) => s.score.toFixed(1) },
                  {
                    title: '命中的关键词',
                    key: 'keywords',
                    render: (_, s) => s.keywords.map((k) => <Tag key={k}>{k}</Tag>),
                  },
                ]}
              />
            )}
          </div>
        )}
      </Space>
    </Card>
  );
}

interface AddValues {
  orgUnitId: string;
  keyword: string;
  weight: number;
}

export default function KeywordsPage() {
  const [unit, setUnit] = useState<string | undefined>();
  const [search, setSearch] = useState('');
  const pages = useKeysetPages();
  const [form] = Form.useForm<AddValues>();
  const report = useReportError();
  const { message } = App.useApp();
  const { data, loading, error, refetch } = useQuery(KEYWORDS, {
    variables: { orgUnitId: unit, search: search || undefined, first: PAGE_SIZE, after: pages.after },
    fetchPolicy: 'cache-and-network',
  });
  const [set, { loading: saving }] = useMutation(SET);
  const [remove] = useMutation(REMOVE);
  const list = data?.unitKeywords;

  const add = async (values: AddValues) => {
    try {
      const { data: saved } = await set({ variables: { input: values } });
      void message.success(
        `已保存关键词“${saved!.setUnitKeyword.keyword}”（权重 ${saved!.setUnitKeyword.weight}）`,
      );
      form.resetFields(['keyword']);
      await refetch();
    } catch (err) {
      report(err, { form });
    }
  };

  const onRemove = async (row: Row) => {
    try {
      await remove({ variables: { id: row.id } });
      void message.success(`已删除“${row.keyword}”→ ${row.orgUnit.name}`);
      await refetch();
    } catch (err) {
      report(err);
    }
  };

  return (
    <section>
      <h1 className="page-title">关键词</h1>
      <Typography.Paragraph type="secondary">
        任务分解时，按任务内容中的词（结巴分词）查此词典，为草稿建议牵头和配合单位。权重 2 为决定性，1
        为一般，0.5 为弱。
      </Typography.Paragraph>
      <TrySuggestions />
      <Card title="添加关键词" size="small" style={{ marginBottom: 16 }}>
        <Form<AddValues>
          form={form}
          layout="inline"
          initialValues={{ weight: 1 }}
          onFinish={(v) => void add(v)}
        >
          <Form.Item name="orgUnitId" label="单位" rules={[{ required: true, message: '请选择单位' }]}>
            <UnitSelect kinds={TASK_UNITS} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item
            name="keyword"
            label="关键词"
            rules={[{ required: true, whitespace: true, message: '请填写关键词' }]}
          >
            <Input maxLength={20} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="weight" label="权重" tooltip="同一单位已有该词时修改其权重">
            <InputNumber min={0.1} max={10} step={0.5} style={{ width: 90 }} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={saving}>
              保存
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <Space wrap style={{ marginBottom: 12 }}>
        <UnitSelect
          kinds={TASK_UNITS}
          allowClear
          aria-label="按单位筛选"
          placeholder="全部单位"
          style={{ width: 220 }}
          value={unit}
          onChange={(v: string | undefined) => {
            setUnit(v);
            pages.restart();
          }}
        />
        <Input.Search
          aria-label="查找关键词"
          placeholder="查找关键词"
          allowClear
          style={{ width: 200 }}
          onSearch={(v) => {
            setSearch(v.trim());
            pages.restart();
          }}
        />
      </Space>
      <Table<Row>
        rowKey="id"
        size="small"
        loading={loading && !data}
        dataSource={list?.edges.map((e) => e.node) ?? []}
        pagination={false}
        locale={{
          emptyText: (
            <Empty
              description={
                error
                  ? '词典未能载入，请稍后重试'
                  : unit || search
                    ? '没有符合条件的关键词'
                    : '词典为空；在上方添加关键词'
              }
            />
          ),
        }}
        columns={[
          { title: '关键词', dataIndex: 'keyword' },
          { title: '单位', key: 'unit', render: (_, r) => r.orgUnit.name },
          { title: '权重', key: 'weight', render: (_, r) => `${r.weight}（${weightWord(r.weight)}）` },
          {
            title: '操作',
            key: 'actions',
            width: 80,
            render: (_, r) => (
              <Popconfirm
                title={`删除“${r.keyword}”→ ${r.orgUnit.name}？`}
                okText="删除"
                cancelText="取消"
                onConfirm={() => void onRemove(r)}
              >
                <Button type="text" danger icon={<DeleteOutlined />} aria-label={`删除关键词${r.keyword}`} />
              </Popconfirm>
            ),
          },
        ]}
      />
      <KeysetPager pages={pages} connection={list} />
    </section>
  );
}
