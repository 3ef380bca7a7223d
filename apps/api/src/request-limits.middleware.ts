import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@zhezi/core';
import { readWithinLimits } from './request-limits';

/**
 * Refuses a GraphQL request over HTTP that is too large to validate cheaply (QUERY_TOO_COMPLEX, HTTP 400), before
 * Apollo parses and validates it. Apollo's plugins cannot answer with a client error before validation, so this
 * runs in front of it; Apollo then parses the accepted query again, which is cheap once it is known to be small.
 */
@Injectable()
export class RequestLimitsMiddleware implements NestMiddleware {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  use(req: Request, res: Response, next: () => void): void {
    // POST bodies as parsed JSON; a GET carries the query in the URL (its variables are as small as the URL).
    const body: unknown = req.method === 'GET' ? req.query : req.body;
    const { query, variables } = (body ?? {}) as { query?: unknown; variables?: unknown };
    if (typeof query === 'string') {
      const read = readWithinLimits(
        query,
        req.method === 'GET' ? undefined : variables,
        this.config.requestLimits,
      );
      if ('refusal' in read) {
        res
          .status(400)
          .json({ errors: [{ message: read.refusal.message, extensions: read.refusal.extensions }] });
        return;
      }
    }
    // Anything else (no query, a syntax error, a persisted query's hash) is Apollo's to answer.
    next();
  }
}
