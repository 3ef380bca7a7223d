import { useApolloClient, useQuery } from '@apollo/client/react';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { sessionExpired, setBearer } from './apollo';
import { graphql } from './gql';
import type { ViewerQuery } from './gql/graphql';

export const VIEWER = graphql(`
  query Viewer {
    viewer {
      id
      username
      displayName
      role
      orgUnit {
        id
        name
      }
    }
  }
`);

export type Viewer = ViewerQuery['viewer'];

interface Session {
  viewer: Viewer | null;
  loading: boolean;
  signedIn(token: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useApolloClient();
  const { data, loading, refetch } = useQuery(VIEWER, { fetchPolicy: 'network-only', errorPolicy: 'all' });
  const session = useMemo<Session>(
    () => ({
      viewer: data?.viewer ?? null,
      loading,
      async signedIn(token) {
        setBearer(token);
        sessionExpired(false);
        await refetch();
      },
      async signOut() {
        setBearer(null);
        await client.clearStore();
        await refetch();
      },
    }),
    [client, data, loading, refetch],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
