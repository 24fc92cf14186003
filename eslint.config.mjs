import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/', '.local-data/', 'test/generated/', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // PRIV rules: only kernel/rendered.ts (renderFor, the audience check) makes a Rendered payload;
    // a cast to it elsewhere would let a raw domain object reach a channel.
    files: ['**/*.ts'],
    ignores: ['lambdas/domain/kernel/rendered.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "TSAsExpression > TSTypeReference[typeName.name='Rendered']",
          message: 'A Rendered payload comes from renderFor (lambdas/domain/kernel/rendered.ts), never from a cast.',
        },
        {
          selector: "TSTypeAssertion > TSTypeReference[typeName.name='Rendered']",
          message: 'A Rendered payload comes from renderFor (lambdas/domain/kernel/rendered.ts), never from a cast.',
        },
      ],
    },
  },
  {
    // The domain stays pure: no AWS SDK, no infrastructure.
    files: ['lambdas/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@aws-sdk/*', 'aws-cdk-lib*', '**/lib/**', '**/data/**', '**/adapters/**'] },
      ],
    },
  },
  {
    // Repositories know the table, not HTTP; from adapters only the configuration reader.
    files: ['lambdas/data/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/http/**', '**/adapters/**', '!**/adapters/config'], message: 'data imports no http or adapters' },
          ],
        },
      ],
    },
  },
  {
    // Handlers reach storage and AWS through the ports (appDeps), never directly; the route
    // table may name the data module's write patterns as types.
    files: ['lambdas/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*'], message: 'http reaches AWS through the ports' },
            { group: ['**/data/**'], allowTypeImports: true, message: 'http reaches the table through the ports (appDeps)' },
          ],
        },
      ],
    },
  },
  {
    // Adapters and schemas sit below the handlers.
    files: ['lambdas/adapters/**/*.ts', 'lambdas/schemas/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/http/**', 'aws-cdk-lib*'] }] },
  },
  {
    files: ['lambdas/schemas/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['@aws-sdk/*', '**/http/**', '**/data/**', '**/adapters/**'] }] },
  },
);
