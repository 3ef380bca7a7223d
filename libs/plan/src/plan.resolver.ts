import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  ASSIGNERS,
  Ctx,
  CurrentActor,
  IdArg,
  PageArgs,
  Roles,
  type Actor,
  type RequestContext,
} from '@zhezi/core';
import { Indicator } from './indicator.entity';
import { Plan } from './plan.entity';
import { PlanService } from './plan.service';
import { CreatePlanInput, CreateTargetInput, PlanConnection } from './plan.types';
import { Target, TargetLevel } from './target.entity';

@Resolver(() => Plan)
export class PlanResolver {
  constructor(private readonly planService: PlanService) {}

  @Query(() => PlanConnection, { description: '规划与折子工程列表' })
  plans(@Args() page: PageArgs) {
    return this.planService.listPlans(page);
  }

  @Query(() => Plan)
  plan(@IdArg('id') id: string) {
    return this.planService.getPlan(id);
  }

  @ResolveField(() => [Target], { description: '全部目标节点，按文档顺序；可按层级筛选' })
  async targets(
    @Parent() plan: Plan,
    @Ctx() ctx: RequestContext,
    @Args('level', { type: () => TargetLevel, nullable: true }) level?: TargetLevel,
  ): Promise<Target[]> {
    const targets = await this.planService.planTargetsLoader(ctx).load(plan.id);
    return level ? targets.filter((t) => t.level === level) : targets;
  }

  @Roles(...ASSIGNERS)
  @Mutation(() => Plan)
  createPlan(@CurrentActor() actor: Actor, @Args('input') input: CreatePlanInput) {
    return this.planService.createPlan(actor, input);
  }

  @Roles(...ASSIGNERS)
  @Mutation(() => Target)
  createTarget(@CurrentActor() actor: Actor, @Args('input') input: CreateTargetInput) {
    return this.planService.createTarget(actor, input);
  }
}

@Resolver(() => Target)
export class TargetResolver {
  constructor(private readonly planService: PlanService) {}

  @ResolveField(() => Target, { nullable: true })
  parent(target: Target, _args: unknown, ctx: RequestContext) {
    return target.parentId ? this.planService.targetLoader(ctx).load(target.parentId) : null;
  }

  @ResolveField(() => [Target])
  children(target: Target, _args: unknown, ctx: RequestContext) {
    return this.planService.childTargetsLoader(ctx).load(target.id);
  }

  @ResolveField(() => [Indicator])
  indicators(target: Target, _args: unknown, ctx: RequestContext) {
    return this.planService.indicatorsLoader(ctx).load(target.id);
  }
}
