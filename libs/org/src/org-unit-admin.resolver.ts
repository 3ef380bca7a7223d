import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Role, Roles, type Actor } from '@zhezi/core';
import { OrgUnit } from './org-unit.entity';
import { OrgUnitAdminService } from './org-unit-admin.service';
import {
  CreateOrgUnitInput,
  LeaderPortfolio,
  MergeOrgUnitsInput,
  OrgUnitMergeResult,
  OrgUnitVersionInput,
  SetLeaderPortfolioInput,
  UpdateOrgUnitInput,
} from './org-unit-admin.types';
import { PortfolioService } from './portfolio.service';
import { UnitMergeService } from './unit-merge.service';

/** The org chart's administration: admins only. */
@Resolver(() => OrgUnit)
export class OrgUnitAdminResolver {
  constructor(
    private readonly admin: OrgUnitAdminService,
    private readonly merging: UnitMergeService,
    private readonly portfolios: PortfolioService,
  ) {}

  @Roles(Role.ADMIN)
  @Mutation(() => OrgUnit, { description: '新增机构（管理员）' })
  createOrgUnit(@CurrentActor() actor: Actor, @Args('input') input: CreateOrgUnitInput): Promise<OrgUnit> {
    return this.admin.create(actor, input);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => OrgUnit, {
    description: '修改机构名称、类别、上级或简称；改名后原名称成为曾用名（管理员）',
  })
  updateOrgUnit(@CurrentActor() actor: Actor, @Args('input') input: UpdateOrgUnitInput): Promise<OrgUnit> {
    return this.admin.update(actor, input);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => OrgUnit, { description: '停用没有未办结事项的机构（管理员）' })
  deactivateOrgUnit(
    @CurrentActor() actor: Actor,
    @Args('input') input: OrgUnitVersionInput,
  ): Promise<OrgUnit> {
    return this.admin.deactivate(actor, input);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => OrgUnitMergeResult, {
    description: '把一个机构并入另一个：在办任务、草稿、推送渠道、关键词、分管关系和人员一并移交（管理员）',
  })
  mergeOrgUnits(
    @CurrentActor() actor: Actor,
    @Args('input') input: MergeOrgUnitsInput,
  ): Promise<OrgUnitMergeResult> {
    return this.merging.merge(actor, input);
  }

  @Query(() => [LeaderPortfolio], { description: '区领导分管的单位' })
  leaderPortfolios(): Promise<LeaderPortfolio[]> {
    return this.portfolios.list();
  }

  @Roles(Role.ADMIN)
  @Mutation(() => LeaderPortfolio, { description: '设置区领导分管的单位（整体替换，管理员）' })
  setLeaderPortfolio(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetLeaderPortfolioInput,
  ): Promise<LeaderPortfolio> {
    return this.portfolios.set(actor, input);
  }
}
