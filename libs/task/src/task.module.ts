import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApprovalModule } from '@zhezi/approval';
import { EvidenceModule } from '@zhezi/evidence';
import { OrgModule } from '@zhezi/org';
import { PlanModule } from '@zhezi/plan';
import { Assignment } from './assignment.entity';
import { AssignmentObservers } from './assignment.observers';
import { AssignmentReadService } from './assignment-read.service';
import { AssignmentService } from './assignment.service';
import { AssignmentStateService } from './assignment-state.service';
import { Milestone } from './milestone.entity';
import { ProgressReport, ProgressReportRevision } from './progress-report.entity';
import { AssignmentProgressResolver, ProgressReportResolver } from './progress.resolver';
import { ProgressService } from './progress.service';
import { TaskBatchRepository } from './task-batch.repository';
import { TaskBatchService } from './task-batch.service';
import { Task } from './task.entity';
import { AssignmentResolver, TaskResolver } from './task.resolver';
import { TaskService } from './task.service';
import { AdjustmentRequests } from './requests/adjustment.requests';
import { CloseOutRequests } from './requests/close-out.requests';
import { ExtensionRequests } from './requests/extension.requests';
import { TaskRequestKinds } from './requests/task-request.kinds';
import { AssignmentRequestsResolver, TaskRequestResolver } from './requests/task-requests.resolver';
import { SettleTasksAfterMerge } from './unit-merge.settle';

@Module({
  imports: [
    TypeOrmModule.forFeature([Task, Milestone, Assignment, ProgressReport, ProgressReportRevision]),
    OrgModule,
    PlanModule,
    EvidenceModule,
    ApprovalModule,
  ],
  providers: [
    TaskService,
    TaskBatchService,
    TaskBatchRepository,
    AssignmentService,
    AssignmentReadService,
    AssignmentStateService,
    AssignmentObservers,
    ProgressService,
    TaskResolver,
    AssignmentResolver,
    ProgressReportResolver,
    AssignmentProgressResolver,
    SettleTasksAfterMerge,
    CloseOutRequests,
    ExtensionRequests,
    AdjustmentRequests,
    TaskRequestKinds,
    TaskRequestResolver,
    AssignmentRequestsResolver,
  ],
  exports: [
    TaskService,
    TaskBatchService,
    AssignmentService,
    AssignmentReadService,
    AssignmentStateService,
    AssignmentObservers,
    ProgressService,
  ],
})
export class TaskModule {}
