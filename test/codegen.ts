import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed test operations from the committed schema, as the web app has them: a test whose query no longer matches
 * the schema fails `npm run check` (codegen, then tsc) instead of a test run. Documents written to be invalid (the
 * bad-input and limit tests) stay plain strings on purpose.
 */
const config: CodegenConfig = {
  schema: 'apps/api/schema.gql',
  documents: ['test/**/*.ts', '!test/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'test/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // Plain strings: the harness posts them as they are.
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
