export * from './city';
export * from './demo';
export * from './district';
export * from './plan-file';
export * from './seed';
export * from './unit-keywords';
