import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import type { FormattedExecutionResult } from 'graphql';
import { AuthService, requestToken } from '@zhezi/auth';
import { BoardResponses, type BoardResponse } from '@zhezi/board';
import type { RequestContext } from '@zhezi/core';

/**
 * The text of each kept response, made the first time it is sent: a hit answers with the same object, and
 * serialising a leader board (about 1,000 fields) again was a fifth of a kept answer's CPU.
 */
const keptTexts = new WeakMap<object, string | null>();

/** Apollo's `stringifyResult`: a kept response as the text it was sent as before, anything else as Apollo would. */
export function stringifyResult(result: FormattedExecutionResult): string {
  const { data } = result;
  if (!data || result.errors || result.extensions || !keptTexts.has(data))
    return `${JSON.stringify(result)}\n`;
  let text = keptTexts.get(data);
  if (!text) keptTexts.set(data, (text = `${JSON.stringify(result)}\n`));
  return text;
}

/**
 * Answers a board query from BoardResponses when the response kept for it still holds, before anything is
 * executed; otherwise keeps the response the execution produces, unless it carries errors. The caller is
 * signed in here as the guard would (which then finds the actor on the context); a caller who may not read
 * boards yet (a temporary password) or brings no valid token goes the usual way and meets the guard's error.
 */
@Plugin()
export class BoardResponsePlugin implements ApolloServerPlugin<RequestContext> {
  constructor(
    private readonly auth: AuthService,
    private readonly responses: BoardResponses,
  ) {}

  requestDidStart(): Promise<GraphQLRequestListener<RequestContext>> {
    let keep: ((data: BoardResponse) => void) | undefined;
    return Promise.resolve({
      responseForOperation: async ({ contextValue, schema, document, operation, queryHash, request }) => {
        const found = requestToken(contextValue.req.headers);
        if (!found || !operation || !queryHash) return null;
        const op = { schema, document, operation, queryHash, variables: request.variables };
        if (!this.responses.answers(op)) return null;
        const signedIn = await this.auth.authenticate(found.token).catch(() => null);
        if (!signedIn || signedIn.mustChangePassword) return null;
        contextValue.actor = signedIn.actor;
        // A question the cache cannot scope (an id that is no uuid) goes the usual way, which refuses it.
        const lookup = await this.responses.lookup(signedIn.actor, op).catch(() => null);
        if (lookup && 'hit' in lookup) {
          return {
            http: { headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: lookup.hit } },
          };
        }
        keep = lookup?.keep;
        return null;
      },
      willSendResponse: ({ response }) => {
        const body = response.body;
        if (keep && body.kind === 'single' && body.singleResult.data && !body.singleResult.errors?.length) {
          keep(body.singleResult.data);
          keptTexts.set(body.singleResult.data, null);
        }
        return Promise.resolve();
      },
    });
  }
}
