import { useQuery } from '@apollo/client/react';
import { Select } from 'antd';
import type { CSSProperties } from 'react';
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

/** A plan to narrow a list or a board to (the plans the user has shares in); empty is every plan. */
export function PlanSelect({
  value,
  onChange,
  style,
}: {
  value: string | undefined;
  onChange: (planId: string | undefined) => void;
  style?: CSSProperties;
}) {
  const { data, loading } = useQuery(PLANS);
  return (
    <Select<string | undefined>
      aria-label="按计划筛选"
      placeholder="全部计划"
      allowClear
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
