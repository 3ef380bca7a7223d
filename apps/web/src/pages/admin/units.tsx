import { PlusOutlined } from '@ant-design/icons';
import { CombinedGraphQLErrors } from '@apollo/client';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tabs,
  Tag,
  Tree,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { FormModal } from '../../components/form-modal';
import { useReportError } from '../../components/report-error';
import { UnitSelect } from '../../components/unit-select';
import { graphql } from '../../gql';
import type { LeaderPortfoliosQuery, OrgUnitKind, OrgUnitsAdminQuery } from '../../gql/graphql';
import { UNIT_KIND_LABEL } from '../../labels';
import { allKeys, buildUnitTree } from './unit-tree';

const UNITS = graphql(`
  query OrgUnitsAdmin($includeInactive: Boolean) {
    orgUnits(includeInactive: $includeInactive) {
      id
      name
      code
      kind
      aliases
      parentId
      active
      mergedIntoId
      version
    }
  }
`);

const PORTFOLIOS = graphql(`
  query LeaderPortfolios {
    leaderPortfolios {
      leader {
        id
        displayName
        title
      }
      orgUnits {
        id
        name
      }
    }
  }
`);

const CREATE = graphql(`
  mutation CreateOrgUnit($input: CreateOrgUnitInput!) {
    createOrgUnit(input: $input) {
      id
      name
    }
  }
`);

const UPDATE = graphql(`
  mutation UpdateOrgUnit($input: UpdateOrgUnitInput!) {
    updateOrgUnit(input: $input) {
      id
      name
      aliases
      version
    }
  }
`);

const DEACTIVATE = graphql(`
  mutation DeactivateOrgUnit($input: OrgUnitVersionInput!) {
    deactivateOrgUnit(input: $input) {
      id
      active
    }
  }
`);

const MERGE = graphql(`
  mutation MergeOrgUnits($input: MergeOrgUnitsInput!) {
    mergeOrgUnits(input: $input) {
      movedShares
      mergedShares
      movedUsers
      into {
        id
        name
      }
    }
  }
`);

const SET_PORTFOLIO = graphql(`
  mutation SetLeaderPortfolio($input: SetLeaderPortfolioInput!) {
    setLeaderPortfolio(input: $input) {
      leader {
        id
      }
    }
  }
`);

type Unit = OrgUnitsAdminQuery['orgUnits'][number];
type Portfolio = LeaderPortfoliosQuery['leaderPortfolios'][number];

/** After any change to the chart, every list of units (pickers included) is read again. */
const UNIT_LISTS = ['OrgUnitsAdmin', 'UnitOptions', 'LeaderPortfolios'];
const REFRESH = { refetchQueries: UNIT_LISTS, awaitRefetchQueries: true };

/** For a dialog whose unit someone else changed meanwhile: close it and show the chart as it is now. */
function useReloadChart(onClose: () => void) {
  const client = useApolloClient();
  return () => {
    onClose();
    return client.refetchQueries({ include: UNIT_LISTS });
  };
}
const TASK_KINDS: OrgUnitKind[] = ['DEPARTMENT', 'SUBDISTRICT', 'TOWN'];
const CHILD_KINDS: OrgUnitKind[] = ['DEPARTMENT', 'SUBDISTRICT', 'TOWN', 'INSPECTORATE'];

const OPEN_WORK: Record<string, string> = {
  openShares: '在办分工 {n} 项',
  drafts: '未发布的任务草稿 {n} 条',
  users: '在用用户 {n} 人',
  childUnits: '下级机构 {n} 个',
  pendingApprovals: '待决审批 {n} 件',
};

const BLOCK_REASON: Record<string, string> = {
  PENDING_APPROVAL: '有待决的审批申请，须先审批或撤回',
  OPEN_NOTICES: '两单位各有未办结的督办单，须先办结其一',
  SPLIT_BY_OTHER_UNIT: '两份分工由不同部门分解而来，须由一个部门先撤回其分解',
};

/** The structured part of a refusal (`open`, `blocked`), when the API sent one. */
function refusal(error: unknown): Record<string, unknown> | undefined {
  return CombinedGraphQLErrors.is(error) ? error.errors[0]?.extensions : undefined;
}

interface UnitValues {
  code?: string;
  name: string;
  kind: OrgUnitKind;
  parentId?: string;
  aliases: string[];
}

function UnitForm({
  unit,
  defaults,
  onClose,
  onSaved,
}: {
  unit: Unit | null;
  defaults?: Partial<UnitValues>;
  onClose(): void;
  onSaved(id: string): void;
}) {
  const [form] = Form.useForm<UnitValues>();
  const [create, { loading: creating }] = useMutation(CREATE, REFRESH);
  const [update, { loading: updating }] = useMutation(UPDATE, REFRESH);
  const report = useReportError();
  const { message } = App.useApp();
  const name = Form.useWatch('name', form);
  const reload = useReloadChart(onClose);
  const government = unit?.kind === 'GOVERNMENT';

  const submit = async (v: UnitValues) => {
    try {
      if (unit) {
        const { data } = await update({
          variables: {
            input: {
              id: unit.id,
              version: unit.version,
              name: v.name.trim(),
              aliases: v.aliases,
              ...(!government && { kind: v.kind, parentId: v.parentId }),
            },
          },
        });
        const saved = data!.updateOrgUnit;
        void message.success(
          saved.name !== unit.name
            ? `已改名为“${saved.name}”，“${unit.name}”保留为曾用名`
            : `已保存“${saved.name}”`,
        );
        onSaved(saved.id);
      } else {
        const { data } = await create({
          variables: {
            input: {
              code: v.code!.trim(),
              name: v.name.trim(),
              kind: v.kind,
              parentId: v.parentId!,
              aliases: v.aliases,
            },
          },
        });
        void message.success(`已新增“${data!.createOrgUnit.name}”`);
        onSaved(data!.createOrgUnit.id);
      }
    } catch (error) {
      report(error, { form, reload });
    }
  };

  return (
    <FormModal
      title={unit ? `修改机构：${unit.name}` : '新增机构'}
      form={form}
      loading={creating || updating}
      onClose={onClose}
      width={600}
    >
      <Form<UnitValues>
        form={form}
        layout="vertical"
        initialValues={
          unit
            ? {
                name: unit.name,
                kind: unit.kind,
                parentId: unit.parentId ?? undefined,
                aliases: [...unit.aliases],
              }
            : { kind: 'DEPARTMENT', aliases: [], ...defaults }
        }
        onFinish={(v) => void submit(v)}
      >
        {!unit && (
          <Form.Item
            name="code"
            label="机构代码"
            rules={[{ required: true, message: '请填写机构代码' }]}
            extra="唯一；街道、镇用统计用区划代码"
          >
            <Input maxLength={20} />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label="正式名称"
          rules={[{ required: true, whitespace: true, message: '请填写名称' }]}
          extra={
            unit && name && name.trim() !== unit.name
              ? `改名后“${unit.name}”自动成为曾用名，旧文件和表格仍能识别`
              : undefined
          }
        >
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="aliases" label="简称与曾用名" extra="输入后回车；如 区发改委">
          <Select mode="tags" open={false} suffixIcon={null} aria-label="简称与曾用名" />
        </Form.Item>
        {!government && (
          <Space wrap align="start">
            <Form.Item name="kind" label="类别">
              <Select
                style={{ width: 160 }}
                options={CHILD_KINDS.map((k) => ({ value: k, label: UNIT_KIND_LABEL[k] }))}
              />
            </Form.Item>
            <Form.Item
              name="parentId"
              label="上级机构"
              rules={[{ required: true, message: '请选择上级机构' }]}
              extra={unit ? '换一个上级即移动该机构' : undefined}
            >
              <UnitSelect style={{ width: 280 }} />
            </Form.Item>
          </Space>
        )}
      </Form>
    </FormModal>
  );
}

function MergeForm({
  from,
  onClose,
  onMerged,
}: {
  from: Unit;
  onClose(): void;
  onMerged(intoId: string): void;
}) {
  const [form] = Form.useForm<{ intoId: string }>();
  const [merge, { loading }] = useMutation(MERGE, REFRESH);
  const { data } = useQuery(UNITS, { variables: { includeInactive: false } });
  const report = useReportError();
  const { modal } = App.useApp();
  const [blocked, setBlocked] = useState<{ code: string; reason: string }[]>([]);
  const reload = useReloadChart(onClose);
  const local = from.kind === 'SUBDISTRICT' || from.kind === 'TOWN';
  const kinds: OrgUnitKind[] = local ? ['SUBDISTRICT', 'TOWN'] : [from.kind];

  const submit = async ({ intoId }: { intoId: string }) => {
    const into = data?.orgUnits.find((u) => u.id === intoId);
    if (!into) return;
    setBlocked([]);
    try {
      const { data: result } = await merge({
        variables: {
          input: { fromId: from.id, fromVersion: from.version, intoId, intoVersion: into.version },
        },
      });
      const r = result!.mergeOrgUnits;
      modal.success({
        title: `已将${from.name}并入${r.into.name}`,
        content: `移交在办分工 ${r.movedShares} 项（其中 ${r.mergedShares} 项与${r.into.name}同一任务，已合并为一条），移交用户 ${r.movedUsers} 人。“${from.name}”已停用，成为${r.into.name}的曾用名。`,
      });
      onMerged(intoId);
    } catch (error) {
      const details = refusal(error);
      if (details?.reason === 'MERGE_BLOCKED')
        setBlocked(details.blocked as { code: string; reason: string }[]);
      else report(error, { form, reload });
    }
  };

  return (
    <FormModal
      title={`合并机构：把“${from.name}”并入…`}
      form={form}
      loading={loading}
      onClose={onClose}
      okText="合并"
      danger
      width={680}
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        title="合并不可撤销"
        description={
          <ul className="rules">
            <li>
              在办分工、未发布的任务草稿、推送渠道、关键词、分管关系、下级机构、待决审批和人员，一并移交保留机构。
            </li>
            <li>已销号的分工留在原机构名下，历史记录保持原名称。</li>
            <li>
              两单位在同一任务上各有分工的，合并为一条：状态取进展较慢的，进度取低，完成时限取早，牵头优先于配合。
            </li>
            <li>
              这样的任务若有待决审批、两份分工均有未办结的督办单，或分别由不同部门分解而来，须先处理才能合并。
            </li>
            <li>
              被合并机构停用，其名称和简称成为保留机构的曾用名。
              {local ? '街道与镇可互相合并。' : '只能并入同类机构。'}
            </li>
          </ul>
        }
      />
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="intoId" label="保留的机构" rules={[{ required: true, message: '请选择保留的机构' }]}>
          <UnitSelect kinds={kinds} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
      {blocked.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={`有 ${blocked.length} 项任务须先处理，未合并`}
          description={
            <Table
              size="small"
              rowKey={(b) => `${b.code}-${b.reason}`}
              pagination={false}
              dataSource={blocked}
              columns={[
                { title: '任务编号', dataIndex: 'code', width: 120 },
                { title: '原因', key: 'reason', render: (_, b) => BLOCK_REASON[b.reason] ?? b.reason },
              ]}
            />
          }
        />
      )}
    </FormModal>
  );
}

function UnitDetail({
  unit,
  units,
  leader,
  onEdit,
  onAddChild,
  onMerge,
  onSplit,
  onDeactivated,
}: {
  unit: Unit;
  units: readonly Unit[];
  leader?: Portfolio['leader'];
  onEdit(): void;
  onAddChild(): void;
  onMerge(): void;
  onSplit(): void;
  onDeactivated(): void;
}) {
  const [deactivate] = useMutation(DEACTIVATE, REFRESH);
  const report = useReportError();
  const { message, modal } = App.useApp();
  const nameOf = (id?: string | null) => units.find((u) => u.id === id)?.name ?? '—';
  const government = unit.kind === 'GOVERNMENT';

  const onDeactivate = () =>
    modal.confirm({
      title: `停用“${unit.name}”？`,
      content: '只有没有未办结事项的机构能停用；停用后不再出现在选单位、看板和导入中，历史记录仍可查。',
      okText: '停用',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          await deactivate({ variables: { input: { id: unit.id, version: unit.version } } });
          void message.success(`已停用“${unit.name}”`);
          onDeactivated();
        } catch (error) {
          const open = refusal(error)?.open as Record<string, number> | undefined;
          if (!open) return report(error);
          modal.error({
            title: `“${unit.name}”仍有未办结事项，不能停用`,
            content: (
              <div>
                <ul>
                  {Object.entries(open).map(([key, n]) => (
                    <li key={key}>{(OPEN_WORK[key] ?? `${key} {n}`).replace('{n}', String(n))}</li>
                  ))}
                </ul>
                <p>可将其合并到其他机构，事项随之移交。</p>
              </div>
            ),
          });
        }
      },
    });

  return (
    <Card
      title={unit.name}
      extra={
        unit.active ? (
          <Tag className="status status-ACCEPTED">在用</Tag>
        ) : (
          <Tag className="status">已停用</Tag>
        )
      }
    >
      <Descriptions column={1} size="small">
        <Descriptions.Item label="机构代码">{unit.code}</Descriptions.Item>
        <Descriptions.Item label="类别">{UNIT_KIND_LABEL[unit.kind]}</Descriptions.Item>
        <Descriptions.Item label="上级机构">{government ? '—' : nameOf(unit.parentId)}</Descriptions.Item>
        <Descriptions.Item label="简称与曾用名">
          {unit.aliases.length ? unit.aliases.map((a) => <Tag key={a}>{a}</Tag>) : '—'}
        </Descriptions.Item>
        {TASK_KINDS.includes(unit.kind) && (
          <Descriptions.Item label="分管领导">
            {leader
              ? `${leader.displayName}${leader.title ? `（${leader.title}）` : ''}`
              : '未设置（在“分管领导”中设置）'}
          </Descriptions.Item>
        )}
        {unit.mergedIntoId && (
          <Descriptions.Item label="已并入">{nameOf(unit.mergedIntoId)}</Descriptions.Item>
        )}
      </Descriptions>
      {unit.active && (
        <Space wrap style={{ marginTop: 16 }}>
          <Button onClick={onEdit}>改名 / 修改</Button>
          <Button onClick={onAddChild}>新增下级机构</Button>
          {!government && (
            <>
              <Button onClick={onMerge}>合并到…</Button>
              <Button onClick={onSplit}>拆分</Button>
              <Button danger onClick={() => void onDeactivate()}>
                停用
              </Button>
            </>
          )}
        </Space>
      )}
    </Card>
  );
}

function PortfolioForm({ portfolio, onClose }: { portfolio: Portfolio; onClose(): void }) {
  const [form] = Form.useForm<{ orgUnitIds: string[] }>();
  const [save, { loading }] = useMutation(SET_PORTFOLIO, REFRESH);
  const report = useReportError();
  const { message } = App.useApp();
  const submit = async ({ orgUnitIds }: { orgUnitIds: string[] }) => {
    try {
      await save({ variables: { input: { leaderId: portfolio.leader.id, orgUnitIds } } });
      void message.success(`已保存${portfolio.leader.displayName}分管的 ${orgUnitIds.length} 个单位`);
      onClose();
    } catch (error) {
      report(error, { form });
    }
  };
  return (
    <FormModal
      title={`分管单位：${portfolio.leader.displayName}${portfolio.leader.title ? `（${portfolio.leader.title}）` : ''}`}
      form={form}
      loading={loading}
      onClose={onClose}
      width={640}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="一个单位只有一位分管领导：选中其他领导分管的单位，即改由这位领导分管。未写明责任领导的任务、导入表中的“分管副区长”和审批都按此认定。"
      />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ orgUnitIds: portfolio.orgUnits.map((u) => u.id) }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="orgUnitIds" label="分管的单位">
          <UnitSelect mode="multiple" kinds={TASK_KINDS} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function Portfolios() {
  const { data, loading } = useQuery(PORTFOLIOS, { fetchPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState<Portfolio | null>(null);
  return (
    <>
      <Table<Portfolio>
        rowKey={(p) => p.leader.id}
        loading={loading && !data}
        dataSource={data?.leaderPortfolios ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description="没有在任的区领导账号；先在“用户”中新建" /> }}
        columns={[
          {
            title: '区领导',
            key: 'leader',
            width: 200,
            render: (_, p) => `${p.leader.displayName}${p.leader.title ? `（${p.leader.title}）` : ''}`,
          },
          {
            title: '分管单位',
            key: 'units',
            render: (_, p) =>
              p.orgUnits.length ? p.orgUnits.map((u) => <Tag key={u.id}>{u.name}</Tag>) : '—',
          },
          {
            title: '操作',
            key: 'edit',
            width: 90,
            render: (_, p) => (
              <Button size="small" onClick={() => setEditing(p)}>
                修改
              </Button>
            ),
          },
        ]}
      />
      {editing && <PortfolioForm portfolio={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

type Dialog =
  | { kind: 'edit'; unit: Unit }
  | { kind: 'create'; defaults: Partial<UnitValues> }
  | { kind: 'merge'; unit: Unit }
  | { kind: 'split'; unit: Unit };

function Chart() {
  const [showInactive, setShowInactive] = useState(false);
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const { data, loading } = useQuery(UNITS, {
    variables: { includeInactive: showInactive },
    fetchPolicy: 'cache-and-network',
  });
  const { data: portfolios } = useQuery(PORTFOLIOS);
  const units = useMemo(() => data?.orgUnits ?? [], [data]);
  const tree = useMemo(() => buildUnitTree(units, search), [units, search]);
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const unit = units.find((u) => u.id === selected);
  const leaderOf = (id: string) =>
    portfolios?.leaderPortfolios.find((p) => p.orgUnits.some((u) => u.id === id))?.leader;
  // Expanded: all of a search's result; otherwise the root and its groups, until the user folds or unfolds.
  const expandedKeys = search
    ? allKeys(tree)
    : (expanded ?? tree.flatMap((root) => [root.key, ...(root.children ?? []).map((c) => c.key)]));

  return (
    <div className="unit-admin">
      <Card size="small" className="unit-tree">
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.Search
            aria-label="查找机构"
            placeholder="名称或简称"
            allowClear
            onSearch={(v) => setSearch(v)}
            onChange={(e) => !e.target.value && setSearch('')}
          />
          <Space wrap>
            <Switch
              size="small"
              checked={showInactive}
              onChange={setShowInactive}
              aria-label="显示已停用、已合并的机构"
            />
            <span>显示已停用、已合并的机构</span>
          </Space>
          <Button
            icon={<PlusOutlined />}
            onClick={() =>
              setDialog({
                kind: 'create',
                defaults: { parentId: units.find((u) => u.kind === 'GOVERNMENT')?.id },
              })
            }
          >
            新增机构
          </Button>
          {loading && !data ? (
            <Spin />
          ) : tree.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有找到机构" />
          ) : (
            <Tree
              blockNode
              treeData={tree}
              expandedKeys={expandedKeys}
              onExpand={(keys) => setExpanded(keys.map(String))}
              selectedKeys={selected ? [selected] : []}
              onSelect={(_, { node }) => {
                const id = (node as { unitId?: string }).unitId;
                if (id) setSelected(id);
              }}
              titleRender={(node) => (
                <span className={node.inactive ? 'unit-inactive' : undefined}>{node.title}</span>
              )}
            />
          )}
        </Space>
      </Card>
      <div className="unit-detail">
        {unit ? (
          <UnitDetail
            unit={unit}
            units={units}
            leader={leaderOf(unit.id)}
            onEdit={() => setDialog({ kind: 'edit', unit })}
            onAddChild={() =>
              setDialog({
                kind: 'create',
                defaults: { parentId: unit.id, kind: unit.kind === 'GOVERNMENT' ? 'DEPARTMENT' : unit.kind },
              })
            }
            onMerge={() => setDialog({ kind: 'merge', unit })}
            onSplit={() => setDialog({ kind: 'split', unit })}
            onDeactivated={() => setSelected(null)}
          />
        ) : (
          <Card>
            <Empty description="在左侧选择一个机构，查看、改名、移动、合并或停用它" />
          </Card>
        )}
      </div>
      {dialog?.kind === 'edit' && (
        <UnitForm unit={dialog.unit} onClose={() => setDialog(null)} onSaved={() => setDialog(null)} />
      )}
      {dialog?.kind === 'create' && (
        <UnitForm
          unit={null}
          defaults={dialog.defaults}
          onClose={() => setDialog(null)}
          onSaved={(id) => {
            setDialog(null);
            setSelected(id);
          }}
        />
      )}
      {dialog?.kind === 'merge' && (
        <MergeForm
          from={dialog.unit}
          onClose={() => setDialog(null)}
          onMerged={(intoId) => {
            setDialog(null);
            setSelected(intoId);
          }}
        />
      )}
      {dialog?.kind === 'split' && (
        <Modal
          open
          title={`拆分机构：${dialog.unit.name}`}
          okText="新增机构"
          cancelText="关闭"
          onCancel={() => setDialog(null)}
          onOk={() =>
            setDialog({
              kind: 'create',
              defaults: { parentId: dialog.unit.parentId ?? undefined, kind: dialog.unit.kind },
            })
          }
        >
          <Typography.Paragraph>
            系统不自动拆分在办任务：哪项任务归哪个新机构，须逐项决定。按以下步骤办理：
          </Typography.Paragraph>
          <ol className="rules">
            <li>新增拆出的机构（同一上级、同一类别）。</li>
            <li>在“用户”中把相关人员调往新机构；在“关键词”中为新机构添加关键词。</li>
            <li>在办任务由牵头单位或区领导申请任务调整：增加新机构的分工、撤销原机构的分工。</li>
            <li>原机构不再承担任务后，可停用或改名。</li>
          </ol>
        </Modal>
      )}
    </div>
  );
}

export default function UnitsPage() {
  return (
    <section>
      <h1 className="page-title">单位</h1>
      <Tabs
        items={[
          { key: 'chart', label: '组织机构', children: <Chart /> },
          { key: 'portfolios', label: '分管领导', children: <Portfolios /> },
        ]}
      />
    </section>
  );
}
