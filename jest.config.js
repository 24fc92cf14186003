/** Four tiers, each its own jest project and npm script; `npm test` runs them all. */
const base = {
  preset: undefined,
  testEnvironment: 'node',
  transform: {
    '/node_modules/email-reply-parser/.+\\.js$': '<rootDir>/test/helpers/esm-to-cjs.js',
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true, module: 'commonjs' } }],
  },
  // middy 7 ships ESM only; let ts-jest turn it into CommonJS like our own code.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|ulid|email-reply-parser)/)'],
  moduleNameMapper: {
    '^@middy/(core|util)$': '<rootDir>/node_modules/@middy/$1/index.js',
  },
  setupFiles: ['<rootDir>/test/helpers/env.ts'],
};

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/helpers/long-timeout.ts'],
      testEnvironment: '<rootDir>/test/helpers/environment.ts',
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/helpers/long-timeout.ts'],
      testEnvironment: '<rootDir>/test/helpers/environment.ts',
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
    },
  ],
};
