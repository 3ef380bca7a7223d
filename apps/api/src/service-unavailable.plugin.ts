import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { ErrorCode, type RequestContext } from '@zhezi/core';

/**
 * A request that failed because PostgreSQL was unavailable answers HTTP 503, so load balancers and clients
 * retry it as they would any overloaded service, instead of 200 with an error inside.
 */
@Plugin()
export class ServiceUnavailablePlugin implements ApolloServerPlugin<RequestContext> {
  requestDidStart(): Promise<GraphQLRequestListener<RequestContext>> {
    return Promise.resolve({
      willSendResponse: ({ response }) => {
        if (response.body.kind !== 'single') return Promise.resolve();
        const errors = response.body.singleResult.errors ?? [];
        if (errors.some((error) => error.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) {
          response.http.status = 503;
        }
        return Promise.resolve();
      },
    });
  }
}
