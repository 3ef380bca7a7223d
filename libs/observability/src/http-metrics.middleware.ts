import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Metrics } from './metrics';
import { OPS_PATH } from './ops-endpoints';
/** What Nest mounts middleware under (`/graphql/{*path}`, `/{*path}`): not a route of its own. */
const MIDDLEWARE_WILDCARD = /\/?\{\*path\}$|\/?\*$/;

/** The route pattern Express matched (`/evidence/:id`, `/graphql`), or `unmatched`. */
export function routeLabel(req: Request): string {
  const path = (req.route as { path?: string } | undefined)?.path ?? '';
  return `${req.baseUrl}${path}`.replace(MIDDLEWARE_WILDCARD, '') || 'unmatched';
}

/** Times every request but the probes, labelled by its route pattern (`/evidence/:id`), never by its URL. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (OPS_PATH.test(req.originalUrl)) return next();
    const end = this.metrics.httpDuration.startTimer();
    res.once('finish', () => {
      end({ method: req.method, route: routeLabel(req), status: String(res.statusCode) });
    });
    next();
  }
}
