import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Indicator } from './indicator.entity';
import { Plan } from './plan.entity';
import { PlanResolver, TargetResolver } from './plan.resolver';
import { PlanService } from './plan.service';
import { Target } from './target.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Plan, Target, Indicator])],
  providers: [PlanService, PlanResolver, TargetResolver],
  exports: [PlanService],
})
export class PlanModule {}
