import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Role, Roles, type Actor } from '@zhezi/core';
import {
  ImportWorkCalendarInput,
  SetWorkCalendarDayInput,
  WorkCalendarArgs,
  WorkCalendarYear,
} from './work-calendar.types';
import { WorkCalendarService } from './work-calendar.service';

@Resolver(() => WorkCalendarYear)
export class WorkCalendarResolver {
  constructor(private readonly calendars: WorkCalendarService) {}

  @Query(() => WorkCalendarYear, { description: '某年的工作日历（节假日与调休；未发布通知的年份为暂定）' })
  workCalendar(@Args() { year }: WorkCalendarArgs) {
    return this.calendars.year(year);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => WorkCalendarYear, {
    description: '导入国务院公布的某年放假安排（替换暂定安排，并重新计算待发的督办）',
  })
  importWorkCalendar(@CurrentActor() actor: Actor, @Args('input') input: ImportWorkCalendarInput) {
    return this.calendars.importYear(actor, input.year, input.format, input.content, input.source);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => WorkCalendarYear, { description: '修改某一天的安排' })
  setWorkCalendarDay(@CurrentActor() actor: Actor, @Args('input') input: SetWorkCalendarDayInput) {
    return this.calendars.setDay(actor, input.day, input.kind, input.name ?? null, input.source);
  }
}
