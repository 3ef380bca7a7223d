import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsDate, IsInt, IsOptional, IsUUID, Min, ValidateNested } from 'class-validator';
import { CommentField, OptionalTextField, OptionalTitleField, ReasonField } from '@zhezi/core';
import { MilestoneInput, UnitDueInput } from '../task.types';

@InputType()
export class RequestCloseOutInput {
  @Field(() => ID)
  @IsUUID()
  assignmentId!: string;

  @Field(() => Int, { description: '分工读取时的版本号' })
  @IsInt()
  @Min(1)
  version!: number;

  @CommentField({ description: '完成情况说明' })
  comment!: string;
}

@InputType()
export class RequestExtensionInput extends RequestCloseOutInput {
  @Field({ description: '申请延至' })
  @IsDate()
  newDueAt!: Date;

  @ReasonField({ description: '延期理由' })
  reason!: string;
}

@InputType()
export class RequestAdjustmentInput {
  @Field(() => ID)
  @IsUUID()
  taskId!: string;

  @OptionalTitleField()
  title?: string;

  @OptionalTextField()
  description?: string;

  @Field({ nullable: true, description: '新的任务完成时限' })
  @IsOptional()
  @IsDate()
  dueAt?: Date;

  @Field(() => [MilestoneInput], { nullable: true, description: '给出时整体替换时间节点' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => MilestoneInput)
  milestones?: MilestoneInput[];

  @Field(() => [UnitDueInput], { nullable: true, description: '增加的配合单位' })
  @IsOptional()
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => UnitDueInput)
  addSupportUnits?: UnitDueInput[];

  @Field(() => [ID], { nullable: true, description: '撤销的分工（连同其下分解）' })
  @IsOptional()
  @ArrayMaxSize(60)
  @IsUUID('all', { each: true })
  removeAssignmentIds?: string[];

  @ReasonField({ description: '调整理由' })
  reason!: string;
}

@ObjectType('Extension', { description: '已批准的延期' })
export class ExtensionRecord {
  @Field(() => ID)
  requestId!: string;

  @Field({ description: '延期前的时限' })
  previousDueAt!: Date;

  @Field({ description: '延至' })
  newDueAt!: Date;

  @Field()
  reason!: string;

  @Field({ description: '批准时间' })
  approvedAt!: Date;
}
