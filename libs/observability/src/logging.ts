import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '@zhezi/core';
import { OPS_PATH } from './ops-endpoints';

/**
 * What a finished request adds to its log line, set by whoever knows it (the GraphQL plugin, the auth guard's
 * actor): the operation, the user, and the error code when it failed.
 */
export interface RequestLogFields {
  operation?: string;
  userId?: string;
  outcome?: string;
}

/** Kept on the response, so the request's closing log line can read it. */
export const LOG_FIELDS = Symbol('zhezi:log-fields');

type Res = ServerResponse & { [LOG_FIELDS]?: RequestLogFields };

export function logFieldsOf(res: object): RequestLogFields {
  const holder = res as Res;
  return (holder[LOG_FIELDS] ??= {});
}

/** A caller's request id is kept when it could not smuggle anything into a log line or a header. */
const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * Wherever a secret could sit in a log object: credentials in headers, and arguments that carry passwords,
 * tokens or file contents (login, ingestPlan's inline file). pino removes them before a line is written.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'req.query.token',
  '*.password',
  '*.token',
  '*.content',
  '*.secret',
  '*.variables',
];

/** REST routes: the auth guard leaves the actor on the request; GraphQL's plugin fills LOG_FIELDS. */
function closingFields(req: IncomingMessage, res: ServerResponse): RequestLogFields {
  const userId = (req as { actor?: { userId: string } }).actor?.userId;
  return { ...(userId && { userId }), ...(res as Res)[LOG_FIELDS] };
}

/**
 * nestjs-pino's settings for one process: JSON in production and tests, readable lines in development; JSON to
 * `destination` when one is given.
 */
export function loggerParams(
  service: 'api' | 'worker',
  config: AppConfig,
  destination?: DestinationStream,
): Params {
  const { logLevel } = config.observability;
  const options: Options = {
    level: logLevel,
    base: { service },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    genReqId: requestIdOf,
    autoLogging: { ignore: (req) => OPS_PATH.test(req.url ?? '') },
    // Only method and path (no query string: `/admin/queues?token=…`), never headers or bodies.
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // On the closing line's own object, not as bindings: pino-http made a child logger for them twice a request.
    customSuccessObject: (req, res, line: object) => ({ ...line, ...closingFields(req, res) }),
    customErrorObject: (req, res, _error, line: object) => ({ ...line, ...closingFields(req, res) }),
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    ...(config.env === 'development' &&
      !destination &&
      prettyAvailable() && {
        transport: {
          target: 'pino-pretty',
          options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
        },
      }),
  };
  return { pinoHttp: destination ? [options, destination] : options };
}

/** pino-pretty is a development dependency: a build without it (the image) logs JSON whatever NODE_ENV says. */
function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
