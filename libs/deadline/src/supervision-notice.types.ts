import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { ConnectionType, OptionalReasonField, ReasonField } from '@zhezi/core';
import { SupervisionNotice, NoticeStatus } from './supervision-notice.entity';

export const SupervisionNoticeConnection = ConnectionType(SupervisionNotice, 'SupervisionNotice');

@InputType()
export class OpenSupervisionNoticeInput {
  @Field(() => ID)
  @IsUUID()
  assignmentId!: string;

  @ReasonField({ description: '督办事由' })
  reason!: string;

  @Field(() => Int, { defaultValue: 3, description: '答复时限（工作日）' })
  @IsInt()
  @Min(1)
  @Max(30)
  responseWorkdays!: number;
}

@InputType()
export class AnswerSupervisionNoticeInput {
  @Field(() => ID)
  @IsUUID()
  noticeId!: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  version!: number;

  @Field({ description: '整改说明 / 情况说明' })
  @IsString()
  @Length(1, 5000)
  response!: string;

  @Field({ description: '新的推进计划' })
  @IsString()
  @Length(1, 5000)
  newPlan!: string;
}

@InputType()
export class ReviewSupervisionNoticeInput {
  @Field(() => ID)
  @IsUUID()
  noticeId!: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  version!: number;

  @OptionalReasonField({ description: '退回时必填：退回理由' })
  reason?: string;
}

@ArgsType()
export class SupervisionNoticeFilterArgs {
  @Field(() => NoticeStatus, { nullable: true })
  @IsOptional()
  @IsEnum(NoticeStatus)
  status?: NoticeStatus;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @Field({ nullable: true, description: '只看答复已逾期的' })
  @IsOptional()
  overdueOnly?: boolean;
}
