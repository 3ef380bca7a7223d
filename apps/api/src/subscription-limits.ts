import type { GraphQLSchemaHost } from '@nestjs/graphql';
import { getOperationAST, GraphQLError, validate, type ExecutionArgs } from 'graphql';
import type { ServerOptions, SubscribePayload } from 'graphql-ws';
import type { AppConfig } from '@zhezi/core';
import { checkQueryLimits } from './query-limits';
import { readWithinLimits } from './request-limits';
import { withoutSuggestion } from './suggestions';

/**
 * graphql-ws parses and validates a subscribe message itself, without Apollo's plugins: this does it instead, with
 * the same limits as HTTP requests (size before validation, depth and cost after), and without field suggestions in
 * production as for HTTP (suggestions.ts).
 */
export function limitedSubscribe(
  schemaHost: GraphQLSchemaHost,
  config: AppConfig,
): ServerOptions['onSubscribe'] {
  return (_ctx, _id, payload: SubscribePayload): ExecutionArgs | GraphQLError[] => {
    const variables = payload.variables ?? undefined;
    const read = readWithinLimits(payload.query, variables, config.requestLimits);
    if ('refusal' in read) return [read.refusal];
    if ('syntaxError' in read) return [read.syntaxError];
    const { document } = read;
    // Built by the GraphQL module before the server accepts connections.
    const schema = schemaHost.schema;
    const errors = validate(schema, document);
    if (errors.length) return config.env === 'production' ? errors.map(withoutSuggestion) : [...errors];
    const operation = getOperationAST(document, payload.operationName);
    // No operation: graphql-ws answers "Unable to identify operation" next.
    if (operation) {
      try {
        checkQueryLimits({ schema, document, operation, variables }, config.queryLimits);
      } catch (error) {
        if (error instanceof GraphQLError) return [error];
        throw error;
      }
    }
    return { schema, document, operationName: payload.operationName, variableValues: variables };
  };
}
