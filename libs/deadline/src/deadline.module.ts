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
    EscalationService,
    SupervisionNoticeService,
    ReportChaseService,
    DigestService,
  ],
})
export class DeadlineModule {}
