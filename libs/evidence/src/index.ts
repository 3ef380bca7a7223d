export * from './evidence.entity';
export * from './evidence.errors';
export * from './evidence.file-type';
export * from './evidence.module';
export * from './evidence.service';
export * from './evidence.storage';
export * from './single-file.interceptor';
