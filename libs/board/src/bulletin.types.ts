import { ArgsType, Field, ID, Int, Float, ObjectType } from '@nestjs/graphql';
import { IsUUID, Matches } from 'class-validator';
import { OrgUnit, OrgUnitKind } from '@zhezi/org';

@ObjectType({ description: '通报中一个单位的情况' })
export class BulletinRow {
  @Field(() => ID)
  orgUnitId!: string;

  @Field(() => OrgUnit)
  orgUnit?: OrgUnit;

  @Field(() => OrgUnitKind)
  kind!: OrgUnitKind;

  @Field(() => Int, { description: '交办数' })
  assigned!: number;

  @Field(() => Int, { description: '本月按期销号' })
  closedOnTime!: number;

  @Field(() => Int, { description: '本月逾期销号' })
  closedLate!: number;

  @Field(() => Int, { description: '月末（当月为现在）逾期未办结' })
  overdue!: number;

  @Field(() => Int, { description: '逾期天数合计' })
  overdueDaysSum!: number;

  @Field(() => Int, { description: '最长逾期天数' })
  overdueDaysMax!: number;

  @Field(() => Int, { description: '本月批准延期' })
  extensions!: number;

  @Field(() => Int, { description: '本月漏报' })
  missedReports!: number;

  @Field(() => Int, { description: '月末未办结的督办单' })
  openNotices!: number;

  @Field(() => Float, { description: '考核得分（本月数字）' })
  score!: number;

  @Field(() => Int, { description: '同类单位内排名' })
  rank!: number;
}

@ObjectType({ description: '督查室月度通报' })
export class Bulletin {
  @Field(() => ID)
  planId!: string;

  @Field()
  planTitle!: string;

  @Field({ description: 'YYYY-MM' })
  month!: string;

  @Field({ description: '数字截至（月末，当月为现在）' })
  asOf!: Date;

  @Field(() => [BulletinRow], { description: '委办局在前、街道/镇在后，各按排名' })
  rows!: BulletinRow[];
}

@ArgsType()
export class BulletinArgs {
  @Field(() => ID)
  @IsUUID()
  planId!: string;

  @Field({ description: 'YYYY-MM' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '月份格式应为 YYYY-MM' })
  month!: string;
}
