import { Args, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  CurrentActor,
  DEPARTMENT_ROLES,
  IdArg,
  PageArgs,
  Role,
  Roles,
  SUBDISTRICT_ROLES,
  type Actor,
  type RequestContext,
} from '@zhezi/core';
import { Assignment, AssignmentReadService } from '@zhezi/task';
import { SupervisionNotice } from './supervision-notice.entity';
import { SupervisionNoticeService } from './supervision-notice.service';
import {
  AnswerSupervisionNoticeInput,
  OpenSupervisionNoticeInput,
  ReviewSupervisionNoticeInput,
  SupervisionNoticeConnection,
  SupervisionNoticeFilterArgs,
} from './supervision-notice.types';

const INSPECTORATE = [Role.INSPECTOR, Role.ADMIN];

@Resolver(() => SupervisionNotice)
export class SupervisionNoticeResolver {
  constructor(
    private readonly notices: SupervisionNoticeService,
    private readonly assignments: AssignmentReadService,
  ) {}

  @Query(() => SupervisionNoticeConnection, { description: '督办单（只含有权查看的），新的在前' })
  supervisionNotices(
    @CurrentActor() actor: Actor,
    @Args() filter: SupervisionNoticeFilterArgs,
    @Args() page: PageArgs,
  ) {
    return this.notices.list(actor, filter, page);
  }

  @Query(() => SupervisionNotice)
  supervisionNotice(@CurrentActor() actor: Actor, @IdArg('id') id: string) {
    return this.notices.get(actor, id);
  }

  @ResolveField(() => Assignment)
  assignment(notice: SupervisionNotice, _args: unknown, ctx: RequestContext) {
    return this.assignments.assignmentLoader(ctx, ctx.actor as Actor).load(notice.assignmentId);
  }

  @Roles(...INSPECTORATE)
  @Mutation(() => SupervisionNotice, { description: '督查室开具督办单' })
  openSupervisionNotice(@CurrentActor() actor: Actor, @Args('input') input: OpenSupervisionNoticeInput) {
    return this.notices.open(actor, input.assignmentId, input.reason, input.responseWorkdays);
  }

  @Roles(...DEPARTMENT_ROLES, ...SUBDISTRICT_ROLES)
  @Mutation(() => SupervisionNotice, { description: '承办单位答复督办单（整改说明与推进计划）' })
  answerSupervisionNotice(@CurrentActor() actor: Actor, @Args('input') input: AnswerSupervisionNoticeInput) {
    return this.notices.answer(actor, input.noticeId, input.version, input.response, input.newPlan);
  }

  @Roles(...INSPECTORATE)
  @Mutation(() => SupervisionNotice, { description: '督查室审核通过答复，督办单办结' })
  acceptSupervisionAnswer(@CurrentActor() actor: Actor, @Args('input') input: ReviewSupervisionNoticeInput) {
    return this.notices.accept(actor, input.noticeId, input.version);
  }

  @Roles(...INSPECTORATE)
  @Mutation(() => SupervisionNotice, { description: '督查室退回答复，须重新答复' })
  returnSupervisionAnswer(@CurrentActor() actor: Actor, @Args('input') input: ReviewSupervisionNoticeInput) {
    return this.notices.sendBack(actor, input.noticeId, input.version, input.reason);
  }
}
