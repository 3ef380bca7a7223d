import type { EntityManager } from 'typeorm';
import { ASSIGNABLE_KINDS, OrgUnit, OrgUnitKind } from '@zhezi/org';

/**
 * Unit names as documents and tables write them → the units that take tasks. A unit's own name wins over
 * another's alias; the same without 北京市/海淀区 prefixes next. A name two units answer to is reported, not
 * guessed. Merged and renamed units answer to their old names as aliases of the unit in use.
 */
export class UnitDirectory {
  private readonly names = new Map<string, Set<OrgUnit>>();
  private readonly aliases = new Map<string, Set<OrgUnit>>();

  /** `units` in the government's order (sort order), which is the order blanket terms expand in. */
  constructor(readonly units: readonly OrgUnit[]) {
    const add = (map: Map<string, Set<OrgUnit>>, name: string, unit: OrgUnit) => {
      for (const variant of UnitDirectory.variants(name)) {
        map.set(variant, (map.get(variant) ?? new Set()).add(unit));
      }
    };
    for (const unit of units) {
      add(this.names, unit.name, unit);
      for (const alias of unit.aliases) add(this.aliases, alias, unit);
    }
  }

  private static variants(name: string): string[] {
    const bare = name.replace(/\s/g, '');
    return [bare, bare.replace(/^北京市/, ''), bare.replace(/^(北京市)?海淀区/, '区')];
  }

  /** The unit, nothing found, or the several units the name could mean. */
  find(name: string): OrgUnit | OrgUnit[] | undefined {
    for (const map of [this.names, this.aliases]) {
      for (const variant of UnitDirectory.variants(name)) {
        const found = map.get(variant);
        if (found) return found.size === 1 ? [...found][0] : [...found];
      }
    }
    return undefined;
  }

  ofKinds(kinds: readonly OrgUnitKind[]): OrgUnit[] {
    return this.units.filter((u) => kinds.includes(u.kind));
  }
}

/** The active units that take tasks, in the government's order. */
export async function loadUnitDirectory(manager: EntityManager): Promise<UnitDirectory> {
  const units = await manager.find(OrgUnit, { where: { active: true }, order: { sortOrder: 'ASC' } });
  return new UnitDirectory(units.filter((u) => ASSIGNABLE_KINDS.includes(u.kind)));
}
