import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '@zhezi/access';
import { ApprovalModule } from '@zhezi/approval';
import { DeadlineModule } from '@zhezi/deadline';
import { OrgModule } from '@zhezi/org';
import { PlanModule } from '@zhezi/plan';
import { TaskModule } from '@zhezi/task';
import {
  DraftTaskResolver,
  DraftUnitResolver,
  UnitKeywordResolver,
  UnitSuggestionResolver,
} from './decomposition.resolver';
import { DecompositionService } from './decomposition.service';
import { DraftService } from './draft.service';
import { DraftTask } from './draft-task.entity';
import { FileUploadController } from './file-upload.controller';
import { FileUpload } from './file-upload.entity';
import { FileUploadService } from './file-upload.service';
import { SuggestionService } from './suggestion.service';
import { TaskListExportService } from './task-list-export.service';
import { TaskListImportService } from './task-list-import.service';
import { TaskListController } from './task-list.controller';
import { UnitKeyword } from './unit-keyword.entity';
import { UnitReadingService } from './unit-reading.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([DraftTask, FileUpload, UnitKeyword]),
    AccessModule,
    ApprovalModule,
    DeadlineModule,
    OrgModule,
    PlanModule,
    TaskModule,
  ],
  controllers: [TaskListController, FileUploadController],
  providers: [
    DecompositionService,
    DraftService,
    SuggestionService,
    FileUploadService,
    TaskListImportService,
    TaskListExportService,
    UnitReadingService,
    DraftTaskResolver,
    DraftUnitResolver,
    UnitSuggestionResolver,
    UnitKeywordResolver,
  ],
  exports: [DecompositionService, SuggestionService],
})
export class DecompositionModule {}
