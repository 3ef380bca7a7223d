import type { OrgUnitKind } from '../../gql/graphql';
import { UNIT_KIND_LABEL } from '../../labels';

export interface TreeUnit {
  id: string;
  name: string;
  kind: OrgUnitKind;
  aliases: readonly string[];
  parentId?: string | null;
  active: boolean;
}

export interface UnitNode {
  key: string;
  title: string;
  /** The unit this node stands for; none for a group of a parent's children of one kind. */
  unitId?: string;
  inactive?: boolean;
  children?: UnitNode[];
}

const KIND_ORDER: OrgUnitKind[] = ['GOVERNMENT', 'INSPECTORATE', 'DEPARTMENT', 'SUBDISTRICT', 'TOWN'];

const matches = (unit: TreeUnit, text: string) =>
  unit.name.includes(text) || unit.aliases.some((alias) => alias.includes(text));

/**
 * The org chart as a tree: each unit under its parent, a parent's children grouped by kind where it has
 * several kinds (the government's 委办局 / 街道 / 镇 / 督查室), in the order the API lists them. With `search`,
 * only units whose name or an alias contains it remain, with the units above them.
 */
export function buildUnitTree(units: readonly TreeUnit[], search = ''): UnitNode[] {
  const text = search.trim();
  const byParent = new Map<string | null, TreeUnit[]>();
  for (const unit of units) {
    const parent = unit.parentId ?? null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), unit]);
  }
  const known = new Set(units.map((u) => u.id));

  const build = (unit: TreeUnit): UnitNode | null => {
    const children = childrenOf(unit.id);
    if (text && !matches(unit, text) && children.length === 0) return null;
    return {
      key: unit.id,
      title: unit.active ? unit.name : `${unit.name}（已停用）`,
      unitId: unit.id,
      inactive: !unit.active,
      ...(children.length && { children }),
    };
  };

  function childrenOf(parentId: string): UnitNode[] {
    const children = byParent.get(parentId) ?? [];
    const kinds = KIND_ORDER.filter((kind) => children.some((c) => c.kind === kind));
    const nodesOf = (kind: OrgUnitKind) =>
      children.filter((c) => c.kind === kind).flatMap((c) => build(c) ?? []);
    if (kinds.length <= 1) return kinds.flatMap(nodesOf);
    return kinds.flatMap((kind) => {
      const nodes = nodesOf(kind);
      if (!nodes.length) return [];
      return [
        { key: `${parentId}:${kind}`, title: `${UNIT_KIND_LABEL[kind]}（${nodes.length}）`, children: nodes },
      ];
    });
  }

  // Roots: units without a parent, or whose parent is not listed (an inactive parent left out).
  const roots = units.filter((u) => !u.parentId || !known.has(u.parentId));
  return roots.flatMap((u) => build(u) ?? []);
}

/** Every key of the tree, for expanding it all (after a search). */
export function allKeys(nodes: readonly UnitNode[]): string[] {
  return nodes.flatMap((n) => [n.key, ...allKeys(n.children ?? [])]);
}
