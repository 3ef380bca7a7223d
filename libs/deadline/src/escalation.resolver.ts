import { Inject } from '@nestjs/common';
import { Args, ArgsType, Field, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import { IsString, Length } from 'class-validator';
import {
  APP_CONFIG,
  Clock,
  CurrentActor,
  DEPARTMENT_ROLES,
  IdArg,
  Role,
  Roles,
  SUBDISTRICT_ROLES,
  type Actor,
  type AppConfig,
  type RequestContext,
  beijingDay,
} from '@zhezi/core';
import { Assignment, AssignmentStatus } from '@zhezi/task';
import { DueKind } from '@zhezi/plan';
import { ACTION_LABELS, EscalationAction } from './escalation-policy.entity';
import { Escalation, EscalationOutcome } from './escalation.entity';
import { EscalationService } from './escalation.service';
import { NextEscalation } from './escalation.types';
import { Light, lightOf } from './light';
import type { WorkCalendar } from './calendar/work-calendar';
import { SupervisionNotice } from './supervision-notice.entity';
import { SupervisionNoticeService } from './supervision-notice.service';
import { WorkCalendarService } from './work-calendar.service';

@ArgsType()
class ReasonArgs {
  @Field({ description: '理由（记入审计）' })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

const INSPECTORATE = [Role.INSPECTOR, Role.ADMIN];

/** The deadline engine's view of an assignment, and the inspectorate's levers on its ladder. */
@Resolver(() => Assignment)
export class AssignmentDeadlineResolver {
  constructor(
    private readonly escalations: EscalationService,
    private readonly notices: SupervisionNoticeService,
    private readonly calendars: WorkCalendarService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Without a promise when a board page read the open notice ahead and the calendar is in memory. */
  @ResolveField(() => Light, { nullable: true, description: '红黄绿灯（已销号的为空）' })
  light(assignment: Assignment, _args: unknown, ctx: RequestContext): Light | null | Promise<Light | null> {
    const openNotice = this.notices.openNoticeLoader(ctx).get(assignment.id);
    const calendar = this.calendars.currentNow();
    if (openNotice instanceof Promise || calendar instanceof Promise) {
      return Promise.all([openNotice, calendar]).then(([open, days]) => this.lightOf(assignment, open, days));
    }
    return this.lightOf(assignment, openNotice, calendar);
  }

  private lightOf(assignment: Assignment, openNotice: boolean, calendar: WorkCalendar): Light | null {
    return lightOf(
      {
        closed: assignment.status === AssignmentStatus.CLOSED,
        dueAt: assignment.dueAt,
        startedAt: assignment.createdAt,
        progressPercent: assignment.progressPercent,
        openNotice,
        ongoing: assignment.dueKind === DueKind.ONGOING,
      },
      this.clock.now(),
      calendar,
      this.config.deadlines,
    );
  }

  @ResolveField(() => NextEscalation, { nullable: true, description: '下一步督办（无待办的为空）' })
  async nextEscalation(
    assignment: Assignment,
    _args: unknown,
    ctx: RequestContext,
  ): Promise<NextEscalation | null> {
    const state = await this.escalations.stateLoader(ctx).load(assignment.id);
    if (!state?.nextAt || state.nextLevel === null) return null;
    const version = await this.escalations.versionOf(state.policyVersionId);
    const action = version.levels[state.nextLevel].action;
    const calendar = await this.calendars.current();
    const day = beijingDay(state.nextAt);
    const workdaysFromNow = Math.max(calendar.workdaysBetween(beijingDay(this.clock.now()), day), 0);
    const when =
      state.nextAt <= this.clock.now()
        ? '即将'
        : workdaysFromNow === 0
          ? '今天'
          : `${workdaysFromNow}个工作日后`;
    const times = (state.nextOccurrence ?? 0) > 0 ? `（第${(state.nextOccurrence ?? 0) + 1}次）` : '';
    return {
      level: state.nextLevel,
      occurrence: state.nextOccurrence ?? 0,
      action,
      at: state.nextAt,
      workdaysFromNow,
      label: `下一步：${when}${ACTION_LABELS[action]}${times}`,
      provisional: calendar.dayInfo(day).provisional,
    };
  }

  @ResolveField(() => EscalationAction, {
    nullable: true,
    description:
      '督查室立即升级或跳过时将到的一级（无可升级的为空）；到期后才分派的分工不会自动督办，仍可由督查室逐级升级',
  })
  async escalateNowTo(
    assignment: Assignment,
    _args: unknown,
    ctx: RequestContext,
  ): Promise<EscalationAction | null> {
    return (await this.escalations.levelByHand(assignment, ctx))?.action ?? null;
  }

  @ResolveField('escalations', () => [Escalation], { description: '已发出或跳过的督办记录，由早到晚' })
  escalationHistory(assignment: Assignment, _args: unknown, ctx: RequestContext) {
    return this.escalations.escalationsLoader(ctx).load(assignment.id);
  }

  @ResolveField(() => [SupervisionNotice], { description: '督办单，新的在前' })
  supervisionNotices(assignment: Assignment, _args: unknown, ctx: RequestContext) {
    return this.notices.byAssignmentLoader(ctx).load(assignment.id);
  }

  @Roles(...INSPECTORATE)
  @Mutation(() => Escalation, { description: '督查室：立即升级到下一级（须说明理由）' })
  escalateNow(@CurrentActor() actor: Actor, @IdArg('assignmentId') id: string, @Args() args: ReasonArgs) {
    return this.escalations.intervene(actor, id, args.reason, EscalationOutcome.FIRED);
  }

  @Roles(...INSPECTORATE)
  @Mutation(() => Escalation, { description: '督查室：跳过下一级（须说明理由）' })
  skipEscalationLevel(
    @CurrentActor() actor: Actor,
    @IdArg('assignmentId') id: string,
    @Args() args: ReasonArgs,
  ) {
    return this.escalations.intervene(actor, id, args.reason, EscalationOutcome.SKIPPED);
  }

  @Roles(...DEPARTMENT_ROLES, ...SUBDISTRICT_ROLES)
  @Mutation(() => Escalation, { description: '承办单位签收提醒或催办：停止该级的重复催办' })
  acknowledgeEscalation(@CurrentActor() actor: Actor, @IdArg('escalationId') id: string) {
    return this.escalations.acknowledgeEscalation(actor, id);
  }
}
