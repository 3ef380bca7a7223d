import { GraphQLModule } from '@nestjs/graphql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, ErrorCode, type AppConfig } from '@zhezi/core';
import { serveWebApp } from './web-app';

/** What body-parser passes on for a body over its limit. */
interface BodyParserError {
  type?: string;
  limit?: number;
}

/**
 * A body over the limit is refused before it is parsed, as HTTP 413 shaped like a GraphQL error (the only JSON
 * route is /graphql), rather than Express' uncoded error page.
 */
function tooLargeAsGraphQLError(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const { type, limit } = (error ?? {}) as BodyParserError;
  if (type !== 'entity.too.large') return next(error);
  const mb = limit ? `${Number((limit / 1048576).toFixed(1))} MB` : '上限';
  res.status(413).json({
    errors: [
      {
        message: `请求体超过 ${mb}：文件请先上传（POST /uploads），再在请求中填写 uploadId`,
        extensions: { code: ErrorCode.PAYLOAD_TOO_LARGE, maxBytes: limit },
      },
    ],
  });
}

/** What Nest's GraphQL driver keeps of the graphql-ws server: not public API, so checked where it is used. */
interface DriverWithSubscriptions {
  _subscriptionService?: { wss?: { options: { maxPayload?: number } } };
}

/**
 * The `ws` server behind graphql-ws buffers messages up to 100 MiB by default, and Nest creates it without a
 * limit of its own: a subscribe message gets the JSON body limit of HTTP requests instead (larger ones close the
 * socket with 1009). Fails at start if the driver no longer keeps its server where this looks.
 */
function limitSubscriptionMessages(app: NestExpressApplication, maxBytes: number): void {
  const driver = app.get(GraphQLModule).graphQlAdapter as unknown as DriverWithSubscriptions;
  const wss = driver._subscriptionService?.wss;
  if (!wss) throw new Error('graphql-ws server not found: cannot limit the size of subscription messages');
  wss.options.maxPayload = maxBytes;
}

/** What the HTTP app needs beyond its modules, then initialised: the same for the server and for tests. */
export async function configureHttp(app: NestExpressApplication): Promise<void> {
  const config = app.get<AppConfig>(APP_CONFIG);
  // Behind a trusted proxy the client is the address it forwarded (sign-in throttling counts per client).
  if (config.trustProxy) app.set('trust proxy', config.trustProxy);
  // GraphQL requests carry queries, not files: those go to POST /uploads (multipart, its own limit).
  app.useBodyParser('json', { limit: config.files.graphqlMaxBodyBytes });
  app.use(tooLargeAsGraphQLError);
  // Before the API's routes, which it leaves alone (their paths are never the app's).
  serveWebApp(app, config.webDistDir);
  await app.init();
  limitSubscriptionMessages(app, config.files.graphqlMaxBodyBytes);
}
