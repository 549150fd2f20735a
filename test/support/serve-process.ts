import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The local relay as a user runs it (`node bin/paubox-relay.js serve`), in a process of its own, so that tests can
 * stop it with SIGINT or kill it with SIGKILL and start it again on the same data dir.
 */

const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'paubox-relay.js');

export interface Serving {
  readonly child: ChildProcessWithoutNullStreams;
  readonly webhookUrl: string;
  output(): string;
  errors(): string;
  readonly exited: Promise<number | null>;
}

export interface ServeOptions {
  /** Where the config is written (`relay.config.json`) and the process runs. */
  readonly dir: string;
  readonly config: unknown;
  /** @default `<dir>/data` */
  readonly dataDir?: string;
  readonly token?: string;
}

/** A process that prints what it writes to stdout and stderr, and its exit code once it exits. */
export function captured(child: ChildProcessWithoutNullStreams) {
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { output: () => out, errors: () => err, exited };
}

/** Starts `serve` on port 0 and resolves once it prints its webhook URL; rejects if it exits first. */
export async function serve(options: ServeOptions): Promise<Serving> {
  const child = startServe(options);
  const io = captured(child);
  let exitCode: number | null | undefined;
  void io.exited.then((code) => {
    exitCode = code;
  });
  const webhookUrl = await waitFor(() => {
    if (exitCode !== undefined) throw new Error(`serve exited with ${exitCode}: ${io.errors()}`);
    return /Webhook URL: (\S+)/.exec(io.output())?.[1];
  }, 30_000);
  return { child, webhookUrl, ...io };
}

/** Starts `serve` without waiting for it: for a start that is expected to fail. */
export function startServe(options: ServeOptions): ChildProcessWithoutNullStreams {
  const configPath = join(options.dir, 'relay.config.json');
  writeFileSync(configPath, JSON.stringify(options.config));
  return spawn(process.execPath, [BIN, 'serve', '--port', '0', '--config', configPath], {
    cwd: options.dir,
    env: {
      ...process.env,
      RELAY_TOKEN: options.token ?? 'durability-token',
      RELAY_DATA_DIR: options.dataDir ?? join(options.dir, 'data'),
    },
    stdio: 'pipe',
  });
}

/** Runs one CLI command to its end. */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: 'pipe' });
  const io = captured(child);
  const code = await io.exited;
  return { code, stdout: io.output(), stderr: io.errors() };
}

/** Polls `probe` every 50 ms until it gives a value (not undefined or false). */
export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
