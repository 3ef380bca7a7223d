import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgUnit } from './org-unit.entity';
import { OrgUnitResolver, UserResolver } from './org.resolver';
import { OrgService } from './org.service';
import { User } from './user.entity';

@Module({
  imports: [TypeOrmModule.forFeature([OrgUnit, User])],
  providers: [OrgService, OrgUnitResolver, UserResolver],
  exports: [OrgService],
})
export class OrgModule {}
