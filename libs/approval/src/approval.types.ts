import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Min,
  ValidateNested,
} from 'class-validator';
import { ConnectionType, Role, CommentField } from '@zhezi/core';
import { ApprovalKind, ApproverSource, StepMode } from './approval-flow.entity';
import { ApprovalRequest, ApprovalStatus, Decision } from './approval-request.entity';

export const ApprovalRequestConnection = ConnectionType(ApprovalRequest, 'ApprovalRequest');

@InputType()
export class DecideApprovalInput {
  @Field(() => ID)
  @IsUUID()
  requestId!: string;

  @Field(() => Decision)
  @IsEnum(Decision)
  decision!: Decision;

  @CommentField({ description: '审批意见；退回时必填' })
  comment!: string;
}

@InputType()
export class FlowStepInput {
  @Field()
  @IsString()
  @Length(1, 50)
  name!: string;

  @Field(() => ApproverSource)
  @IsEnum(ApproverSource)
  source!: ApproverSource;

  @Field(() => Role, { nullable: true })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @Field(() => StepMode)
  @IsEnum(StepMode)
  mode!: StepMode;
}

@InputType()
export class UpdateApprovalFlowInput {
  @Field(() => ApprovalKind)
  @IsEnum(ApprovalKind)
  kind!: ApprovalKind;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  version!: number;

  @Field(() => [FlowStepInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => FlowStepInput)
  steps!: FlowStepInput[];
}

@ArgsType()
export class ApprovalFilterArgs {
  @Field(() => ApprovalKind, { nullable: true })
  @IsOptional()
  @IsEnum(ApprovalKind)
  kind?: ApprovalKind;

  @Field(() => ApprovalStatus, { nullable: true })
  @IsOptional()
  @IsEnum(ApprovalStatus)
  status?: ApprovalStatus;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  taskId?: string;
}
