import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Each feature layer may depend on core, on itself and on the layers listed before it. */
const layers = (names) =>
  names.map((name, i) => ({
    sourceTag: name,
    onlyDependOnLibsWithTags: ['type:core', ...names.slice(0, i + 1)],
  }));

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      '.data',
      '.nx',
      'coverage',
      '**/*.js',
      '**/*.mjs',
      'apps/web/src/gql',
      'test/gql',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core'] },
            { sourceTag: 'type:migrations', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:core'] },
            { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:feature', 'type:core'] },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:feature', 'type:core', 'type:data'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:app',
                'type:feature',
                'type:core',
                'type:data',
                'type:migrations',
              ],
            },
            { sourceTag: 'scope:worker', notDependOnLibsWithTags: ['scope:api'] },
            // Feature layers, lowest first: a library may use its own layer and those below, never one above
            // (a board may read tasks; the task module may not reach into boards).
            ...layers(['layer:base', 'layer:workflow', 'layer:task', 'layer:process', 'layer:view']),
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Nest's decorators and TypeORM's lazy types are resolved at run time: these rules misfire on them.
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  prettier,
);
