import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '@zhezi/core';
import { OpsEndpoints, type OpsResponse } from './ops-endpoints';

/** The ops endpoints on the api's port. */
@Controller()
export class OpsController {
  constructor(private readonly ops: OpsEndpoints) {}

  @Public()
  @Get('health/live')
  live(@Res() res: Response): void {
    send(res, this.ops.live());
  }

  @Public()
  @Get(['health/ready', 'health'])
  async ready(@Res() res: Response): Promise<void> {
    send(res, await this.ops.ready());
  }

  @Public()
  @Get('metrics')
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    send(res, await this.ops.scrape(req));
  }
}

function send(res: Response, { status, contentType, body }: OpsResponse): void {
  res.status(status).type(contentType).send(body);
}
