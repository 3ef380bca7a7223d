import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotifyModule } from '@zhezi/notify';
import { OrgModule } from '@zhezi/org';
import { PlanModule } from '@zhezi/plan';
import { TaskModule } from '@zhezi/task';
import { ApprovalFlow } from './approval-flow.entity';
import { ApprovalDecision, ApprovalRequest, ApprovalStep } from './approval-request.entity';
import {
  ApprovalFlowResolver,
  ApprovalRequestResolver,
  ApprovalStepResolver,
  AssignmentExtensionsResolver,
} from './approval.resolver';
import { ApprovalEffects } from './approval.effects';
import { ApprovalService } from './approval.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([ApprovalFlow, ApprovalRequest, ApprovalStep, ApprovalDecision]),
    NotifyModule,
    OrgModule,
    PlanModule,
    TaskModule,
  ],
  providers: [
    ApprovalService,
    ApprovalEffects,
    ApprovalRequestResolver,
    ApprovalStepResolver,
    ApprovalFlowResolver,
    AssignmentExtensionsResolver,
  ],
  exports: [ApprovalService, ApprovalEffects],
})
export class ApprovalModule {}
