import type { TargetLevel } from '../../gql/graphql';

/** 篇 / 章 / 节 / 条 / 措施: the levels' usual names (a target also carries its document's own, `levelName`). */
export const LEVEL_LABEL: Record<TargetLevel, string> = {
  PART: '篇',
  CHAPTER: '章',
  SECTION: '节',
  ITEM: '条',
  MEASURE: '措施',
};

/**
 * The level's word: the document's own when it is a word (篇, 部分, 章, 节, 条); a numbering style (一、, （一）, 1.)
 * is already in the target's number, so the usual name is shown instead.
 */
export function levelWord(target: { level: TargetLevel; levelName?: string }): string {
  return target.levelName && /^[\u4e00-\u9fff]+$/.test(target.levelName)
    ? target.levelName
    : LEVEL_LABEL[target.level];
}

export interface FlatTarget {
  id: string;
  parentId?: string | null;
  position: number;
  level: TargetLevel;
  /** The level as the document names it (篇, 章, 一、, （一） …). */
  levelName?: string;
  number: string;
  title: string;
  body: string;
  dueAt?: string | null;
  indicators: readonly { phrase: string }[];
}

export type TreeNode<T extends FlatTarget> = T & { children: TreeNode<T>[] };

/** The plan's targets (flat, in document order) as a tree: roots and children ordered by position. */
export function buildTree<T extends FlatTarget>(targets: readonly T[]): TreeNode<T>[] {
  const nodes = new Map<string, TreeNode<T>>(targets.map((t) => [t.id, { ...t, children: [] }]));
  const roots: TreeNode<T>[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const order = (list: TreeNode<T>[]) => {
    list.sort((a, b) => a.position - b.position);
    list.forEach((n) => order(n.children));
  };
  order(roots);
  return roots;
}

/** A node and everything under it, in reading order. */
export function flatten<T extends FlatTarget>(node: TreeNode<T>): TreeNode<T>[] {
  return [node, ...node.children.flatMap((c) => flatten(c))];
}

/** How many targets of each level, as 10 章 · 36 节 · 79 条 · 223 措施. */
export function levelCounts(targets: readonly { level: TargetLevel }[]): string {
  const counts = new Map<TargetLevel, number>();
  for (const t of targets) counts.set(t.level, (counts.get(t.level) ?? 0) + 1);
  return (Object.keys(LEVEL_LABEL) as TargetLevel[])
    .filter((level) => counts.get(level))
    .map((level) => `${counts.get(level)!.toLocaleString('zh-CN')} ${LEVEL_LABEL[level]}`)
    .join(' · ');
}

export interface Segment {
  text: string;
  /** The phrase an indicator was read from. */
  marked: boolean;
}

/** A target's text cut where its indicators' phrases stand, so they can be marked in place. */
export function markPhrases(text: string, phrases: readonly string[]): Segment[] {
  const wanted = [...new Set(phrases.filter(Boolean))].sort((a, b) => b.length - a.length);
  const segments: Segment[] = [];
  let rest = text;
  while (rest) {
    let best: { at: number; phrase: string } | null = null;
    for (const phrase of wanted) {
      const at = rest.indexOf(phrase);
      if (at >= 0 && (!best || at < best.at)) best = { at, phrase };
    }
    if (!best) {
      segments.push({ text: rest, marked: false });
      break;
    }
    if (best.at > 0) segments.push({ text: rest.slice(0, best.at), marked: false });
    segments.push({ text: best.phrase, marked: true });
    rest = rest.slice(best.at + best.phrase.length);
  }
  return segments;
}
