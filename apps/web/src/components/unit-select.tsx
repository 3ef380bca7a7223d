import { useQuery } from '@apollo/client/react';
import { Select, type SelectProps } from 'antd';
import { useMemo } from 'react';
import { graphql } from '../gql';
import type { OrgUnitKind, UnitOptionsQuery } from '../gql/graphql';
import { UNIT_KIND_LABEL } from '../labels';

export const UNIT_OPTIONS = graphql(`
  query UnitOptions {
    orgUnits {
      id
      name
      kind
      aliases
      parentId
      version
      active
    }
  }
`);

export type UnitOption = UnitOptionsQuery['orgUnits'][number];

/** The order units are offered in: the ones tasks go to first. */
const GROUP_ORDER: OrgUnitKind[] = ['DEPARTMENT', 'SUBDISTRICT', 'TOWN', 'INSPECTORATE', 'GOVERNMENT'];

/** The units in use, grouped by kind, each found by its name or any alias (区发改委 finds 区发展改革委). */
export function unitOptions(units: readonly UnitOption[], kinds?: readonly OrgUnitKind[]) {
  return GROUP_ORDER.filter((kind) => !kinds || kinds.includes(kind))
    .map((kind) => ({
      label: UNIT_KIND_LABEL[kind],
      title: UNIT_KIND_LABEL[kind],
      options: units
        .filter((u) => u.kind === kind && u.active)
        .map((u) => ({ value: u.id, label: u.name, search: [u.name, ...u.aliases].join(' ') })),
    }))
    .filter((group) => group.options.length > 0);
}

export function useUnits() {
  const { data, loading } = useQuery(UNIT_OPTIONS);
  return { units: data?.orgUnits, loading };
}

type Props = Omit<SelectProps, 'options' | 'showSearch'> & { kinds?: readonly OrgUnitKind[] };

/** A searchable picker of units grouped by kind; works as a form control (value / onChange). */
export function UnitSelect({ kinds, ...props }: Props) {
  const { units, loading } = useUnits();
  const options = useMemo(() => unitOptions(units ?? [], kinds), [units, kinds]);
  return (
    <Select
      placeholder="选择单位（可输入名称或简称）"
      loading={loading}
      options={options}
      showSearch={{ optionFilterProp: 'search' }}
      {...props}
    />
  );
}

/** The units tasks are handed to, for narrowing a list; empty is every unit. */
const SHARE_UNIT_KINDS: OrgUnitKind[] = ['DEPARTMENT', 'SUBDISTRICT', 'TOWN'];

export function UnitFilter({
  value,
  onChange,
}: {
  value?: string;
  onChange(value: string | undefined): void;
}) {
  return (
    <UnitSelect
      kinds={SHARE_UNIT_KINDS}
      aria-label="按承办单位筛选"
      placeholder="承办单位"
      allowClear
      style={{ width: 200 }}
      value={value}
      onChange={(v: string | undefined) => onChange(v)}
    />
  );
}
