const { compilerOptions } = require('./tsconfig.base.json');

const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    // Rewrites the @zhezi/* aliases at compile time, so global setup (which ignores moduleNameMapper) resolves too.
    baseUrl: __dirname,
    paths: compilerOptions.paths,
  },
  // ignoreDynamic keeps import() native, so the global setup can load tools/services.mjs (an ES module). Test
  // files cannot use import() then (jest's VM has no ES modules without a flag); none does.
  module: { type: 'commonjs', ignoreDynamic: true },
  sourceMaps: 'inline',
};

/** One run: colocated unit specs in apps/ and libs/, integration and e2e specs in test/, on real servers. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 30000,
};
