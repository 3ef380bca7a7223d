import { ArgsType, Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsDay } from '@zhezi/core';
import { IsEnum, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { CalendarImportFormat } from './calendar/calendar-import';
import { DayKind } from './calendar/calendar-day';

/** The years a calendar can be shown, imported or edited for (the packaged data starts in 2004). */
export const CALENDAR_YEARS = { min: 2004, max: 2100 };

registerEnumType(DayKind, {
  name: 'DayKind',
  valuesMap: {
    WORKDAY: { description: '工作日' },
    WEEKEND: { description: '周末' },
    HOLIDAY: { description: '法定节假日' },
    MAKEUP_WORKDAY: { description: '调休上班日' },
  },
});

registerEnumType(CalendarImportFormat, {
  name: 'CalendarImportFormat',
  valuesMap: {
    JSON: { description: 'JSON：holidays / workdays 列表' },
    ICS: { description: 'iCalendar（休/班）' },
  },
});

@ObjectType('WorkCalendarDay', { description: '工作日历中的一天' })
export class WorkCalendarDay {
  @Field({ description: '日期（北京时间），YYYY-MM-DD' })
  day!: string;

  @Field()
  workday!: boolean;

  @Field(() => DayKind)
  kind!: DayKind;

  @Field(() => String, { nullable: true, description: '节日名称' })
  name!: string | null;

  @Field({ description: '来源：国务院通知、数据包或推算' })
  source!: string;

  @Field({ description: '是否为按法定规则推算的暂定安排（国务院通知发布前）' })
  provisional!: boolean;
}

@ObjectType('WorkCalendarYear')
export class WorkCalendarYear {
  @Field(() => Int)
  year!: number;

  @Field({ description: '该年安排是否为暂定（尚未导入国务院通知）' })
  provisional!: boolean;

  @Field(() => [WorkCalendarDay], { description: '节假日、调休上班日（不含普通工作日和普通周末）' })
  specialDays!: WorkCalendarDay[];

  @Field(() => Int)
  workdayCount!: number;
}

const YEAR_RANGE = `年份应在 ${CALENDAR_YEARS.min}–${CALENDAR_YEARS.max} 之间`;

@ArgsType()
export class WorkCalendarArgs {
  @Field(() => Int)
  @IsInt()
  @Min(CALENDAR_YEARS.min, { message: YEAR_RANGE })
  @Max(CALENDAR_YEARS.max, { message: YEAR_RANGE })
  year!: number;
}

@InputType()
export class ImportWorkCalendarInput {
  @Field(() => Int)
  @IsInt()
  @Min(CALENDAR_YEARS.min)
  @Max(CALENDAR_YEARS.max)
  year!: number;

  @Field(() => CalendarImportFormat)
  @IsEnum(CalendarImportFormat)
  format!: CalendarImportFormat;

  @Field({ description: 'JSON 或 ICS 文本' })
  @IsString()
  @Length(1, 500_000)
  content!: string;

  @Field({ description: '来源，如“国办发明电〔2026〕7号”' })
  @IsString()
  @Length(1, 200)
  source!: string;
}

@InputType()
export class SetWorkCalendarDayInput {
  @Field({ description: 'YYYY-MM-DD' })
  @IsDay(CALENDAR_YEARS)
  day!: string;

  @Field(() => DayKind)
  @IsEnum(DayKind)
  kind!: DayKind;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  name?: string | null;

  @Field({ description: '修改依据' })
  @IsString()
  @Length(1, 200)
  source!: string;
}
