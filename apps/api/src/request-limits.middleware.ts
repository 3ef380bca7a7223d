import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { GraphQLError } from 'graphql';
import { APP_CONFIG, type AppConfig } from '@zhezi/core';
import { PassedChecks } from './passed-checks';
import { readWithinLimits, variablesRefusal } from './request-limits';

/** Longest query text remembered, and how many: at most 5 million characters held. */
const REMEMBERED_LENGTH = 10_000;
const REMEMBERED = 500;

/**
 * Refuses a GraphQL request over HTTP that is too large to validate cheaply (QUERY_TOO_COMPLEX, HTTP 400), before
 * Apollo parses and validates it. Apollo's plugins cannot answer with a client error before validation, so this
 * runs in front of it; Apollo then parses the accepted query again, which is cheap once it is known to be small.
 */
@Injectable()
export class RequestLimitsMiddleware implements NestMiddleware {
  /**
   * Query texts that passed the document checks, which depend on the text and the limits alone: a board that every
   * client polls sends the same text each time, and lexing and parsing it again cost 3 % of a kept board's CPU.
   * Their variables are still counted on every request.
   */
  private readonly accepted = new PassedChecks(REMEMBERED, REMEMBERED_LENGTH);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  use(req: Request, res: Response, next: () => void): void {
    // POST bodies as parsed JSON; a GET carries the query in the URL (its variables are as small as the URL).
    const body: unknown = req.method === 'GET' ? req.query : req.body;
    const { query, variables } = (body ?? {}) as { query?: unknown; variables?: unknown };
    if (typeof query === 'string') {
      const refusal = this.refusal(query, req.method === 'GET' ? undefined : variables);
      if (refusal) {
        res.status(400).json({ errors: [{ message: refusal.message, extensions: refusal.extensions }] });
        return;
      }
    }
    // Anything else (no query, a syntax error, a persisted query's hash) is Apollo's to answer.
    next();
  }

  private refusal(query: string, variables: unknown): GraphQLError | null {
    const limits = this.config.requestLimits;
    if (this.accepted.has(query)) return variablesRefusal(variables, limits);
    const read = readWithinLimits(query, variables, limits);
    if ('refusal' in read) return read.refusal;
    if ('document' in read) this.accepted.add(query);
    return null;
  }
}
