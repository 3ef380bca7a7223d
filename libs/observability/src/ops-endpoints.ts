import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Inject, Injectable, type INestApplicationContext } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@zhezi/core';
import { HealthService } from './health.service';
import { metricsAccess } from './metrics-access';
import { Metrics } from './metrics';

/** The probes' and the scrape's paths: neither logged nor timed, since they come every few seconds. */
export const OPS_PATH = /^\/(metrics|health)(\/|$|\?)/;

export interface OpsResponse {
  status: number;
  contentType: string;
  body: string;
}

const json = (status: number, value: unknown): OpsResponse => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(value),
});

/**
 * `/health/live`, `/health/ready` (and its alias `/health`) and `/metrics`, independent of any framework: the
 * api serves them through a controller, the worker through a bare HTTP server that serves nothing else.
 */
@Injectable()
export class OpsEndpoints {
  constructor(
    private readonly health: HealthService,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The process is up and its event loop turns; nothing else is asked, so a restart never cures an outage. */
  live(): OpsResponse {
    return json(200, { status: 'ok' });
  }

  /** 200 when it can serve (PostgreSQL and Redis answer, migrations applied), 503 otherwise. */
  async ready(): Promise<OpsResponse> {
    const readiness = await this.health.readiness();
    return json(readiness.status === 'ok' ? 200 : 503, readiness);
  }

  /** Prometheus text format, for a bearer of METRICS_TOKEN or, without one, a client on this machine. */
  async scrape(req: IncomingMessage): Promise<OpsResponse> {
    const access = metricsAccess(this.config.observability.metricsToken, {
      remoteAddress: req.socket.remoteAddress,
      headers: req.headers,
    });
    if (access !== 'ok') {
      return json(access === 'unauthorized' ? 401 : 403, { message: '无权读取监控指标', code: access });
    }
    const { registry } = this.metrics;
    return { status: 200, contentType: registry.contentType, body: await registry.metrics() };
  }

  route(req: IncomingMessage): Promise<OpsResponse> | OpsResponse {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return json(405, { message: 'GET only' });
    if (path === '/health/live') return this.live();
    if (path === '/health/ready' || path === '/health') return this.ready();
    if (path === '/metrics') return this.scrape(req);
    return json(404, { message: 'not found' });
  }
}

/**
 * The worker's HTTP port: the ops endpoints and nothing else (its modules' controllers stay unmounted, since
 * no auth guard runs there). Resolves with the server once it listens.
 */
export async function serveOps(app: INestApplicationContext, port: number, host: string): Promise<Server> {
  const ops = app.get(OpsEndpoints);
  const server = createServer((req, res) => {
    void Promise.resolve(ops.route(req))
      .catch((error: Error) => json(500, { message: error.message }))
      .then(({ status, contentType, body }) =>
        res.writeHead(status, { 'content-type': contentType }).end(body),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
