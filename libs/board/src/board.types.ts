import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ConnectionType, PageArgs } from '@zhezi/core';
import { EscalationAction, Light } from '@zhezi/deadline';
import { OrgUnit, OrgUnitKind } from '@zhezi/org';
import { AssignmentStatus } from '@zhezi/task';

@ObjectType({ description: '某状态的分工数' })
export class StatusCount {
  @Field(() => AssignmentStatus)
  status!: AssignmentStatus;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: '一组分工的汇总数字' })
export class BoardFigures {
  @Field(() => Int, { description: '交办数' })
  assigned!: number;

  @Field(() => Int, { description: '已销号' })
  closed!: number;

  @Field(() => Int, { description: '按期销号' })
  closedOnTime!: number;

  @Field(() => Int, { description: '在办' })
  open!: number;

  @Field(() => Int, { description: '逾期未办结' })
  overdue!: number;

  @Field(() => Int, { description: '逾期天数合计（自然日）' })
  overdueDaysSum!: number;

  @Field(() => Int, { description: '最长逾期天数' })
  overdueDaysMax!: number;

  @Field(() => Float, { description: '按期办结率：按期销号 ÷（已销号 + 逾期未办结），无到期事项时为 1' })
  onTimeRate!: number;

  @Field(() => Int)
  red!: number;

  @Field(() => Int)
  yellow!: number;

  @Field(() => Int)
  green!: number;

  @Field(() => Int, { description: '未办结的督办单' })
  openNotices!: number;

  @Field(() => Int, { description: '漏报次数' })
  missedReports!: number;

  @Field(() => [StatusCount])
  byStatus!: StatusCount[];
}

@ObjectType({ description: '单位的汇总、考核得分与排名' })
export class UnitFigures extends BoardFigures {
  @Field(() => ID)
  orgUnitId!: string;

  /** Loaded with the figures (the leader board caches both). */
  @Field(() => OrgUnit)
  orgUnit?: OrgUnit;

  @Field(() => OrgUnitKind)
  kind!: OrgUnitKind;

  @Field(() => Float, { description: '考核得分（0–100，公式见 README）' })
  score!: number;

  @Field(() => Int, { description: '排名（同类单位内，按得分）' })
  rank!: number;
}

export const UnitFiguresConnection = ConnectionType(UnitFigures, 'UnitFigures');

@ObjectType({ description: '按周的到期与销号（燃尽/累计）' })
export class BoardWeek {
  @Field({ description: '周一（北京时间）' })
  week!: string;

  @Field(() => Int, { description: '本周到期' })
  due!: number;

  @Field(() => Int, { description: '本周销号' })
  closed!: number;

  @Field(() => Int, { description: '截至本周累计到期' })
  dueToDate!: number;

  @Field(() => Int, { description: '截至本周累计销号' })
  closedToDate!: number;
}

@ObjectType({ description: '领导看板：一个计划（或全部计划）的总体情况、各单位情况与排名' })
export class LeaderBoard {
  @Field(() => ID, { nullable: true })
  planId!: string | null;

  @Field({ description: '数字截至' })
  asOf!: Date;

  @Field(() => BoardFigures)
  totals!: BoardFigures;

  /** Every visible unit's figures, ranked within its kind; the fields below page through them. */
  units!: UnitFigures[];

  /** The read model's version the figures were computed at (see BoardReadModel.version). */
  version!: string;
}

@ArgsType()
export class UnitFiguresArgs extends PageArgs {
  @Field({ nullable: true, description: 'DEPARTMENT（委办局）或 LOCAL（街道/镇）；空为全部' })
  @IsOptional()
  @IsIn(['DEPARTMENT', 'LOCAL'])
  kind?: 'DEPARTMENT' | 'LOCAL';
}

@ArgsType()
export class TrendArgs {
  @Field(() => Int, { defaultValue: 12, description: '最近若干周（含本周之后 4 周）' })
  @Min(1)
  @Max(104)
  weeks!: number;
}

@InputType({ description: '单位看板筛选' })
export class UnitBoardFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  planId?: string;

  @Field({ nullable: true })
  @IsOptional()
  dueFrom?: Date;

  @Field({ nullable: true })
  @IsOptional()
  dueTo?: Date;

  @Field(() => Light, { nullable: true })
  @IsOptional()
  light?: Light;

  @Field({ nullable: true, description: '在任务名称和内容中查找（中文按字串匹配）' })
  @IsOptional()
  @MaxLength(50)
  search?: string;
}

@ObjectType({ description: '看板的一列：某状态的分工' })
export class KanbanColumn {
  @Field(() => AssignmentStatus)
  status!: AssignmentStatus;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: '单位看板：本单位的任务清单，按状态分列' })
export class UnitBoard {
  @Field(() => ID)
  orgUnitId!: string;

  @Field(() => OrgUnit)
  orgUnit?: OrgUnit;

  @Field(() => [KanbanColumn])
  columns!: KanbanColumn[];

  filter!: UnitBoardFilter;
}

@InputType({ description: '督查看板筛选' })
export class InspectorBoardFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  planId?: string;

  @Field(() => EscalationAction, { nullable: true, description: '已到达的督办级别' })
  @IsOptional()
  level?: EscalationAction;

  @Field({ nullable: true, description: '在任务名称和内容中查找（中文按字串匹配，全市范围走索引）' })
  @IsOptional()
  @MaxLength(50)
  search?: string;

  @Field({ nullable: true, defaultValue: true, description: '包括黄灯（临近时限或进度滞后）的事项' })
  @IsOptional()
  includeAtRisk?: boolean;
}

@ObjectType({ description: '看板数字变了（已合并短时间内的多次变化），请重新查询' })
export class BoardChange {
  @Field(() => ID)
  planId!: string;

  @Field()
  at!: Date;
}

@ArgsType()
export class PlanScopeArgs {
  @Field(() => ID, { nullable: true, description: '计划；空为全部计划' })
  @IsOptional()
  @IsUUID()
  planId?: string;
}

@ArgsType()
export class UnitBoardArgs {
  @Field(() => ID, { nullable: true, description: '单位；空为本单位' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @Field(() => UnitBoardFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => UnitBoardFilter)
  filter?: UnitBoardFilter;
}

export enum UnitBoardOrder {
  DUE_AT = 'DUE_AT',
  LIGHT = 'LIGHT',
  PROGRESS = 'PROGRESS',
  UPDATED_AT = 'UPDATED_AT',
}

registerEnumType(UnitBoardOrder, {
  name: 'UnitBoardOrder',
  description: '单位看板分工的排序（同值再按完成时限）',
  valuesMap: {
    DUE_AT: { description: '按本单位完成时限' },
    LIGHT: { description: '按红黄绿灯：升序红、黄、绿，已销号最后' },
    PROGRESS: { description: '按进度' },
    UPDATED_AT: { description: '按最近更新时间' },
  },
});

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(SortDirection, {
  name: 'SortDirection',
  valuesMap: { ASC: { description: '升序' }, DESC: { description: '降序' } },
});

@ArgsType()
export class KanbanItemsArgs extends PageArgs {
  @Field(() => AssignmentStatus, { nullable: true, description: '某一列；空为全部' })
  @IsOptional()
  status?: AssignmentStatus;

  @Field(() => UnitBoardOrder, { defaultValue: UnitBoardOrder.DUE_AT, description: '排序' })
  orderBy!: UnitBoardOrder;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction!: SortDirection;
}

@ArgsType()
export class InspectorBoardArgs extends PageArgs {
  @Field(() => InspectorBoardFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => InspectorBoardFilter)
  filter?: InspectorBoardFilter;
}
