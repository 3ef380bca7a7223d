import { Controller, Get, Header, Param, Query, StreamableFile } from '@nestjs/common';
import { isUUID } from 'class-validator';
import {
  ASSIGNERS,
  badInput,
  beijingDay,
  contentDisposition,
  HttpActor,
  Roles,
  type Actor,
} from '@zhezi/core';
import { TaskListExportService } from './task-list-export.service';
import { writeTaskListTemplate } from './task-list-template';
import { writeTaskList } from './task-list.xlsx';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * `GET /plans/:planId/task-list.xlsx` (bearer token; `?unit=<orgUnitId>` for one unit's list): the task list
 * in the layout it is imported in, with status, light, progress, latest report and 督办 level, ready to print.
 */
@Controller()
export class TaskListController {
  constructor(private readonly exporter: TaskListExportService) {}

  @Get('plans/:planId/task-list.xlsx')
  @Header('Cache-Control', 'private, no-store')
  async download(
    @HttpActor() actor: Actor,
    @Param('planId') planId: string,
    @Query('unit') unit?: string,
  ): Promise<StreamableFile> {
    if (!isUUID(planId)) throw badInput('planId', 'planId 不是有效的 ID');
    if (unit !== undefined && !isUUID(unit)) throw badInput('unit', 'unit 不是有效的 ID');
    const { plan, rows, at } = await this.exporter.rows(actor, planId, unit);
    const file = await writeTaskList(plan.title, rows, {
      subtitle: `导出时间：${beijingDay(at)}　共 ${rows.length} 项`,
    });
    return new StreamableFile(file, { type: XLSX, disposition: contentDisposition(`${plan.title}.xlsx`) });
  }

  /** `GET /plans/task-list-template.xlsx[?year=2027]`: an empty 折子工程 sheet in the layout `importTaskList` reads. */
  @Roles(...ASSIGNERS)
  @Get('plans/task-list-template.xlsx')
  @Header('Cache-Control', 'private, no-store')
  async template(@Query('year') year?: string): Promise<StreamableFile> {
    const thisYear = Number(beijingDay(new Date()).slice(0, 4));
    if (year !== undefined && !/^20\d\d$/.test(year)) throw badInput('year', 'year 应为 2000–2099 的年份');
    const file = await writeTaskListTemplate(year ? Number(year) : thisYear);
    return new StreamableFile(file, { type: XLSX, disposition: contentDisposition('折子工程模板.xlsx') });
  }
}
