/** `npm run set-destination -- <destination> [--stack <name>] < url.txt`: checks a webhook URL and stores it in the destination's secret. */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DestinationUrlError } from '../functions/commons/errors';
import { DEFAULT_STACK_NAME } from '../functions/ops/redrive';
import { setDestinationUrl } from '../functions/ops/set-destination';

const USAGE = `usage: npm run set-destination -- <destination> [--stack <stack name, default ${DEFAULT_STACK_NAME}>]
Reads the Slack or Teams Workflows webhook URL from standard input (so it stays out of shell history and
process lists), checks it as the notifier will, and stores it in the destination's secret.
Uses the standard AWS credential chain and region (AWS_PROFILE, AWS_REGION).`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function main(argv: string[]): Promise<number> {
  const stackIndex = argv.indexOf('--stack');
  const stack = stackIndex >= 0 ? argv[stackIndex + 1] : DEFAULT_STACK_NAME;
  const destination = argv.find((a, i) => !a.startsWith('-') && i !== stackIndex + 1);
  if (argv.includes('--help') || !destination || !stack) {
    process.stdout.write(`${USAGE}\n`);
    return argv.includes('--help') ? 0 : 2;
  }
  if (process.stdin.isTTY) process.stderr.write('paste the webhook URL, then press Enter and Ctrl-D\n');
  const url = await readStdin();
  try {
    const { kind, secretName } = await setDestinationUrl(destination, url, stack, {
      cloudFormation: new CloudFormationClient({}),
      secretsManager: new SecretsManagerClient({}),
    });
    process.stdout.write(`stored a ${kind} webhook URL in ${secretName}; the notifier reads it within 5 minutes\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof DestinationUrlError)) throw error;
    process.stderr.write(`not stored: the URL ${error.message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`set-destination failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
