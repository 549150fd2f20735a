/** Builds the Lambda bundles exactly as the construct deploys them, and the bench's own probe files. */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { esbuildOptionsFor, LAMBDA_ENTRIES, lambdaBundling, PROJECT_ROOT, type LambdaName } from '../lib/bundling';

/** Node.js major version of the runtime the construct deploys (nodejs22.x). */
export const RUNTIME_NODE_MAJOR = 22;

export interface BundleInput {
  /** Path relative to the project root. */
  readonly path: string;
  readonly bytes: number;
}

export interface Bundle {
  readonly file: string;
  readonly bytes: number;
  /** The inputs that contribute most to the output, largest first. */
  readonly largestInputs: readonly BundleInput[];
  /** Bytes in the output by package (`zod`, `@slack/webhook`, …; the project's own files under `(project)`). */
  readonly byPackage: Readonly<Record<string, number>>;
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match ? match[1]! : '(project)';
}

function describe(file: string, metafile: Metafile): Bundle {
  const output = Object.values(metafile.outputs)[0];
  if (!output) throw new Error(`esbuild wrote no output for ${file}`);
  const inputs = Object.entries(output.inputs).map(([input, { bytesInOutput }]) => ({
    path: input,
    bytes: bytesInOutput,
  }));
  const byPackage: Record<string, number> = {};
  for (const input of inputs) byPackage[packageOf(input.path)] = (byPackage[packageOf(input.path)] ?? 0) + input.bytes;
  return {
    file,
    bytes: statSync(file).size,
    largestInputs: inputs.sort((a, b) => b.bytes - a.bytes).slice(0, 5),
    byPackage,
  };
}

/** Bundles `entry` with the relay's bundling options into `<outDir>/<name>/index.js`. */
export async function bundleLikeTheConstruct(name: string, entry: string, outDir: string): Promise<Bundle> {
  const file = path.join(outDir, name, 'index.js');
  const result = await build({ ...esbuildOptionsFor(entry, lambdaBundling(RUNTIME_NODE_MAJOR), file), metafile: true });
  return describe(file, result.metafile);
}

export async function bundleRelayFunctions(outDir: string): Promise<Record<LambdaName, Bundle>> {
  const names = Object.keys(LAMBDA_ENTRIES) as LambdaName[];
  const bundles = await Promise.all(names.map((name) => bundleLikeTheConstruct(name, LAMBDA_ENTRIES[name], outDir)));
  return Object.fromEntries(names.map((name, i) => [name, bundles[i]!])) as Record<LambdaName, Bundle>;
}

/** The bare handlers: the floor each relay function is compared with, bundled the same way. */
export async function bundleBareHandlers(outDir: string): Promise<{ ingest: Bundle; notifier: Bundle }> {
  const [ingest, notifier] = await Promise.all([
    bundleLikeTheConstruct('bare-ingest', path.join(PROJECT_ROOT, 'bench', 'bare', 'ingest.ts'), outDir),
    bundleLikeTheConstruct('bare-notifier', path.join(PROJECT_ROOT, 'bench', 'bare', 'notifier.ts'), outDir),
  ]);
  return { ingest, notifier };
}

/** Plain-Node builds of the probe (runner, AWS stub, local relay), so no TypeScript loader sits in a measurement. */
export async function buildProbes(outDir: string): Promise<{ runner: string; stub: string; relay: string }> {
  const files = {
    runner: path.join(outDir, 'probe', 'runner.js'),
    stub: path.join(outDir, 'probe', 'aws-stub.js'),
    relay: path.join(outDir, 'probe', 'relay.js'),
  };
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    absWorkingDir: PROJECT_ROOT,
    logLevel: 'error',
  } as const;
  await Promise.all([
    build({ ...common, entryPoints: [path.join(PROJECT_ROOT, 'bench', 'probe', 'runner.ts')], outfile: files.runner }),
    build({ ...common, entryPoints: [path.join(PROJECT_ROOT, 'bench', 'probe', 'aws-stub.ts')], outfile: files.stub }),
    build({ ...common, entryPoints: [path.join(PROJECT_ROOT, 'bench', 'probe', 'relay.ts')], outfile: files.relay }),
  ]);
  return files;
}
