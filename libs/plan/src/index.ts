export * from './indicator.entity';
export * from './plan.entity';
export * from './plan.module';
export * from './plan.service';
export * from './target.entity';
