import { Module } from '@nestjs/common';
import { DeadlineModule } from '@zhezi/deadline';
import { BoardReadModel } from './board-read-model';

/** The boards' read model alone: the API's boards build on it, and the worker refreshes it. */
@Module({
  imports: [DeadlineModule],
  providers: [BoardReadModel],
  exports: [BoardReadModel],
})
export class BoardReadModelModule {}
