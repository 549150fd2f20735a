/** The paubox-relay command line: the face of cli/ for bin/. */
export type { CliIo } from './command';
export { runCli } from './run-cli';
