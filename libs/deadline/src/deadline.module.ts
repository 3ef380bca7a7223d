import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotifyModule } from '@zhezi/notify';
import { TaskModule } from '@zhezi/task';
import { DigestService } from './digest.service';
import { EscalationPolicy, EscalationPolicyVersion } from './escalation-policy.entity';
import { EscalationPolicyResolver } from './escalation-policy.resolver';
import { EscalationPolicyService } from './escalation-policy.service';
import { Escalation, EscalationState } from './escalation.entity';
import { AssignmentDeadlineResolver } from './escalation.resolver';
import { LadderPlanner } from './escalation-planner';
import { EscalationReconciler } from './escalation-reconciler';
import { EscalationSteps } from './escalation-steps';
import { EscalationEngine } from './escalation.engine';
import { EscalationRepository } from './escalation.repository';
import { EscalationService } from './escalation.service';
import { ReportChaseService } from './report-chase.service';
import { SupervisionNotice } from './supervision-notice.entity';
import { SupervisionNoticeResolver } from './supervision-notice.resolver';
import { SupervisionNoticeService } from './supervision-notice.service';
import { TaskPolicyService } from './task-policy.service';
import { WorkCalendarResolver } from './work-calendar.resolver';
import { WorkCalendarService } from './work-calendar.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      EscalationPolicy,
      EscalationPolicyVersion,
      EscalationState,
      Escalation,
      SupervisionNotice,
    ]),
    TaskModule,
    NotifyModule,
  ],
  providers: [
    WorkCalendarService,
    EscalationPolicyService,
    EscalationRepository,
    LadderPlanner,
    EscalationSteps,
    EscalationEngine,
    EscalationReconciler,
    EscalationService,
    SupervisionNoticeService,
    TaskPolicyService,
    ReportChaseService,
    DigestService,
    WorkCalendarResolver,
    EscalationPolicyResolver,
    AssignmentDeadlineResolver,
    SupervisionNoticeResolver,
  ],
  exports: [
    WorkCalendarService,
    EscalationEngine,
    EscalationReconciler,
    EscalationService,
    SupervisionNoticeService,
    ReportChaseService,
    DigestService,
  ],
})
export class DeadlineModule {}
