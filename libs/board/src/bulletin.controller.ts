import { Controller, Get, Header, Param, StreamableFile } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { badInput, contentDisposition, HttpActor, type Actor } from '@zhezi/core';
import { OrgService } from '@zhezi/org';
import { BulletinService } from './bulletin.service';
import { bulletinWorkbook } from './bulletin.xlsx';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `GET /plans/:planId/bulletins/:month.xlsx` (bearer token): the monthly bulletin as an Excel file. */
@Controller()
export class BulletinController {
  constructor(
    private readonly bulletins: BulletinService,
    private readonly org: OrgService,
  ) {}

  @Get('plans/:planId/bulletins/:month.xlsx')
  @Header('Cache-Control', 'private, no-store')
  async download(
    @HttpActor() actor: Actor,
    @Param('planId') planId: string,
    @Param('month') month: string,
  ): Promise<StreamableFile> {
    if (!isUUID(planId)) throw badInput('planId', 'planId 不是有效的 ID');
    const bulletin = await this.bulletins.bulletin(actor, planId, month);
    const units = await this.org.unitsByIds(bulletin.rows.map((r) => r.orgUnitId));
    const file = await bulletinWorkbook(bulletin, new Map([...units].map(([id, unit]) => [id, unit.name])));
    return new StreamableFile(file, {
      type: XLSX,
      disposition: contentDisposition(`${bulletin.planTitle}-${bulletin.month}-督查通报.xlsx`),
    });
  }
}
