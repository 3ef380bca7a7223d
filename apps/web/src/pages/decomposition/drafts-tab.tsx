import { ExclamationCircleFilled } from '@ant-design/icons';
import { useMutation } from '@apollo/client/react';
import {
  App,
  Button,
  Card,
  Checkbox,
  Empty,
  Grid,
  Input,
  List,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { useReportError } from '../../components/report-error';
import { classifyError } from '../../errors';
import type { AssignmentRole, DraftRowFragment } from '../../gql/graphql';
import { shortDate } from '../../workdays';
import { DraftEditor } from './draft-editor';
import { problemsOf, SOURCE_LABEL } from './drafts';
import { MERGE_DRAFTS, REMOVE_DRAFTS } from './queries';
import { SplitDialog } from './split-dialog';
import type { useAllDrafts } from './use-drafts';

type Drafts = ReturnType<typeof useAllDrafts>;

/** A draft's units of one role, each with where it came from (原文/推荐/手改) and, if suggested, why. */
export function UnitTags({ draft, role }: { draft: DraftRowFragment; role: AssignmentRole }) {
  const units = draft.units.filter((u) => u.role === role);
  if (!units.length) return <Typography.Text type="secondary">—</Typography.Text>;
  const why = new Map(draft.suggestions.map((s) => [s.orgUnitId, s]));
  return (
    <Space size={[4, 4]} wrap>
      {units.map((u) => {
        const s = u.source === 'SUGGESTED' ? why.get(u.orgUnitId) : undefined;
        const tag = (
          <Tag key={u.orgUnitId} className={`unit-tag source-${u.source}`}>
            {u.orgUnit.name}
            <span className="unit-source">·{SOURCE_LABEL[u.source]}</span>
            {s && <span className="unit-source"> {s.score.toFixed(1)}</span>}
          </Tag>
        );
        return s ? (
          <Tooltip key={u.orgUnitId} title={`关键词：${s.keywords.join('、')}；得分 ${s.score.toFixed(1)}`}>
            {tag}
          </Tooltip>
        ) : (
          tag
        );
      })}
    </Space>
  );
}

/** A title without its closing punctuation, to tell a draft renamed from its measure. */
const bare = (title: string) => title.replace(/[。；;，,：:\s]+$/u, '');

/** The suggested units not taken, with their keywords and score. */
function Suggestions({ draft }: { draft: DraftRowFragment }) {
  const taken = new Set(draft.units.map((u) => u.orgUnitId));
  const rest = draft.suggestions.filter((s) => !taken.has(s.orgUnitId)).slice(0, 3);
  if (!rest.length) return null;
  return (
    <div className="draft-suggestions">
      另荐：
      {rest
        .map((s) => `${s.orgUnit.name}（${s.keywords.slice(0, 3).join('、')} · ${s.score.toFixed(1)}）`)
        .join('；')}
    </div>
  );
}

/**
 * The drafts as an editable table: search, 只看有问题的, select to 合并 or 删除 (confirmed), and per row 修改 and
 * 拆分. At phone width the same as cards.
 */
export function DraftsTab({
  drafts: state,
  editing,
  setEditing,
  locked,
}: {
  drafts: Drafts;
  editing: string | null;
  setEditing(id: string | null): void;
  /** Under review: the drafts stay as submitted. */
  locked: boolean;
}) {
  const { drafts, loading, error, reload, replace } = state;
  const { modal, message } = App.useApp();
  const report = useReportError();
  const [search, setSearch] = useState('');
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [splitting, setSplitting] = useState<DraftRowFragment | null>(null);
  const [paging, setPaging] = useState({ current: 1, pageSize: 20 });
  // The draft last opened (from 提交审定's problems too) stays in view and marked once its form closes.
  const [last, setLast] = useState<string | null>(null);
  const [merge] = useMutation(MERGE_DRAFTS);
  const [remove] = useMutation(REMOVE_DRAFTS);
  const phone = !Grid.useBreakpoint().md;

  const problems = useMemo(() => problemsOf(drafts ?? []), [drafts]);
  const withProblems = useMemo(() => new Set(problems.map((p) => p.draftId)), [problems]);
  const rows = (drafts ?? []).filter(
    (d) =>
      (!onlyProblems || withProblems.has(d.id)) &&
      (!search ||
        `${d.code} ${d.title} ${d.description} ${d.units.map((u) => u.orgUnit.name).join(' ')}`.includes(
          search,
        )),
  );
  const chosen = (drafts ?? []).filter((d) => selected.includes(d.id));
  const refs = chosen.map((d) => ({ id: d.id, version: d.version }));
  const draft = drafts?.find((d) => d.id === editing);
  /** 反选 within what the list shows (keep a few, remove the rest); selections outside it stay. */
  const invert = () => {
    const shown = new Set(rows.map((d) => d.id));
    setSelected((s) => [
      ...s.filter((id) => !shown.has(id)),
      ...rows.filter((d) => !d.taskId && !s.includes(d.id)).map((d) => d.id),
    ]);
  };
  const at = rows.findIndex((d) => d.id === editing);
  useEffect(() => {
    if (!editing || at < 0) return;
    setLast(editing);
    setPaging((p) => ({ ...p, current: Math.floor(at / p.pageSize) + 1 }));
  }, [editing, at]);

  /** 合并 / 删除 the selected drafts after a confirmation; the list is read again either way. */
  const confirmThen = (
    confirm: { title: string; content: string; okText: string; danger?: boolean },
    run: () => Promise<unknown>,
    done: string,
  ) =>
    modal.confirm({
      ...confirm,
      okButtonProps: { danger: confirm.danger },
      onOk: async () => {
        try {
          await run();
          void message.success(done);
          setSelected([]);
        } catch (e) {
          report(e);
        }
        await reload();
      },
    });
  const confirmMerge = () =>
    confirmThen(
      {
        title: `合并所选 ${chosen.length} 条草稿？`,
        content: `合并到第 ${chosen[0]?.code} 项：内容依次拼接，单位合并，完成时限取最晚。`,
        okText: '合并',
      },
      () => merge({ variables: { input: { drafts: refs } } }),
      `已合并 ${chosen.length} 条草稿`,
    );
  const confirmRemove = () =>
    confirmThen(
      {
        title: `删除所选 ${chosen.length} 条草稿？`,
        content: '删除后不生成任务，规划中的措施保留。此操作不能撤销。',
        okText: '删除草稿',
        danger: true,
      },
      () => remove({ variables: { input: { drafts: refs } } }),
      `已删除 ${chosen.length} 条草稿`,
    );

  const actions = (d: DraftRowFragment) => (
    <span className="row-actions">
      <Button type="link" disabled={locked || !!d.taskId} onClick={() => setEditing(d.id)}>
        修改
      </Button>
      <Button type="link" disabled={locked || !!d.taskId} onClick={() => setSplitting(d)}>
        拆分
      </Button>
    </span>
  );
  const title = (d: DraftRowFragment) => (
    <>
      {withProblems.has(d.id) && (
        <ExclamationCircleFilled
          className="draft-problem"
          aria-label="有问题"
          style={{ marginInlineEnd: 4 }}
        />
      )}
      <Typography.Text strong>{d.title}</Typography.Text>
      {d.targets[0] && bare(d.targets[0].title) !== bare(d.title) && (
        <div className="draft-from">
          来自：{d.targets[0].number} {d.targets[0].title}
        </div>
      )}
      {d.issues.map((i) => (
        <div key={`${i.kind}:${i.phrase}`} className="draft-issue">
          {i.message}
        </div>
      ))}
      {d.taskId && <Tag color="success">已发布</Tag>}
    </>
  );

  const columns: ColumnsType<DraftRowFragment> = [
    { title: '序号', dataIndex: 'code', width: 64 },
    { title: '任务名称', key: 'title', render: (_, d) => title(d) },
    {
      title: '牵头单位',
      key: 'lead',
      width: 200,
      render: (_, d) => <UnitTags draft={d} role="LEAD" />,
    },
    {
      title: '配合单位',
      key: 'support',
      width: 230,
      render: (_, d) => (
        <>
          <UnitTags draft={d} role="SUPPORT" />
          <Suggestions draft={d} />
        </>
      ),
    },
    { title: '完成时限', key: 'due', width: 108, render: (_, d) => shortDate(d.dueAt) },
    {
      title: '责任领导',
      key: 'leader',
      width: 90,
      render: (_, d) => d.responsibleLeader?.displayName ?? '—',
    },
    { title: '操作', key: 'actions', width: 120, render: (_, d) => actions(d) },
  ];

  const empty = (
    <Empty
      description={
        error ? classifyError(error).message : drafts?.length ? '没有符合条件的草稿' : '该计划没有任务草稿'
      }
    />
  );

  return (
    <div className="with-action-bar">
      <div className="list-toolbar draft-toolbar">
        <Space wrap>
          <Input.Search
            allowClear
            placeholder="搜索任务、单位"
            aria-label="搜索草稿"
            style={{ width: 220 }}
            onSearch={setSearch}
          />
          <Checkbox checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)}>
            只看有问题的（{withProblems.size}）
          </Checkbox>
          <Button disabled={locked || !withProblems.size} onClick={() => setSelected([...withProblems])}>
            选中有问题的
          </Button>
          <Button disabled={locked || !rows.length} onClick={invert}>
            反选
          </Button>
        </Space>
        <Space wrap className="action-bar">
          <span>已选 {chosen.length} 条</span>
          <Button disabled={locked || chosen.length < 2} onClick={() => void confirmMerge()}>
            合并
          </Button>
          <Button danger disabled={locked || chosen.length < 1} onClick={() => void confirmRemove()}>
            删除
          </Button>
        </Space>
      </div>
      {phone ? (
        <List
          loading={loading}
          dataSource={rows}
          rowKey="id"
          locale={{ emptyText: empty }}
          pagination={{ pageSize: 20, size: 'small' }}
          renderItem={(d) => (
            <List.Item>
              <Card
                size="small"
                style={{ width: '100%' }}
                title={
                  <Checkbox
                    checked={selected.includes(d.id)}
                    disabled={locked}
                    onChange={(e) =>
                      setSelected((s) => (e.target.checked ? [...s, d.id] : s.filter((id) => id !== d.id)))
                    }
                  >
                    第 {d.code} 项
                  </Checkbox>
                }
                extra={actions(d)}
              >
                {title(d)}
                <div>
                  牵头：
                  <UnitTags draft={d} role="LEAD" />
                </div>
                <div>
                  配合：
                  <UnitTags draft={d} role="SUPPORT" />
                </div>
                <div>完成时限：{shortDate(d.dueAt)}</div>
              </Card>
            </List.Item>
          )}
        />
      ) : (
        <Table<DraftRowFragment>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={rows}
          locale={{ emptyText: empty }}
          rowSelection={{
            selectedRowKeys: selected,
            onChange: (keys) => setSelected(keys.map(String)),
            getCheckboxProps: (d) => ({
              disabled: locked || !!d.taskId,
              'aria-label': `选择第 ${d.code} 项`,
            }),
          }}
          rowClassName={(d) => (d.id === last ? 'draft-current' : '')}
          pagination={{
            ...paging,
            onChange: (current, pageSize) => setPaging({ current, pageSize }),
            showSizeChanger: true,
            showTotal: (n) => `共 ${n.toLocaleString('zh-CN')} 条`,
          }}
        />
      )}
      {draft && (
        <DraftEditor draft={draft} onClose={() => setEditing(null)} onSaved={replace} reload={reload} />
      )}
      {splitting && <SplitDialog draft={splitting} onClose={() => setSplitting(null)} onDone={reload} />}
    </div>
  );
}
