import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

/** graphql-js ends a message with the names it knows that look like the one given: fields, arguments, enum values. */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/**
 * In production, errors name no schema detail the caller did not write: "Did you mean …?" would list fields and
 * enum values to anyone, signed in or not. Apollo's `hideSchemaDetailsFromClientErrors` does this for validation
 * errors only; a variable that does not coerce (`Value "X" does not exist in "OrgUnitKind" enum. Did you mean …`)
 * is answered from execution.
 */
export function hideSuggestionsPlugin(): ApolloServerPlugin {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didEncounterErrors: ({ errors }) => {
          // Apollo formats these errors next; its own suggestion plugin rewrites messages the same way.
          for (const error of errors) error.message = error.message.replace(SUGGESTION, '');
          return Promise.resolve();
        },
      }),
  };
}

/** The same for a graphql-ws operation, which Apollo's plugins do not see. */
export function withoutSuggestion(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message.replace(SUGGESTION, ''), {
    nodes: error.nodes,
    extensions: error.extensions,
  });
}
