import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RUNTIME_NODE_MAJOR } from './bundles';
import { BENCH_REGION, type DeployedFunction } from './deployment';
import type { ProbeResult, ProbeSpec } from './probe/protocol';

/* The measured processes: each a fresh `node` started as Lambda starts one, running a probe over a bundle. */

/**
 * The memory runs give V8 the limits Lambda gives it in a function of this size: V8 sizes its young generation from
 * the memory size, so a larger function shows a larger RSS for the same work. The target is that a handler fits here.
 */
export const MEMORY_TARGET_MB = 128;

export interface Probes {
  readonly runner: string;
  readonly stub: string;
  readonly relay: string;
}

export interface ProbeRun {
  readonly wallMs: number;
  readonly result: ProbeResult;
}

export class BenchError extends Error {
  public readonly name = 'BenchError';
}

let probeCount = 0;

/** Starts `node <args>` with `env`, and resolves with its wall-clock time from spawn to exit. */
export function timedProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ wallMs: number; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ wallMs: performance.now() - t0, code, stderr }));
  });
}

export async function runProbe(
  probes: Probes,
  workDir: string,
  spec: Omit<ProbeSpec, 'result'>,
  env: NodeJS.ProcessEnv,
  v8MemoryMb: number = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? MEMORY_TARGET_MB),
): Promise<ProbeRun> {
  const nodeArgs = lambdaNodeFlags(v8MemoryMb);
  const result = path.join(workDir, `probe-${probeCount++}.json`);
  const full: ProbeSpec = { ...spec, result };
  const run = await timedProcess([...nodeArgs, '--require', probes.stub, probes.runner], {
    ...env,
    BENCH_PROBE: JSON.stringify(full),
  });
  let parsed: ProbeResult;
  try {
    parsed = JSON.parse(readFileSync(result, 'utf8')) as ProbeResult;
  } catch {
    throw new BenchError(
      `${path.basename(path.dirname(spec.bundle))} probe exited with ${String(run.code)} and no result: ${run.stderr.slice(0, 2000)}`,
    );
  }
  if (!parsed.ok)
    throw new BenchError(`${path.basename(path.dirname(spec.bundle))} probe failed: ${parsed.error ?? 'no reason'}`);
  return { wallMs: run.wallMs, result: parsed };
}

/**
 * The V8 flags the Lambda Node.js runtime's bootstrap starts `node` with for a memory size: a tenth of the memory
 * for the young generation (half of it a semi-space), the rest for the old generation, and `--expose-gc`.
 */
function lambdaNodeFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [
    '--expose-gc',
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memoryMb - newSpace}`,
  ];
}

/** What Lambda puts in every function's environment, besides the construct's variables. */
export function lambdaEnvironment(fn: DeployedFunction, name: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    AWS_REGION: BENCH_REGION,
    AWS_DEFAULT_REGION: BENCH_REGION,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'bench-session-token',
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${RUNTIME_NODE_MAJOR}.x`,
    AWS_LAMBDA_FUNCTION_NAME: `bench-${name}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    // Lambda runs Node.js 22, where the SDK has no version warning to print; on older local Node.js it would.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...fn.environment,
  };
}
