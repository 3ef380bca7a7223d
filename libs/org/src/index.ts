export * from './org-unit.entity';
export * from './org.module';
export * from './org.service';
export * from './user.entity';
export * from './portfolio.service';
export * from './unit-merge.hooks';
