import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { sessionExpired } from './apollo';
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

const LOGOUT = graphql(`
  mutation Logout {
    logout
  }
`);

export type Viewer = ViewerQuery['viewer'];

interface Session {
  viewer: Viewer | null;
  loading: boolean;
  signedIn(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useApolloClient();
  const { data, loading, refetch } = useQuery(VIEWER, { fetchPolicy: 'network-only', errorPolicy: 'all' });
  const [logout] = useMutation(LOGOUT);
  const session = useMemo<Session>(
    () => ({
      viewer: data?.viewer ?? null,
      loading,
      async signedIn() {
        sessionExpired(false);
        await refetch();
      },
      async signOut() {
        // Clears the cookie; works with an expired session too. A failure (network) still forgets the user here.
        await logout().catch(() => undefined);
        await client.clearStore();
        await refetch();
      },
    }),
    [client, data, loading, logout, refetch],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
