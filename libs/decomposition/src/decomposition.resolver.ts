import { Args, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ApprovalRequest } from '@zhezi/approval';
import {
  ASSIGNERS,
  CurrentActor,
  DISTRICT_WIDE_READERS,
  IdArg,
  PageArgs,
  Role,
  Roles,
  type Actor,
  type RequestContext,
} from '@zhezi/core';
import { OrgService, OrgUnit, User } from '@zhezi/org';
import { PlanService, Target } from '@zhezi/plan';
import { Task, TaskService } from '@zhezi/task';
import { DecompositionService } from './decomposition.service';
import { DraftService } from './draft.service';
import {
  DraftTaskConnection,
  ImportResult,
  ImportTaskListInput,
  IngestPlanInput,
  IngestResult,
  MergeDraftTasksInput,
  RemoveDraftTasksInput,
  SetUnitKeywordInput,
  SplitDraftTaskInput,
  SubmitDecompositionInput,
  UnitKeywordConnection,
  UnitKeywordSearchArgs,
  UpdateDraftTaskInput,
} from './decomposition.types';
import { DraftTask, UnitSuggestion } from './draft-task.entity';
import { DraftUnit, unitsOf } from './draft-units';
import { SuggestionService } from './suggestion.service';
import { TaskListImportService } from './task-list-import.service';
import { UnitKeyword } from './unit-keyword.entity';

@Resolver(() => DraftTask)
export class DraftTaskResolver {
  constructor(
    private readonly decomposition: DecompositionService,
    private readonly draftService: DraftService,
    private readonly importer: TaskListImportService,
    private readonly org: OrgService,
    private readonly plans: PlanService,
    private readonly tasks: TaskService,
  ) {}

  @Roles(...DISTRICT_WIDE_READERS)
  @Query(() => DraftTaskConnection, { description: '规划的任务分解草稿，按次序' })
  draftTasks(@IdArg('planId') planId: string, @Args() page: PageArgs) {
    return this.draftService.listDrafts(planId, page);
  }

  @Roles(...ASSIGNERS)
  @Mutation(() => IngestResult, {
    description: '导入规划文件（.txt/.md/.docx）：生成目标树、指标与任务分解草稿',
  })
  ingestPlan(@CurrentActor() actor: Actor, @Args('input') input: IngestPlanInput) {
    return this.decomposition.ingestPlan(actor, input);
  }

  @Roles(...ASSIGNERS)
  @Mutation(() => ImportResult, {
    description: '导入折子工程 Excel 表：全部无误才导入，生成新的折子工程草稿',
  })
  importTaskList(@CurrentActor() actor: Actor, @Args('input') input: ImportTaskListInput) {
    return this.importer.importTaskList(actor, input);
  }

  @Roles(...ASSIGNERS)
  @Mutation(() => DraftTask)
  updateDraftTask(@CurrentActor() actor: Actor, @Args('input') input: UpdateDraftTaskInput) {
    return this.draftService.updateDraft(actor, input);
  }

  @Roles(...ASSIGNERS)
  @Mutation(() => DraftTask, { description: '合并草稿（合并到次序最前的一条）' })
  mergeDraftTasks(@CurrentActor() actor: Actor, @Args('input') input: MergeDraftTasksInput) {
    return this.draftService.merge(actor, input);
  }

  @Roles(...ASSIGNERS)
  @Mutation(() => [DraftTask], { description: '拆分草稿' })
  splitDraftTask(@CurrentActor() actor: Actor, @Args('input') input: SplitDraftTaskInput) {
    return this.draftService.split(actor, input);
  }

  @Roles(...ASSIGNERS)
  @Mutation(() => [DraftTask], { description: '删除不作为任务的草稿（如指导思想、背景段落）；规划措施保留' })
  removeDraftTasks(@CurrentActor() actor: Actor, @Args('input') input: RemoveDraftTasksInput) {
    return this.draftService.remove(actor, input.drafts);
  }

  @Roles(...ASSIGNERS)
  @Mutation(() => ApprovalRequest, { description: '提交任务分解审定；审定通过后生成任务并交办' })
  submitDecomposition(@CurrentActor() actor: Actor, @Args('input') input: SubmitDecompositionInput) {
    return this.decomposition.submit(actor, input);
  }

  @ResolveField(() => [OrgUnit])
  async leadUnits(draft: DraftTask, _args: unknown, ctx: RequestContext) {
    return this.org.unitLoader(ctx).loadMany(draft.leadUnitIds);
  }

  @ResolveField(() => [OrgUnit])
  supportUnits(draft: DraftTask, _args: unknown, ctx: RequestContext) {
    return this.org.unitLoader(ctx).loadMany(draft.supportUnitIds);
  }

  @ResolveField(() => [DraftUnit], {
    description: '牵头单位与配合单位及其来源：原文写明、系统建议或审核时指定',
  })
  units(draft: DraftTask): DraftUnit[] {
    return unitsOf(draft);
  }

  @ResolveField(() => User, { nullable: true })
  responsibleLeader(draft: DraftTask, _args: unknown, ctx: RequestContext) {
    return draft.responsibleLeaderId ? this.org.userLoader(ctx).load(draft.responsibleLeaderId) : null;
  }

  @ResolveField(() => [Target], { description: '来自的规划措施' })
  targets(draft: DraftTask, _args: unknown, ctx: RequestContext) {
    return this.plans.targetLoader(ctx).loadMany(draft.targetIds);
  }

  @ResolveField(() => Task, { nullable: true, description: '发布后的任务' })
  task(draft: DraftTask, _args: unknown, ctx: RequestContext) {
    return draft.taskId ? this.tasks.taskLoader(ctx).load(draft.taskId) : null;
  }
}

@Resolver(() => DraftUnit)
export class DraftUnitResolver {
  constructor(private readonly org: OrgService) {}

  @ResolveField(() => OrgUnit)
  orgUnit(unit: DraftUnit, _args: unknown, ctx: RequestContext) {
    return this.org.unitLoader(ctx).load(unit.orgUnitId);
  }
}

@Resolver(() => UnitSuggestion)
export class UnitSuggestionResolver {
  constructor(
    private readonly suggestions: SuggestionService,
    private readonly org: OrgService,
  ) {}

  @Roles(...DISTRICT_WIDE_READERS)
  @Query(() => [UnitSuggestion], { description: '按关键词词典为一段任务内容建议承办单位' })
  suggestUnits(@Args('text') text: string) {
    return this.suggestions.suggest(text);
  }

  @ResolveField(() => OrgUnit)
  orgUnit(suggestion: UnitSuggestion, _args: unknown, ctx: RequestContext) {
    return this.org.unitLoader(ctx).load(suggestion.orgUnitId);
  }
}

@Resolver(() => UnitKeyword)
export class UnitKeywordResolver {
  constructor(
    private readonly suggestions: SuggestionService,
    private readonly org: OrgService,
  ) {}

  @Roles(Role.ADMIN)
  @Query(() => UnitKeywordConnection, { description: '关键词 → 承办单位词典' })
  unitKeywords(
    @IdArg('orgUnitId', { nullable: true }) orgUnitId: string | undefined,
    @Args() { search }: UnitKeywordSearchArgs,
    @Args() page: PageArgs,
  ) {
    return this.suggestions.list(orgUnitId, search, page);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => UnitKeyword, { description: '新增关键词或修改其权重' })
  setUnitKeyword(@CurrentActor() actor: Actor, @Args('input') input: SetUnitKeywordInput) {
    return this.suggestions.set(actor, input);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => UnitKeyword)
  removeUnitKeyword(@CurrentActor() actor: Actor, @IdArg('id') id: string) {
    return this.suggestions.remove(actor, id);
  }

  @ResolveField(() => OrgUnit)
  orgUnit(keyword: UnitKeyword, _args: unknown, ctx: RequestContext) {
    return this.org.unitLoader(ctx).load(keyword.orgUnitId);
  }
}
