import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotifyModule } from '@zhezi/notify';
import { OrgModule } from '@zhezi/org';
import { PlanModule } from '@zhezi/plan';
import { ApprovalFlow } from './approval-flow.entity';
import { ApprovalDecision, ApprovalRequest, ApprovalStep } from './approval-request.entity';
import { ApprovalFlowResolver, ApprovalRequestResolver, ApprovalStepResolver } from './approval.resolver';
import { ApprovalKinds } from './approval.kinds';
import { ApprovalFlowService } from './approval-flow.service';
import { ApprovalReadService } from './approval-read.service';
import { ApprovalService } from './approval.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([ApprovalFlow, ApprovalRequest, ApprovalStep, ApprovalDecision]),
    NotifyModule,
    OrgModule,
    PlanModule,
  ],
  providers: [
    ApprovalService,
    ApprovalReadService,
    ApprovalFlowService,
    ApprovalKinds,
    ApprovalRequestResolver,
    ApprovalStepResolver,
    ApprovalFlowResolver,
  ],
  exports: [ApprovalService, ApprovalReadService, ApprovalKinds],
})
export class ApprovalModule {}
