import { useQuery } from '@apollo/client/react';
import { Select } from 'antd';
import { useEffect, type CSSProperties } from 'react';
import { graphql } from '../gql';

const PLANS = graphql(`
  query PlanOptions {
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

/**
 * A plan to narrow a list or a board to (the plans the user has shares in); empty is every plan. `required` picks
 * the first plan once plans are known (a bulletin is always of one plan).
 */
export function PlanSelect({
  value,
  onChange,
  style,
  required = false,
}: {
  value: string | undefined;
  onChange: (planId: string | undefined) => void;
  style?: CSSProperties;
  required?: boolean;
}) {
  const { data, loading } = useQuery(PLANS);
  const first = data?.plans.edges[0]?.node.id;
  useEffect(() => {
    if (required && !value && first) onChange(first);
  }, [required, value, first, onChange]);
  return (
    <Select<string | undefined>
      aria-label="按计划筛选"
      placeholder="全部计划"
      allowClear={!required}
      showSearch={{ optionFilterProp: 'label' }}
      loading={loading}
      style={style}
      value={value}
      onChange={onChange}
      options={data?.plans.edges.map(({ node }) => ({ value: node.id, label: node.title }))}
      popupMatchSelectWidth={false}
    />
  );
}
