import type { Type } from '@nestjs/common';
import {
  Args,
  Info,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import {
  Ctx,
  CurrentActor,
  DEPARTMENT_ROLES,
  fieldsAsked,
  IdArg,
  PageArgs,
  Role,
  Roles,
  sliceConnection,
  type Actor,
  type Connection,
  type RequestContext,
} from '@zhezi/core';
import { EscalationAction } from '@zhezi/deadline';
import { OrgService, OrgUnit } from '@zhezi/org';
import { Assignment, AssignmentConnection } from '@zhezi/task';
import { BoardService } from './board.service';
import { BulletinService } from './bulletin.service';
import { IndicatorBoardService } from './indicator-board.service';
import { ShareListService } from './share-list.service';
import {
  IndicatorStatus,
  IndicatorStatusConnection,
  IndicatorValue,
  ReportIndicatorValueInput,
} from './indicator-board.types';
import { Bulletin, BulletinArgs, BulletinRow } from './bulletin.types';
import {
  BoardChange,
  BoardWeek,
  InspectorBoardArgs,
  KanbanItemsArgs,
  LeaderBoard,
  PlanScopeArgs,
  TrendArgs,
  UnitBoard,
  UnitBoardArgs,
  UnitFigures,
  UnitFiguresArgs,
  UnitFiguresConnection,
} from './board.types';

@Resolver(() => LeaderBoard)
export class LeaderBoardResolver {
  constructor(private readonly boards: BoardService) {}

  @Query(() => LeaderBoard, { description: '领导看板（不指定计划为全部计划）；单位用户只看到本单位的数字' })
  leaderBoard(@CurrentActor() actor: Actor, @Args() { planId }: PlanScopeArgs): Promise<LeaderBoard> {
    return this.boards.leaderBoard(actor, planId ?? null);
  }

  @ResolveField(() => UnitFiguresConnection, { description: '各单位情况，按得分从高到低（即排名）' })
  units(@Parent() board: LeaderBoard, @Args() args: UnitFiguresArgs): Connection<UnitFigures> {
    return sliceConnection(this.boards.unitsOf(board, args.kind), args, (u) => u.orgUnitId);
  }

  @ResolveField(() => [BoardWeek], { description: '按周到期与销号（含累计），至本周后 4 周' })
  trend(
    @CurrentActor() actor: Actor,
    @Parent() board: LeaderBoard,
    @Args() { weeks }: TrendArgs,
  ): Promise<BoardWeek[]> {
    return this.boards.trend(actor, board.planId, weeks, board.version);
  }

  @Subscription(() => BoardChange, {
    description: '看板数字变化（合并 1 秒内的变化；不指定计划为全部计划）',
    resolve: (payload: BoardChange) => payload,
  })
  boardChanged(@CurrentActor() actor: Actor, @Args() { planId }: PlanScopeArgs) {
    return this.boards.changes(actor, planId ?? null);
  }
}

/** `orgUnit` of a board type that names its unit: as loaded already, or through the request's unit loader. */
function orgUnitFieldResolver(type: Type<{ orgUnitId: string; orgUnit?: OrgUnit }>) {
  @Resolver(() => type)
  class OrgUnitFieldResolver {
    constructor(readonly org: OrgService) {}

    @ResolveField(() => OrgUnit)
    async orgUnit(
      row: { orgUnitId: string; orgUnit?: OrgUnit },
      _args: unknown,
      ctx: RequestContext,
    ): Promise<OrgUnit | null> {
      return row.orgUnit ?? this.org.unitLoader(ctx).load(row.orgUnitId);
    }
  }
  return OrgUnitFieldResolver;
}

export class BulletinRowResolver extends orgUnitFieldResolver(BulletinRow) {}

@Resolver(() => UnitBoard)
export class UnitBoardResolver extends orgUnitFieldResolver(UnitBoard) {
  constructor(
    private readonly lists: ShareListService,
    org: OrgService,
  ) {
    super(org);
  }

  @Query(() => UnitBoard, {
    description: '单位看板（默认本单位）：按状态分列，可筛选计划、时限、红黄绿灯、关键词',
  })
  unitBoard(@CurrentActor() actor: Actor, @Args() args: UnitBoardArgs): Promise<UnitBoard> {
    return this.lists.unitBoard(actor, args.orgUnitId ?? actor.orgUnitId, args.filter ?? {});
  }

  @ResolveField(() => AssignmentConnection, {
    description: '某一列（或全部）的分工，默认按完成时限先后，可按红黄绿灯、进度、更新时间排序',
  })
  items(
    @CurrentActor() actor: Actor,
    @Parent() board: UnitBoard,
    @Args() args: KanbanItemsArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<Assignment>> {
    return this.lists.items(actor, board, args, { ctx, asked: fieldsAsked(info) });
  }

  @ResolveField(() => [Assignment], { description: '即将到期的分工（未逾期、未销号），最近的在前' })
  nextDeadlines(
    @CurrentActor() actor: Actor,
    @Parent() board: UnitBoard,
    @Args('first', { type: () => Int, defaultValue: 5 }) first: number,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Assignment[]> {
    const count = Math.min(Math.max(first, 1), 50);
    return this.lists.nextDeadlines(actor, board, count, { ctx, asked: fieldsAsked(info) });
  }
}

@Resolver(() => Assignment)
export class AssignmentBoardResolver {
  constructor(private readonly lists: ShareListService) {}

  @Query(() => AssignmentConnection, {
    description: '督查看板：逾期和临期/滞后的分工，逾期最久的在前（单位用户只看到本单位的）',
  })
  inspectorBoard(
    @CurrentActor() actor: Actor,
    @Args() args: InspectorBoardArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<Assignment>> {
    return this.lists.inspectorItems(actor, args.filter ?? {}, args, { ctx, asked: fieldsAsked(info) });
  }

  @ResolveField(() => Int, { description: '逾期天数（自然日；未逾期或已销号为 0）' })
  daysOverdue(assignment: Assignment): number {
    return this.lists.daysOverdue(assignment);
  }

  @ResolveField(() => EscalationAction, {
    nullable: true,
    description: '本轮已发出的最高督办级别（督查室跳过的级别不算）',
  })
  levelReached(
    assignment: Assignment,
    _args: unknown,
    ctx: RequestContext,
  ): EscalationAction | null | Promise<EscalationAction | null> {
    return this.lists.levelReachedLoader(ctx).get(assignment.id);
  }

  @ResolveField(() => Date, { nullable: true, description: '最近一次报送进展的时间' })
  lastReportAt(
    assignment: Assignment,
    _args: unknown,
    ctx: RequestContext,
  ): Date | null | Promise<Date | null> {
    return this.lists.lastReportLoader(ctx).get(assignment.id);
  }
}

@Resolver(() => Bulletin)
export class BulletinResolver {
  constructor(private readonly bulletins: BulletinService) {}

  @Query(() => Bulletin, {
    description:
      '督查室月度通报（Excel：GET /plans/{planId}/bulletins/{YYYY-MM}.xlsx）；单位用户只看到本单位',
  })
  bulletin(@CurrentActor() actor: Actor, @Args() { planId, month }: BulletinArgs): Promise<Bulletin> {
    return this.bulletins.bulletin(actor, planId, month);
  }
}

@Resolver(() => IndicatorStatus)
export class IndicatorBoardResolver {
  constructor(private readonly indicators: IndicatorBoardService) {}

  @Query(() => IndicatorStatusConnection, {
    description: '指标看板：计划的每个量化指标、最新值、是否达到线性进度',
  })
  async indicatorBoard(
    @IdArg('planId') planId: string,
    @Args() page: PageArgs,
  ): Promise<Connection<IndicatorStatus>> {
    return sliceConnection(await this.indicators.board(planId), page, (s) => s.indicator.id);
  }

  @ResolveField(() => [IndicatorValue], { description: '历年报送值（年份从早到晚），供画出实际值与线性进度' })
  values(status: IndicatorStatus, _args: unknown, ctx: RequestContext): Promise<IndicatorValue[]> {
    return this.indicators.valuesLoader(ctx).load(status.indicator.id);
  }

  @Mutation(() => IndicatorStatus, { description: '报送（或更正）指标某年的值' })
  @Roles(Role.ADMIN, Role.LEADER, ...DEPARTMENT_ROLES)
  reportIndicatorValue(
    @CurrentActor() actor: Actor,
    @Args('input') input: ReportIndicatorValueInput,
  ): Promise<IndicatorStatus> {
    return this.indicators.report(actor, input);
  }
}
