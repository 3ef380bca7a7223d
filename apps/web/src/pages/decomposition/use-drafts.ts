import { useApolloClient } from '@apollo/client/react';
import { useCallback, useEffect, useState } from 'react';
import type { DecompositionDraftsQuery, DraftRowFragment } from '../../gql/graphql';
import { DRAFTS } from './queries';

/** A plan's drafts are read whole (a plan has a few hundred): pages of 50 (within the query cost limit) to the last. */
export function useAllDrafts(planId: string) {
  const client = useApolloClient();
  const [drafts, setDrafts] = useState<DraftRowFragment[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const all: DraftRowFragment[] = [];
      let after: string | null | undefined = null;
      do {
        const { data }: { data?: DecompositionDraftsQuery } = await client.query({
          query: DRAFTS,
          variables: { planId, after },
          fetchPolicy: 'network-only',
        });
        if (!data) break;
        all.push(...data.draftTasks.edges.map((e) => e.node));
        after = data.draftTasks.pageInfo.hasNextPage ? data.draftTasks.pageInfo.endCursor : null;
      } while (after);
      setDrafts(all);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [client, planId]);
  useEffect(() => {
    void reload();
  }, [reload]);
  /** One draft as a mutation returned it. */
  const replace = useCallback(
    (draft: DraftRowFragment) =>
      setDrafts((list) => list?.map((d) => (d.id === draft.id ? draft : d)) ?? null),
    [],
  );
  return { drafts, error, loading, reload, replace };
}
