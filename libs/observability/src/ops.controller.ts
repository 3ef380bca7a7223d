import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, Public, type AppConfig } from '@zhezi/core';
import { HealthService, type Readiness } from './health.service';
import { metricsAccess } from './metrics-access';
import { Metrics } from './metrics';

/** What operators and orchestrators ask a process, on the api's port and on the worker's own. */
@Controller()
export class OpsController {
  constructor(
    private readonly health: HealthService,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The process is up and its event loop turns; nothing else is asked, so a restart never cures an outage. */
  @Public()
  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when it can serve (PostgreSQL and Redis answer, migrations applied), 503 otherwise. */
  @Public()
  @Get(['health/ready', 'health'])
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    const readiness = await this.health.readiness();
    if (readiness.status !== 'ok') res.status(503);
    return readiness;
  }

  /** Prometheus text format; see metricsAccess for who may read it. */
  @Public()
  @Get('metrics')
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    const access = metricsAccess(
      this.config.observability.metricsToken,
      req.socket.remoteAddress,
      req.headers.authorization,
    );
    if (access !== 'ok') {
      res.status(access === 'unauthorized' ? 401 : 403).json({ message: '无权读取监控指标', code: access });
      return;
    }
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
