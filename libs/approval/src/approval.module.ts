import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgModule } from '@zhezi/org';
import { TaskModule } from '@zhezi/task';
import { ApprovalFlow } from './approval-flow.entity';
import { ApprovalDecision, ApprovalRequest, ApprovalStep } from './approval-request.entity';
import {
  ApprovalFlowResolver,
  ApprovalRequestResolver,
  ApprovalStepResolver,
  AssignmentExtensionsResolver,
} from './approval.resolver';
import { ApprovalService } from './approval.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([ApprovalFlow, ApprovalRequest, ApprovalStep, ApprovalDecision]),
    OrgModule,
    TaskModule,
  ],
  providers: [
    ApprovalService,
    ApprovalRequestResolver,
    ApprovalStepResolver,
    ApprovalFlowResolver,
    AssignmentExtensionsResolver,
  ],
  exports: [ApprovalService],
})
export class ApprovalModule {}
