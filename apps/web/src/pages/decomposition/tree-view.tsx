import { useQuery } from '@apollo/client/react';
import { Empty, Grid, Space, Spin, Tag, Tree, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { DecompositionPlanTreeQuery } from '../../gql/graphql';
import { longDate } from '../../workdays';
import { PLAN_TREE } from './queries';
import { buildTree, flatten, levelWord, levelCounts, markPhrases, type TreeNode } from './tree';

type Target = DecompositionPlanTreeQuery['plan']['targets'][number];
type Node = TreeNode<Target>;

/** At most this many targets are shown beside the tree at once (a chapter of a long plan has hundreds). */
const SHOWN = 40;

const label = (n: Node) => `${n.number ? `${n.number} ` : ''}${n.title}`;

/** Each node's title, with how many indicators were read under it. */
function toTreeData(
  nodes: Node[],
): { key: string; title: string; children: ReturnType<typeof toTreeData> }[] {
  return nodes.map((n) => {
    const indicators = flatten(n).reduce((sum, t) => sum + t.indicators.length, 0);
    return {
      key: n.id,
      title: indicators ? `${label(n)} · ${indicators} 个指标` : label(n),
      children: toTreeData(n.children),
    };
  });
}

/** One target's text, its indicators marked where they were read, and beside it what was read from it. */
function TargetText({ node }: { node: Node }) {
  const segments = markPhrases(
    node.body,
    node.indicators.map((i) => i.phrase),
  );
  const depth = { PART: 4, CHAPTER: 4, SECTION: 5, ITEM: 5, MEASURE: 5 }[node.level] as 4 | 5;
  return (
    <section className="target-text" aria-label={label(node)}>
      <div className="target-body">
        <Typography.Title level={depth} style={{ margin: 0 }}>
          <Tag>{levelWord(node)}</Tag>
          {label(node)}
        </Typography.Title>
        {node.body && (
          <Typography.Paragraph style={{ margin: '4px 0 0' }}>
            {segments.map((s, i) =>
              s.marked ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
            )}
          </Typography.Paragraph>
        )}
      </div>
      {(node.indicators.length > 0 || node.dueAt) && (
        <aside className="target-facts">
          {node.dueAt && <div>完成时限：{longDate(node.dueAt)}</div>}
          {node.indicators.map((i) => (
            <div key={i.id}>
              <Tag color={i.kind === 'BINDING' ? 'red' : 'blue'}>
                {i.kind === 'BINDING' ? '约束性' : '预期性'}
              </Tag>
              {i.name} {i.comparator} {i.targetValue.toLocaleString('zh-CN')}
              {i.unit}（{i.targetYear}年）
            </div>
          ))}
        </aside>
      )}
    </section>
  );
}

/** The plan's target tree (章/节/条/措施) on the left, the chosen part's text with its indicators and deadlines. */
export function TreeView({ planId }: { planId: string }) {
  const { data, loading } = useQuery(PLAN_TREE, { variables: { id: planId } });
  const targets = data?.plan.targets;
  const roots = useMemo(() => buildTree(targets ?? []), [targets]);
  const [selected, setSelected] = useState<string | null>(null);
  const phone = !Grid.useBreakpoint().md;
  if (loading && !data) return <Spin />;
  if (!targets?.length)
    return <Empty description="该计划没有目标树（折子工程按表格导入）：请到“任务草稿”查看" />;
  const find = (nodes: Node[]): Node | undefined =>
    nodes.map((n) => (n.id === selected ? n : find(n.children))).find(Boolean);
  const current = (selected && find(roots)) || roots[0];
  const shown = flatten(current);
  return (
    <>
      <Typography.Paragraph type="secondary">
        {levelCounts(targets)} · {targets.reduce((n, t) => n + t.indicators.length, 0)}{' '}
        个指标。选择左侧条目查看原文；
        <mark>标记</mark>处为识别出的指标。
      </Typography.Paragraph>
      <div className={phone ? undefined : 'plan-tree-layout'}>
        <nav className="plan-tree" aria-label="目标树">
          <Tree
            treeData={toTreeData(roots)}
            selectedKeys={[current.id]}
            defaultExpandedKeys={roots.map((r) => r.id)}
            onSelect={(keys) => keys[0] && setSelected(String(keys[0]))}
            height={phone ? 320 : 640}
            blockNode
          />
        </nav>
        <div className="plan-text" data-testid="plan-text" tabIndex={0} role="region" aria-label="原文">
          <Space direction="vertical" style={{ width: '100%' }}>
            {shown.slice(0, SHOWN).map((n) => (
              <TargetText key={n.id} node={n} />
            ))}
            {shown.length > SHOWN && (
              <Typography.Text type="secondary">
                另有 {shown.length - SHOWN} 条，请在左侧选择下一级查看
              </Typography.Text>
            )}
          </Space>
        </div>
      </div>
    </>
  );
}
