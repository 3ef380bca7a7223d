import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Indicator } from './indicator.entity';
import { PlanIngestService } from './ingest/plan-ingest.service';
import { Plan } from './plan.entity';
import { PlanResolver, TargetResolver } from './plan.resolver';
import { PlanService } from './plan.service';
import { Target } from './target.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Plan, Target, Indicator])],
  providers: [PlanService, PlanIngestService, PlanResolver, TargetResolver],
  exports: [PlanService, PlanIngestService],
})
export class PlanModule {}
