import { useQuery } from '@apollo/client/react';
import { Select } from 'antd';
import { useEffect } from 'react';
import { graphql } from '../../gql';
import type { OrgUnitKind } from '../../gql/graphql';

const UNITS_AND_PLANS = graphql(`
  query InspectorFilterChoices {
    orgUnits {
      id
      name
      kind
    }
    plans(first: 100) {
      edges {
        node {
          id
          title
        }
      }
    }
  }
`);

/** Units that hold shares, grouped as offices think of them. */
const GROUPS: { label: string; kinds: OrgUnitKind[] }[] = [
  { label: '委办局', kinds: ['DEPARTMENT'] },
  { label: '街道', kinds: ['SUBDISTRICT'] },
  { label: '镇（地区）', kinds: ['TOWN'] },
];

function useChoices() {
  return useQuery(UNITS_AND_PLANS, { fetchPolicy: 'cache-first' }).data;
}

/** Any unit, searched by name, grouped by kind; empty is every unit. */
export function UnitSelect({
  value,
  onChange,
}: {
  value?: string;
  onChange(value: string | undefined): void;
}) {
  const units = useChoices()?.orgUnits ?? [];
  return (
    <Select<string | undefined>
      aria-label="按承办单位筛选"
      placeholder="承办单位"
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      style={{ width: 200 }}
      value={value}
      onChange={onChange}
      options={GROUPS.map((g) => ({
        label: g.label,
        title: g.label,
        options: units.filter((u) => g.kinds.includes(u.kind)).map((u) => ({ value: u.id, label: u.name })),
      }))}
    />
  );
}

/** A plan; `required` picks the first one once plans are known (a bulletin is always of one plan). */
export function PlanSelect({
  value,
  onChange,
  required = false,
}: {
  value?: string;
  onChange(value: string | undefined): void;
  required?: boolean;
}) {
  const plans = useChoices()?.plans.edges.map((e) => e.node);
  const first = plans?.[0]?.id;
  useEffect(() => {
    if (required && !value && first) onChange(first);
  }, [required, value, first, onChange]);
  return (
    <Select<string | undefined>
      aria-label="按计划筛选"
      placeholder="全部计划"
      allowClear={!required}
      style={{ width: 280 }}
      value={value}
      onChange={onChange}
      options={(plans ?? []).map((p) => ({ value: p.id, label: p.title }))}
      popupMatchSelectWidth={false}
    />
  );
}
