import { Args, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AllowPendingPasswordChange, CurrentActor, Ctx, type Actor, type RequestContext } from '@zhezi/core';
import { OrgUnit } from './org-unit.entity';
import { OrgService } from './org.service';
import { OrgUnitsArgs } from './org.types';
import { User } from './user.entity';

@Resolver(() => OrgUnit)
export class OrgUnitResolver {
  constructor(private readonly org: OrgService) {}

  @Query(() => [OrgUnit], { description: '组织机构（按上下级排序；用 parent / children 遍历树）' })
  orgUnits(@Args() args: OrgUnitsArgs): Promise<OrgUnit[]> {
    return this.org.listUnits(args);
  }

  @ResolveField(() => OrgUnit, { nullable: true })
  parent(unit: OrgUnit, _args: unknown, ctx: RequestContext): Promise<OrgUnit | null> | null {
    return unit.parentId ? this.org.unitLoader(ctx).load(unit.parentId) : null;
  }

  @ResolveField(() => [OrgUnit])
  children(unit: OrgUnit, _args: unknown, ctx: RequestContext): Promise<OrgUnit[]> {
    return this.org.childUnitsLoader(ctx).load(unit.id);
  }
}

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly org: OrgService) {}

  @AllowPendingPasswordChange()
  @Query(() => User, { description: '当前登录用户' })
  async viewer(@CurrentActor() actor: Actor, @Ctx() ctx: RequestContext): Promise<User | null> {
    return this.org.userLoader(ctx).load(actor.userId);
  }

  @ResolveField(() => OrgUnit)
  orgUnit(user: User, _args: unknown, ctx: RequestContext): Promise<OrgUnit | null> {
    return this.org.unitLoader(ctx).load(user.orgUnitId);
  }
}
