export * from './assignment.entity';
export * from './assignment.service';
export * from './milestone.entity';
export * from './task.entity';
export * from './task.module';
export * from './task.service';
