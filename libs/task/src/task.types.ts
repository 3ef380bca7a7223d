import { Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ConnectionType, OptionalTextField, OptionalTitleField, TitleField } from '@zhezi/core';
import { DueKind, Recurrence } from '@zhezi/plan';
import { Assignment, AssignmentRole, AssignmentStatus } from './assignment.entity';
import { Task, TaskPriority, TaskStatus } from './task.entity';

export const TaskConnection = ConnectionType(Task, 'Task');
export const AssignmentConnection = ConnectionType(Assignment, 'Assignment');

@InputType()
export class UnitDueInput {
  @Field(() => ID)
  @IsUUID()
  orgUnitId!: string;

  @Field({ nullable: true, description: '本单位完成时限；不填取上级时限' })
  @IsOptional()
  @IsDate()
  dueAt?: Date;
}

@InputType()
export class MilestoneInput {
  @TitleField()
  title!: string;

  @Field()
  @IsDate()
  dueAt!: Date;
}

@InputType()
export class CreateTaskInput {
  @Field(() => ID)
  @IsUUID()
  planId!: string;

  @Field(() => ID, { nullable: true, description: '对应的规划目标节点' })
  @IsOptional()
  @IsUUID()
  targetId?: string;

  @Field({ nullable: true, description: '序号；不填则按规划内顺序自动编号' })
  @IsOptional()
  @IsString()
  @Length(1, 30)
  code?: string;

  @TitleField({ description: '任务名称（1–200字）' })
  title!: string;

  @OptionalTextField({ description: '任务内容 / 具体措施' })
  description?: string;

  @Field(() => ID, { nullable: true, description: '责任领导（须为区领导账号）' })
  @IsOptional()
  @IsUUID()
  responsibleLeaderId?: string;

  @Field({ nullable: true, description: '完成时限；不填取目标节点或规划期止' })
  @IsOptional()
  @IsDate()
  dueAt?: Date;

  @Field(() => DueKind, { nullable: true, description: '完成时限类型；不填为日期（DATE）' })
  @IsOptional()
  @IsEnum(DueKind)
  dueKind?: DueKind;

  @Field(() => Recurrence, { nullable: true, description: '周期性时限（RECURRING）的周期' })
  @IsOptional()
  @IsEnum(Recurrence)
  recurrence?: Recurrence;

  @Field(() => TaskPriority, { nullable: true })
  @IsOptional()
  @IsEnum(TaskPriority)
  priority?: TaskPriority;

  @Field(() => [MilestoneInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => MilestoneInput)
  milestones?: MilestoneInput[];

  @Field(() => ID, { nullable: true, description: '督办流程；不填用默认流程' })
  @IsOptional()
  @IsUUID()
  escalationPolicyId?: string;

  @Field(() => [UnitDueInput], {
    nullable: true,
    description: '牵头单位；填写则新建即交办（与任务同时生效，任一单位不合要求则都不保存）',
  })
  @IsOptional()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => UnitDueInput)
  leadUnits?: UnitDueInput[];

  @Field(() => [UnitDueInput], { nullable: true, description: '配合单位（与牵头单位一同交办）' })
  @IsOptional()
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => UnitDueInput)
  supportUnits?: UnitDueInput[];
}

@InputType()
export class UpdateTaskInput {
  @Field(() => ID)
  @IsUUID()
  id!: string;

  @Field(() => Int, { description: '读取时的版本号；已被他人修改则返回 CONFLICT' })
  @IsInt()
  @Min(1)
  version!: number;

  @OptionalTitleField()
  title?: string;

  @OptionalTextField()
  description?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  responsibleLeaderId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsDate()
  dueAt?: Date;

  @Field(() => TaskPriority, { nullable: true })
  @IsOptional()
  @IsEnum(TaskPriority)
  priority?: TaskPriority;

  @Field(() => [MilestoneInput], { nullable: true, description: '给出时整体替换原有时间节点' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => MilestoneInput)
  milestones?: MilestoneInput[];
}

@InputType()
export class AssignTaskInput {
  @Field(() => ID)
  @IsUUID()
  taskId!: string;

  @Field(() => [UnitDueInput], { defaultValue: [], description: '牵头单位' })
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => UnitDueInput)
  leadUnits!: UnitDueInput[];

  @Field(() => [UnitDueInput], { defaultValue: [], description: '配合单位' })
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => UnitDueInput)
  supportUnits!: UnitDueInput[];
}

@InputType()
export class SplitAssignmentInput {
  @Field(() => ID, { description: '部门的分工' })
  @IsUUID()
  assignmentId!: string;

  @Field(() => [UnitDueInput], { description: '分解给的街道 / 镇' })
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => UnitDueInput)
  parts!: UnitDueInput[];
}

/** The orders a plan's task list is read in (each a keyset the pager follows). */
export enum TaskOrder {
  DUE_AT_ASC = 'DUE_AT_ASC',
  DUE_AT_DESC = 'DUE_AT_DESC',
  PROGRESS_ASC = 'PROGRESS_ASC',
  PROGRESS_DESC = 'PROGRESS_DESC',
  UPDATED_AT_DESC = 'UPDATED_AT_DESC',
}

registerEnumType(TaskOrder, {
  name: 'TaskOrder',
  valuesMap: {
    DUE_AT_ASC: { description: '完成时限由近及远' },
    DUE_AT_DESC: { description: '完成时限由远及近' },
    PROGRESS_ASC: { description: '进度由低到高' },
    PROGRESS_DESC: { description: '进度由高到低' },
    UPDATED_AT_DESC: { description: '最近更新的在前' },
  },
});

@InputType()
export class TaskFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  planId?: string;

  @Field(() => ID, { nullable: true, description: '承办单位（含配合、分解）' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @Field(() => TaskStatus, { nullable: true })
  @IsOptional()
  @IsEnum(TaskStatus)
  status?: TaskStatus;

  @Field({ nullable: true, description: '完成时限不早于' })
  @IsOptional()
  @IsDate()
  dueFrom?: Date;

  @Field({ nullable: true, description: '完成时限不晚于' })
  @IsOptional()
  @IsDate()
  dueTo?: Date;

  @Field({ nullable: true, description: '按序号（完全一致）或在任务名称和内容中查找（中文按字串匹配）' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  search?: string;
}

@InputType()
export class AssignmentFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  planId?: string;

  @Field(() => AssignmentStatus, { nullable: true })
  @IsOptional()
  @IsEnum(AssignmentStatus)
  status?: AssignmentStatus;

  @Field(() => AssignmentRole, { nullable: true })
  @IsOptional()
  @IsEnum(AssignmentRole)
  role?: AssignmentRole;

  @Field({ nullable: true })
  @IsOptional()
  @IsDate()
  dueFrom?: Date;

  @Field({ nullable: true })
  @IsOptional()
  @IsDate()
  dueTo?: Date;
}

@InputType()
export class AssignmentTransitionInput {
  @Field(() => ID)
  @IsUUID()
  assignmentId!: string;

  @Field(() => Int, { description: '读取时的版本号；已被他人修改则返回 CONFLICT' })
  @IsInt()
  @Min(1)
  version!: number;
}

@InputType()
export class AssignmentReasonInput extends AssignmentTransitionInput {
  @Field({ description: '原因（记入留痕）' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

@InputType()
export class SubmitProgressInput extends AssignmentTransitionInput {
  @Field({ description: '报送期：月报“2026-11”，紧急任务按周“2026-W48”' })
  @IsString()
  @Length(7, 8)
  period!: string;

  @Field({ description: '进展情况（1–5000字）' })
  @IsString()
  @Length(1, 5000)
  text!: string;

  @Field(() => Int, {
    nullable: true,
    description: '进度（0–100）；已分解给街镇的分工按下级分工汇总，不填（填写须与汇总值一致）',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  percent?: number | null;

  @Field({ nullable: true, description: '进度低于上次报送时必填' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;

  @Field(() => [ID], { defaultValue: [], description: '已上传的佐证材料' })
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  evidenceIds!: string[];
}
