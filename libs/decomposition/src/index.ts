export * from './decomposition.module';
export * from './decomposition.service';
export * from './draft-task.entity';
export * from './suggestion.service';
export * from './task-list-import.service';
export * from './task-list.xlsx';
export * from './unit-keyword.entity';
export * from './unit-suggester';
