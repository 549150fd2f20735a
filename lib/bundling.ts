import * as path from 'node:path';
import type { App } from 'aws-cdk-lib';
import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/**
 * How the relay's Lambda functions are bundled, in one place: the construct deploys with these options and
 * `npm run bench` builds with the very same ones, so the sizes and start-up times it reports are those of what
 * deploys.
 */

/** The project root: NodejsFunction runs esbuild from here (the folder of the lock file). */
export const PROJECT_ROOT = path.join(__dirname, '..');

/** The handler file of each Lambda function the construct deploys. */
export const LAMBDA_ENTRIES = {
  ingest: path.join(PROJECT_ROOT, 'functions', 'handlers', 'consume-webhooks.ts'),
  notifier: path.join(PROJECT_ROOT, 'functions', 'handlers', 'notify-destination.ts'),
  rotateToken: path.join(PROJECT_ROOT, 'functions', 'handlers', 'rotate-token.ts'),
  health: path.join(PROJECT_ROOT, 'functions', 'handlers', 'health-notices.ts'),
  probe: path.join(PROJECT_ROOT, 'functions', 'handlers', 'probe-destinations.ts'),
  selfTest: path.join(PROJECT_ROOT, 'functions', 'handlers', 'self-test.ts'),
} as const;

export type LambdaName = keyof typeof LAMBDA_ENTRIES;

/** The deliverability record's functions, deployed when the configuration asks for them. */
export const RECORD_LAMBDA_ENTRIES = {
  archiveTransform: path.join(PROJECT_ROOT, 'functions', 'handlers', 'archive-transform.ts'),
  publishEvents: path.join(PROJECT_ROOT, 'functions', 'handlers', 'publish-events.ts'),
  sendReport: path.join(PROJECT_ROOT, 'functions', 'handlers', 'send-report.ts'),
} as const;

export type RecordLambdaName = keyof typeof RECORD_LAMBDA_ENTRIES;

/** Slack's interactivity route, deployed when a destination posts as a Slack app (has a `channel`). */
export const APP_LAMBDA_ENTRIES = {
  interactivity: path.join(PROJECT_ROOT, 'functions', 'handlers', 'slack-interactivity.ts'),
} as const;

export type AppLambdaName = keyof typeof APP_LAMBDA_ENTRIES;

/**
 * The NodejsFunction bundling of every relay function, for a Node.js runtime of the given major version. A handler
 * imports other concerns through their `index.ts`; `sideEffects` in package.json lets esbuild leave out whatever such
 * a face re-exports that the handler does not use, so a face costs a bundle nothing.
 */
export function lambdaBundling(nodeMajor: number): BundlingOptions {
  return {
    minify: true,
    sourceMap: false,
    target: `node${nodeMajor}`,
    // The Node.js 22+ runtimes ship AWS SDK v3; bundling it would only slow cold starts.
    externalModules: ['@aws-sdk/*'],
    format: OutputFormat.CJS,
    // esbuild is a local devDependency: bundle without Docker, which is not available everywhere.
    forceDockerBundling: false,
  };
}

/**
 * Context key: esbuild's log level while the construct bundles (`silent` in the tests, whose log should show
 * failures). It changes what esbuild prints, never the bundle.
 */
export const BUNDLING_LOG_LEVEL_CONTEXT = 'paubox-relay:bundlingLogLevel';

/**
 * Whether `cdk synth` and `cdk deploy` show each function's bundling (CDK's `Bundling asset …` line, esbuild's
 * sizes and times): only when asked, with `DEBUG` set or `cdk --debug` (which sets `CDK_DEBUG` for the app).
 */
export const showsBundling = (env: NodeJS.ProcessEnv = process.env): boolean =>
  Boolean(env.DEBUG) || env.CDK_DEBUG === 'true';

/**
 * Keeps bundling progress off the terminal of `cdk synth` and `cdk deploy`: esbuild reports only warnings and
 * errors, and CDK's own `Bundling asset <path>...` lines are left out of the app's standard error.
 */
export function quietBundling(app: App): void {
  if (app.node.tryGetContext(BUNDLING_LOG_LEVEL_CONTEXT) === undefined) {
    app.node.setContext(BUNDLING_LOG_LEVEL_CONTEXT, LogLevel.WARNING);
  }
  const write = process.stderr.write.bind(process.stderr) as (chunk: unknown, ...rest: unknown[]) => boolean;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) =>
    typeof chunk === 'string' && /^Bundling asset \S+\.\.\.\n$/.test(chunk)
      ? true
      : write(chunk, ...rest)) as typeof process.stderr.write;
}

/** The bundling of `lambdaBundling`, with the log level the context asks for, if any. */
export function bundlingFor(nodeMajor: number, logLevel: LogLevel | undefined): BundlingOptions {
  return { ...lambdaBundling(nodeMajor), ...(logLevel ? { logLevel } : {}) };
}

/** Options that change nothing in esbuild's output. */
const NOT_ESBUILD_OPTIONS = new Set<keyof BundlingOptions>(['forceDockerBundling', 'logLevel']);

/**
 * The esbuild build options NodejsFunction derives from `bundling` (its `--bundle … --platform=node` command line),
 * for esbuild's JavaScript API. An option this does not know how to translate is refused rather than skipped, so
 * the bench can never measure something other than what deploys.
 */
export function esbuildOptionsFor(entry: string, bundling: BundlingOptions, outfile: string): BuildOptions {
  const known = new Set<keyof BundlingOptions>([
    'minify',
    'sourceMap',
    'target',
    'externalModules',
    'format',
    'define',
    'keepNames',
    'banner',
    'footer',
    'mainFields',
    'loader',
  ]);
  for (const key of Object.keys(bundling) as (keyof BundlingOptions)[]) {
    if (bundling[key] !== undefined && !known.has(key) && !NOT_ESBUILD_OPTIONS.has(key)) {
      throw new Error(
        `bundling option "${key}" has no esbuild equivalent in lib/bundling.ts; add it to esbuildOptionsFor`,
      );
    }
  }
  if (bundling.target === undefined || bundling.format === undefined || bundling.externalModules === undefined) {
    throw new Error('lambdaBundling must set target, format and externalModules explicitly');
  }
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: bundling.target,
    format: bundling.format === OutputFormat.ESM ? 'esm' : 'cjs',
    outfile,
    minify: bundling.minify ?? false,
    sourcemap: bundling.sourceMap ?? false,
    external: [...bundling.externalModules],
    absWorkingDir: PROJECT_ROOT,
    logLevel: 'silent',
    ...(bundling.define ? { define: { ...bundling.define } } : {}),
    ...(bundling.keepNames ? { keepNames: true } : {}),
    ...(bundling.banner ? { banner: { js: bundling.banner } } : {}),
    ...(bundling.footer ? { footer: { js: bundling.footer } } : {}),
    ...(bundling.mainFields ? { mainFields: [...bundling.mainFields] } : {}),
    ...(bundling.loader ? { loader: { ...bundling.loader } as BuildOptions['loader'] } : {}),
  };
}
