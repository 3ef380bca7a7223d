export * from './city';
export * from './demo';
export * from './district';
export * from './outline';
export * from './plan-file';
export * from './seed';
