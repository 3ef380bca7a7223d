import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, makeVar } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { Kind, OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { map } from 'rxjs';
import { classifyError } from './errors';

/** True while the API does not answer: the layout shows a banner until a request gets through again. */
export const networkDown = makeVar(false);
/** Set when the API says the session is gone: the app sends the user to sign-in, keeping the location. */
export const sessionExpired = makeVar(false);

// The session is the API's httpOnly cookie: the browser sends it (same origin), no script ever holds the token.
const http = new HttpLink({ uri: '/graphql', credentials: 'same-origin' });

const csrf = new ApolloLink((operation, forward) => {
  operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
    // Apollo's CSRF prevention: a header a cross-site form cannot send.
    headers: {
      ...headers,
      'apollo-require-preflight': 'true',
    },
  }));
  return forward(operation).pipe(
    map((result) => {
      networkDown(false);
      return result;
    }),
  );
});

const errors = new ErrorLink(({ error }) => {
  const kind = classifyError(error).kind;
  if (kind === 'network') networkDown(true);
  if (kind === 'unauthenticated') sessionExpired(true);
});

const ws = new GraphQLWsLink(
  createClient({
    url: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    lazy: true,
    retryAttempts: Infinity,
  }),
);

const isSubscription = ({ query }: ApolloLink.Operation) => {
  const definition = getMainDefinition(query);
  return (
    definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.SUBSCRIPTION
  );
};

export const client = new ApolloClient({
  link: ApolloLink.from([errors, ApolloLink.split(isSubscription, ws, ApolloLink.from([csrf, http]))]),
  cache: new InMemoryCache({
    // A unit board has no id: the list's pages and the kanban's columns each ask for the same board, whose
    // fields (columns, items by status and page) belong together rather than replacing one another.
    typePolicies: { UnitBoard: { merge: true } },
  }),
});
