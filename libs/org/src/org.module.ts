import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@zhezi/audit';
import { OrgUnitAdminResolver } from './org-unit-admin.resolver';
import { OrgUnitAdminService } from './org-unit-admin.service';
import { OrgUnit } from './org-unit.entity';
import { OrgUnitResolver, UserResolver } from './org.resolver';
import { OrgService } from './org.service';
import { PortfolioService } from './portfolio.service';
import { UnitMergeHooks } from './unit-merge.hooks';
import { UnitMergeService } from './unit-merge.service';
import { User } from './user.entity';

@Module({
  imports: [AuditModule, TypeOrmModule.forFeature([OrgUnit, User])],
  providers: [
    OrgService,
    OrgUnitResolver,
    UserResolver,
    OrgUnitAdminService,
    UnitMergeService,
    UnitMergeHooks,
    PortfolioService,
    OrgUnitAdminResolver,
  ],
  exports: [OrgService, PortfolioService, UnitMergeHooks],
})
export class OrgModule {}
