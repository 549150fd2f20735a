import type { ChildProcess } from 'node:child_process';

/**
 * Signals a child process and resolves once it has closed (its pipes too): a test that only signals leaves the
 * process and its pipes open past its end, and jest then has to force its worker to exit.
 */
export function endChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.kill(signal);
  return closed;
}
