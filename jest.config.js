/** Four tiers, each its own jest project and npm script; `npm test` runs them all. */
const base = {
  preset: undefined,
  testEnvironment: 'node',
  transform: {
    '/node_modules/email-reply-parser/.+\\.js$': '<rootDir>/test/helpers/esm-to-cjs.js',
    // swc strips types and writes CommonJS, file by file and without type-checking
    // (`npm run typecheck` is the type check): on a cold cache a third less CPU than ts-jest.
    '^.+\\.[tj]s$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2023', keepClassNames: true }, module: { type: 'commonjs' } },
    ],
  },
  // middy 7 ships ESM only; let swc turn it into CommonJS like our own code.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|ulid|email-reply-parser)/)'],
  moduleNameMapper: {
    '^@middy/(core|util)$': '<rootDir>/node_modules/@middy/$1/index.js',
  },
  setupFiles: ['<rootDir>/test/helpers/env.ts'],
  // Where tests are found; what they import is resolved from the files themselves. Without it
  // each project's file map crawled node_modules too: 38 s of CPU before the first test on a
  // cold cache, as on a clean clone.
  roots: ['<rootDir>/test'],
};

module.exports = {
  // jest calls a worker leaked when it has not exited 0.5 s after the run's end. Probed at that
  // moment, the workers hold nothing open (their stdio pipes only), yet the one that ran the infra
  // tier's synths, with a heap of gigabytes, needs 0.4-0.9 s to get through its exit, and a worker's
  // kept function containers stop only when jest asks the worker to end (test/helpers/environment.ts).
  // A real leak still shows after 5 s.
  workerGracefulExitTimeout: 5000,
  testSequencer: '<rootDir>/test/helpers/sequencer.js',
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
