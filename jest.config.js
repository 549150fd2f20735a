/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Transpile only (tsconfig's isolatedModules): `npm test` type-checks once with `tsc --noEmit` before jest runs.
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  setupFiles: ['<rootDir>/test/support/quiet-env.ts'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  // Construct tests bundle Lambdas with esbuild during synthesis; give them room on a 2-core machine.
  testTimeout: 60000,
  // Jest's default on 2 cores is one worker; much of the run waits on child processes and sockets, so use both.
  maxWorkers: 2,
};
