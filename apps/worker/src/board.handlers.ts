import { Injectable, Logger } from '@nestjs/common';
import { BoardReadModel } from '@zhezi/board';
import { JobName, type JobHandler } from '@zhezi/jobs';

/**
 * Recomputes the boards' stale summary rows. Run just after midnight: a day passing moves every row with open
 * work, and without this the first reader of the morning would wait while the whole city's rows are recomputed.
 */
@Injectable()
export class BoardRefreshHandler implements JobHandler<JobName.BOARD_REFRESH> {
  readonly jobName = JobName.BOARD_REFRESH;
  private readonly logger = new Logger('BoardRefresh');

  constructor(private readonly readModel: BoardReadModel) {}

  async handle(): Promise<{ recomputed: number }> {
    const recomputed = await this.readModel.refreshStale();
    if (recomputed) this.logger.log(`recomputed ${recomputed} board summary rows`);
    return { recomputed };
  }
}
