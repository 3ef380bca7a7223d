import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBase64,
  IsDate,
  IsEnum,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ConnectionType, CommentField, OptionalTextField, OptionalTitleField, TitleField } from '@zhezi/core';
import { DueKind, Plan, Recurrence } from '@zhezi/plan';
import { MilestoneInput } from '@zhezi/task';
import { DraftTask } from './draft-task.entity';
import { UnitKeyword } from './unit-keyword.entity';

export const DraftTaskConnection = ConnectionType(DraftTask, 'DraftTask');
export const UnitKeywordConnection = ConnectionType(UnitKeyword, 'UnitKeyword');

/**
 * A plan document or task table: uploaded first (`POST /uploads`) and named by `uploadId`, or small files
 * inline, base64-encoded (the request body is limited to GRAPHQL_MAX_BODY_BYTES).
 */
@InputType()
export class UploadedFileInput {
  @Field(() => ID, {
    nullable: true,
    description: 'POST /uploads 返回的上传 ID（仅限本人上传、未过期的文件）',
  })
  @IsOptional()
  @IsString()
  uploadId?: string;

  @Field({
    nullable: true,
    description: '文件名，用于判断类型（.txt/.md/.docx 或 .xlsx）；与 content 一起提供',
  })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  fileName?: string;

  @Field({ nullable: true, description: '文件内容，Base64 编码（较大的文件请先上传，改填 uploadId）' })
  @IsOptional()
  @IsBase64()
  content?: string;
}

/** Inputs that carry one uploaded file. */
@InputType({ isAbstract: true })
abstract class WithFileInput {
  @Field(() => UploadedFileInput)
  @ValidateNested()
  @Type(() => UploadedFileInput)
  file!: UploadedFileInput;
}

@InputType()
export class IngestPlanInput extends WithFileInput {
  @OptionalTitleField({ description: '规划名称；不填则取文件中的标题' })
  title?: string;

  @Field(() => Int, { nullable: true, description: '规划期起始年份；不填则从标题识别（如“十三五”）' })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  periodStartYear?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  periodEndYear?: number;
}

@ObjectType('IngestedPlan', { description: '规划文件导入结果：目标树与任务分解草稿' })
export class IngestResult {
  @Field(() => Plan)
  plan!: Plan;

  @Field(() => Int)
  chapterCount!: number;

  @Field(() => Int)
  sectionCount!: number;

  @Field(() => Int)
  itemCount!: number;

  @Field(() => Int)
  measureCount!: number;

  @Field(() => Int)
  indicatorCount!: number;

  @Field(() => Int, { description: '生成的任务草稿数（每条措施一条）' })
  draftTaskCount!: number;
}

@InputType()
export class ImportTaskListInput extends WithFileInput {
  @OptionalTitleField({ description: '折子工程名称；不填则取表格标题行' })
  title?: string;

  @Field(() => Int, { description: '年度：“6月底前”“年底前”等时限按此年份理解' })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;
}

@ObjectType('ImportedTaskList', { description: 'Excel 导入结果：新的折子工程及其任务草稿' })
export class ImportResult {
  @Field(() => Plan)
  plan!: Plan;

  @Field(() => Int)
  draftTaskCount!: number;
}

@InputType()
export class UpdateDraftTaskInput {
  @Field(() => ID)
  @IsUUID()
  id!: string;

  @Field(() => Int)
  @IsInt()
  version!: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 30)
  code?: string;

  @OptionalTitleField()
  title?: string;

  @OptionalTextField()
  description?: string;

  @Field(() => [ID], { nullable: true, description: '牵头单位（通常一个）' })
  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(60)
  leadUnitIds?: string[];

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(60)
  supportUnitIds?: string[];

  @Field(() => ID, { nullable: true, description: '责任领导（区领导账号）；传 null 清除' })
  @IsOptional()
  @IsUUID()
  responsibleLeaderId?: string | null;

  @Field({ nullable: true })
  @IsOptional()
  @IsDate()
  dueAt?: Date;

  @Field(() => DueKind, { nullable: true, description: '完成时限类型（长期的不计逾期）' })
  @IsOptional()
  @IsEnum(DueKind)
  dueKind?: DueKind;

  @Field(() => Recurrence, { nullable: true, description: '周期性时限的周期' })
  @IsOptional()
  @IsEnum(Recurrence)
  recurrence?: Recurrence;

  @Field(() => [MilestoneInput], { nullable: true, description: '替换全部时间节点' })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => MilestoneInput)
  @ArrayMaxSize(24)
  milestones?: MilestoneInput[];
}

@InputType()
export class DraftTaskRef {
  @Field(() => ID)
  @IsUUID()
  id!: string;

  @Field(() => Int)
  @IsInt()
  version!: number;
}

@InputType()
export class MergeDraftTasksInput {
  @Field(() => [DraftTaskRef], { description: '要合并的草稿（两条以上）；合并到次序最前的一条' })
  @ValidateNested({ each: true })
  @Type(() => DraftTaskRef)
  @ArrayMinSize(2)
  @ArrayMaxSize(50)
  drafts!: DraftTaskRef[];
}

@InputType()
export class RemoveDraftTasksInput {
  @Field(() => [DraftTaskRef])
  @ValidateNested({ each: true })
  @Type(() => DraftTaskRef)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  drafts!: DraftTaskRef[];
}

@InputType()
export class DraftPartInput {
  @TitleField()
  title!: string;

  @OptionalTextField()
  description?: string;
}

@InputType()
export class SplitDraftTaskInput {
  @Field(() => ID)
  @IsUUID()
  id!: string;

  @Field(() => Int)
  @IsInt()
  version!: number;

  @Field(() => [DraftPartInput], { description: '拆分后的各条（两条以上），第一条沿用原草稿' })
  @ValidateNested({ each: true })
  @Type(() => DraftPartInput)
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  parts!: DraftPartInput[];
}

@InputType()
export class SubmitDecompositionInput {
  @Field(() => ID)
  @IsUUID()
  planId!: string;

  @CommentField()
  comment!: string;
}

@ArgsType()
export class UnitKeywordSearchArgs {
  @Field({ nullable: true, description: '按关键词查找（任意子串）' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  search?: string;
}

@InputType()
export class SetUnitKeywordInput {
  @Field(() => ID)
  @IsUUID()
  orgUnitId!: string;

  @Field()
  @IsString()
  @Length(1, 20)
  keyword!: string;

  @Field(() => Float, { defaultValue: 1 })
  @IsNumber()
  @Min(0.1)
  @Max(10)
  weight!: number;
}
