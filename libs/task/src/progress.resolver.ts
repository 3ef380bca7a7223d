import { Args, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  CurrentActor,
  DEPARTMENT_ROLES,
  IdArg,
  PageArgs,
  Roles,
  SUBDISTRICT_ROLES,
  type Actor,
  type RequestContext,
} from '@zhezi/core';
import { Evidence, EvidenceService } from '@zhezi/evidence';
import { OrgService, User } from '@zhezi/org';
import { Assignment } from './assignment.entity';
import { ProgressReport, ProgressReportRevision } from './progress-report.entity';
import { ProgressService } from './progress.service';
import { AssignmentConnection, SubmitProgressInput } from './task.types';

@Resolver(() => ProgressReport)
export class ProgressReportResolver {
  constructor(
    private readonly progress: ProgressService,
    private readonly evidenceService: EvidenceService,
    private readonly org: OrgService,
  ) {}

  @Roles(...DEPARTMENT_ROLES, ...SUBDISTRICT_ROLES)
  @Mutation(() => ProgressReport, { description: '报送进展（同一报送期重报则替换，保留历史版本）' })
  submitProgress(@CurrentActor() actor: Actor, @Args('input') input: SubmitProgressInput) {
    return this.progress.submitProgress(actor, input);
  }

  @Query(() => AssignmentConnection, { description: '已结束的报送期内未报送进展的分工（只含有权查看的）' })
  missingReports(
    @CurrentActor() actor: Actor,
    @Args('period') period: string,
    @IdArg('orgUnitId', { nullable: true, description: '只看该单位的' }) orgUnitId: string | null,
    @Args() page: PageArgs,
  ) {
    return this.progress.missingReports(actor, period, orgUnitId, page);
  }

  @ResolveField(() => [Evidence], { description: '佐证材料' })
  evidence(report: ProgressReport, _args: unknown, ctx: RequestContext) {
    return this.evidenceService.evidenceLoader(ctx).load(report.id);
  }

  @ResolveField(() => User, { description: '报送人' })
  submittedBy(report: ProgressReport, _args: unknown, ctx: RequestContext) {
    return this.org.userLoader(ctx).load(report.submittedById);
  }

  @ResolveField(() => [ProgressReportRevision], { description: '被替换的历史版本，由旧到新' })
  revisions(report: ProgressReport, _args: unknown, ctx: RequestContext) {
    return this.progress.revisionsLoader(ctx).load(report.id);
  }
}

@Resolver(() => Assignment)
export class AssignmentProgressResolver {
  constructor(private readonly progress: ProgressService) {}

  @ResolveField(() => [ProgressReport], { description: '进展报送，新的在前' })
  progressReports(assignment: Assignment, _args: unknown, ctx: RequestContext) {
    return this.progress.reportsOfAssignmentLoader(ctx).load(assignment.id);
  }
}
