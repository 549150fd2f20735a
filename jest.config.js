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
  // A worker that has run the construct tests ends holding a heap of a gigabyte or more, most of it garbage; at the
  // end of the run it exits by itself with no handle open, but tearing down that heap on a loaded machine takes longer
  // than the 500 ms jest waits before it kills the worker and reports it as leaking. A worker past this size after a
  // test file is replaced (killed at once, no report), so the ones left at the end are small and exit in time.
  workerIdleMemoryLimit: '512MB',
};
