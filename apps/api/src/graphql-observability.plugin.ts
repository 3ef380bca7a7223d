import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import type { RequestContext } from '@zhezi/core';
import { ANONYMOUS, logFieldsOf, Metrics, UNNAMED } from '@zhezi/observability';

/**
 * Each operation's latency by name and outcome (`ok` or the first error's code), and the same facts on the
 * request's log line: operation, user and outcome. Variables are never looked at.
 */
@Plugin()
export class GraphQLObservabilityPlugin implements ApolloServerPlugin<RequestContext> {
  constructor(private readonly metrics: Metrics) {}

  requestDidStart(): Promise<GraphQLRequestListener<RequestContext>> {
    const end = this.metrics.graphqlDuration.startTimer();
    return Promise.resolve({
      willSendResponse: ({ response, operation, operationName, request, contextValue }) => {
        const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
        const code = errors?.[0]?.extensions?.code;
        const outcome = errors?.length ? (typeof code === 'string' ? code : 'ERROR') : 'ok';
        const name = operationName ?? request.operationName;
        // Only signed-in callers name series: anyone could otherwise use up the names with random ones.
        const label = contextValue.actor ? this.metrics.operationLabel(name) : ANONYMOUS;
        end({ operation: label, type: operation?.operation ?? 'unknown', outcome });
        // Over HTTP the Express request carries its response; a graphql-ws message has neither.
        const res = (contextValue.req as { res?: object }).res;
        if (res) {
          Object.assign(logFieldsOf(res), {
            // A log line is no series: it keeps the name as sent (cut short), signed in or not.
            operation: name ? name.slice(0, 100) : UNNAMED,
            outcome,
            ...(contextValue.actor && { userId: contextValue.actor.userId }),
          });
        }
        return Promise.resolve();
      },
    });
  }
}
