import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Logger, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { GraphQLSchemaHost } from '@nestjs/graphql';
import type { ValidatorOptions } from 'class-validator';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { requestToken } from '@zhezi/auth';
import {
  AppError,
  ErrorCode,
  isDatabaseUnavailable,
  serviceUnavailable,
  type AppConfig,
  type RequestContext,
} from '@zhezi/core';
import { stringifyResult } from './board-response.plugin';
import { scalarInputError, variableField } from './input-errors';
import { PassedArguments } from './passed-arguments';
import { QueryLimitCode, queryLimitsPlugin } from './query-limits';
import { limitedSubscribe } from './subscription-limits';
import { hideSuggestionsPlugin } from './suggestions';

const logger = new Logger('GraphQL');

/** Codes a client can act on; anything else is a bug and is reported without internals. */
const CLIENT_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  ...Object.values(QueryLimitCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const scalarError = scalarInputError(formatted, error);
  if (scalarError) return scalarError;
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    // Apollo's variable-coercion errors name the bad spot only in prose; our own errors name it as `field`.
    const field = code === 'BAD_USER_INPUT' && !extensions.field && variableField(formatted.message);
    if (field) extensions.field = field;
    return { ...formatted, extensions };
  }
  // A timeout or an unreachable database is no bug of ours or the caller's: say so with a code to retry on.
  if (isDatabaseUnavailable(error instanceof GraphQLError ? (error.originalError ?? error) : error)) {
    const { message, extensions } = serviceUnavailable();
    return { message, path: formatted.path, extensions };
  }
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return { message: '服务器内部错误', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** Checks a bearer token as the guard does; throws when it no longer holds. */
export type Authenticate = (token: string) => Promise<unknown>;

export function graphqlOptions(
  config: AppConfig,
  schemaHost: GraphQLSchemaHost,
  authenticate: Authenticate,
): ApolloDriverConfig {
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    includeStacktraceInErrorResponses: false,
    context: subscriptionAwareContext,
    // A GET or a "simple" POST (form, text/plain) must bring `apollo-require-preflight` or
    // `x-apollo-operation-name`: a cross-site page cannot send either without a CORS preflight, which fails.
    csrfPrevention: true,
    // No explorer at GET /graphql: Apollo's and Nest's pages load their code from a CDN, blank on an intranet.
    playground: false,
    graphiql: false,
    // graphql-ws on the same path; the token travels in the connection parameters or the session cookie.
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        onSubscribe: limitedSubscribe(schemaHost, config),
        onNext: endRevokedSessions(authenticate),
      },
    },
    // HTTP requests are size-checked before Apollo (RequestLimitsMiddleware); this bounds Apollo's own parse.
    parseOptions: { maxTokens: config.requestLimits.maxTokens },
    formatError,
    stringifyResult,
    // Depth and cost are checked once the operation and its variables are known, before anything runs.
    // No HTTP caching hints are used; the default cache-control plugin cost a hook call per resolved field.
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      queryLimitsPlugin(config.queryLimits),
      // No "Did you mean …?" in production: it lists the schema to anyone.
      ...(config.env === 'production' ? [hideSuggestionsPlugin()] : []),
    ],
  };
}

/**
 * A live subscription outlasts the request that opened it: its token is checked again before each event is sent
 * (one lookup by primary key), and once the user is disabled or the session revoked the socket is closed with
 * graphql-ws's Unauthorized code (4401) and the reason, instead of the event.
 */
function endRevokedSessions(authenticate: Authenticate) {
  return async (
    ctx: { connectionParams?: Readonly<Record<string, unknown>>; extra: unknown },
    _id: string,
    _payload: unknown,
    _args: unknown,
    result: { data?: unknown },
  ): Promise<void> => {
    // A refusal (the guard's error, no data) goes out as it is.
    if (!result.data) return;
    const found = requestToken(subscriptionAwareContext(ctx).req.headers);
    try {
      await authenticate(found?.token ?? '');
    } catch (error) {
      const { socket } = ctx.extra as { socket: { close(code: number, reason: string): void } };
      socket.close(4401, error instanceof Error ? error.message : 'Unauthorized');
    }
  };
}

type Headers = RequestContext['req']['headers'];

/** The upgrade request came from a page of this origin (or from no browser page at all). */
function sameOrigin(headers: Headers): boolean {
  const { origin, host } = headers;
  if (typeof origin !== 'string') return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * HTTP requests carry their headers (and the response, for the session cookie); a graphql-ws connection brings
 * the token in its connection parameters or the session cookie of its upgrade request — the latter only from a
 * page of the API's own origin, since browsers do not subject WebSockets to CORS. Apollo's Fastify integration
 * passes its request and reply themselves rather than `{ req, res }`.
 */
function subscriptionAwareContext(
  raw: {
    req?: RequestContext['req'];
    res?: RequestContext['res'];
    connectionParams?: Readonly<Record<string, unknown>>;
    extra?: unknown;
    /** A Fastify request's: its Node request, and its headers. */
    raw?: unknown;
    headers?: Headers;
  },
  // graphql-ws passes its message here: only a Fastify request comes with its reply.
  fastifyReply?: unknown,
): RequestContext {
  if (raw.req) return { req: raw.req, res: raw.res, loaders: new Map() };
  if (raw.raw && raw.headers) {
    return {
      req: raw as RequestContext['req'],
      res: fastifyReply as RequestContext['res'],
      loaders: new Map(),
    };
  }
  const params = raw.connectionParams ?? {};
  const authorization = params.authorization ?? params.Authorization;
  const upgrade = (raw.extra as { request?: { headers: Headers } } | undefined)?.request?.headers ?? {};
  const headers = {
    authorization: typeof authorization === 'string' ? authorization : undefined,
    cookie: sameOrigin(upgrade) ? upgrade.cookie : undefined,
  };
  return { req: { headers } as RequestContext['req'], loaders: new Map() };
}

function firstFailure(errors: ValidationError[], prefix = ''): { field: string; message: string } {
  const error = errors[0];
  const field = prefix ? `${prefix}.${error.property}` : error.property;
  if (error.children?.length) return firstFailure(error.children, field);
  return { field, message: Object.values(error.constraints ?? {})[0] ?? '输入无效' };
}

/**
 * A null or absent argument passes untouched: GraphQL has already refused it where it is required, and the stock
 * pipe hands a null enum on as '' (an enum's metatype is a plain object under SWC), which no default catches.
 * Arguments that passed once pass again without class-validator (PassedArguments).
 */
class ArgumentsPipe extends ValidationPipe {
  private readonly passed = new PassedArguments();

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return value === null || value === undefined ? Promise.resolve(value) : super.transform(value, metadata);
  }

  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    // The pipe also asks, with forbidUnknownValues, whether a class has rules at all: not an outcome to reuse.
    const key = options?.forbidUnknownValues ? null : this.passed.keyOf(object);
    if (key !== null && this.passed.has(object, key)) return [];
    const errors = await super.validate(object, options);
    if (key !== null && !errors.length) this.passed.add(object, key);
    return errors;
  }
}

/** Class-validator failures become BAD_USER_INPUT naming the first bad field, e.g. `leadUnits.0.dueAt`. */
export const validationPipe = new ArgumentsPipe({
  transform: true,
  forbidUnknownValues: false,
  exceptionFactory: (errors) => {
    const { field, message } = firstFailure(errors);
    return new AppError(ErrorCode.BAD_USER_INPUT, `输入有误（${field}）：${message}`, { field });
  },
});
