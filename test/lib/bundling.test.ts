import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stack, type CfnElement } from 'aws-cdk-lib';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { build } from 'esbuild';
import { parseRelayConfig } from '../../functions/config';
import { LogLevel } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BUNDLING_LOG_LEVEL_CONTEXT, esbuildOptionsFor, LAMBDA_ENTRIES, lambdaBundling } from '../../lib/bundling';
import { PauboxAlertRelay } from '../../lib';
import { projectApp } from './template-helpers';

/** `npm run bench` builds the functions with esbuildOptionsFor: it must build byte for byte what the construct deploys. */
describe('lib/bundling', () => {
  it('builds exactly the bundles the construct deploys', async () => {
    // Bundles for real ('**' is every stack) and validates, unlike the other construct tests: `cdk synth` as is.
    delete process.env.CDK_VALIDATION;
    const app = projectApp({ [BUNDLING_STACKS]: ['**'], [BUNDLING_LOG_LEVEL_CONTEXT]: LogLevel.SILENT });
    const stack = new Stack(app, 'BundlingStack');
    const config = parseRelayConfig(
      { destinations: [{ name: 'ops', kind: 'slack' }], routes: [{ events: ['permanent_failure'], to: ['ops'] }] },
      'deploy',
    );
    // CDK says "Bundling asset …" on the process's own stderr, which jest does not capture.
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let relay: PauboxAlertRelay;
    let assembly: ReturnType<typeof app.synth>;
    try {
      relay = new PauboxAlertRelay(stack, 'Relay', { config });
      assembly = app.synth();
    } finally {
      stderr.mockRestore();
    }
    const resources = assembly.getStackByName(stack.stackName).template.Resources as Record<
      string,
      { Properties: { Code: { S3Key: string } } }
    >;
    const deployed = (fn: { node: { defaultChild?: unknown } }) => {
      const key = resources[stack.getLogicalId(fn.node.defaultChild as CfnElement)]!.Properties.Code.S3Key;
      return readFileSync(path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`, 'index.js'));
    };
    const functions = {
      ingest: relay.ingestFunction,
      notifier: relay.destinations.ops!.function,
    };

    for (const [name, fn] of Object.entries(functions) as [
      keyof typeof LAMBDA_ENTRIES,
      typeof relay.ingestFunction,
    ][]) {
      const outfile = path.join(os.tmpdir(), `bundling-test-${process.pid}`, name, 'index.js');
      const result = await build({
        ...esbuildOptionsFor(LAMBDA_ENTRIES[name], lambdaBundling(22), outfile),
        write: false,
      });
      const built = Buffer.from(result.outputFiles![0]!.contents);
      expect({ name, bytes: built.length, same: built.equals(deployed(fn)) }).toEqual({
        name,
        bytes: deployed(fn).length,
        same: true,
      });
    }
  }, 180_000); // Every function of the relay is bundled for real (seven), on a machine others share.

  it('refuses a bundling option it cannot translate, rather than measure another build', () => {
    expect(() =>
      esbuildOptionsFor(LAMBDA_ENTRIES.ingest, { ...lambdaBundling(22), preCompilation: true }, '/tmp/x.js'),
    ).toThrow(/bundling option "preCompilation" has no esbuild equivalent/);
  });
});
