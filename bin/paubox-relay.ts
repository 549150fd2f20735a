/** `npx paubox-relay <command>`: the operator's commands (see `functions/cli/run-cli.ts` and the README). */
import { runCli } from '../functions/cli';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  readStdin,
  stopSignal: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
}).then(
  // Exit even if an SDK client keeps a socket open.
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`paubox-relay: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
