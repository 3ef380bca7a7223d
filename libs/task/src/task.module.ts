import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgModule } from '@zhezi/org';
import { PlanModule } from '@zhezi/plan';
import { Assignment } from './assignment.entity';
import { AssignmentService } from './assignment.service';
import { Milestone } from './milestone.entity';
import { Task } from './task.entity';
import { AssignmentResolver, TaskResolver } from './task.resolver';
import { TaskService } from './task.service';

@Module({
  imports: [TypeOrmModule.forFeature([Task, Milestone, Assignment]), OrgModule, PlanModule],
  providers: [TaskService, AssignmentService, TaskResolver, AssignmentResolver],
  exports: [TaskService, AssignmentService],
})
export class TaskModule {}
