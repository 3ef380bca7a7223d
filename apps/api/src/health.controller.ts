import { Controller, Get } from '@nestjs/common';
import { Public } from '@zhezi/core';
import { DataSource } from 'typeorm';

/** For load balancers and `npm run up`: answers once the database is reachable. */
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Public()
  @Get()
  async check(): Promise<{ status: string }> {
    await this.dataSource.query('SELECT 1');
    return { status: 'ok' };
  }
}
