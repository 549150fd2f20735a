/** `npm run redrive -- <destination> [--stack <name>]`: moves a destination's dead letters back to its queue. */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_STACK_NAME, redriveDestination } from '../functions/ops/redrive';

const USAGE = `usage: npm run redrive -- <destination> [--stack <stack name, default ${DEFAULT_STACK_NAME}>]
Moves the dead letters of a deployed destination back to its queue (fix the channel or its secret first).
Uses the standard AWS credential chain and region (AWS_PROFILE, AWS_REGION).`;

async function main(argv: string[]): Promise<number> {
  const stackIndex = argv.indexOf('--stack');
  const stack = stackIndex >= 0 ? argv[stackIndex + 1] : DEFAULT_STACK_NAME;
  const destination = argv.find((a, i) => !a.startsWith('-') && i !== stackIndex + 1);
  if (argv.includes('--help') || !destination || !stack) {
    process.stdout.write(`${USAGE}\n`);
    return argv.includes('--help') ? 0 : 2;
  }
  const result = await redriveDestination(destination, stack, { cloudFormation: new CloudFormationClient({}), sqs: new SQSClient({}) });
  process.stdout.write(
    result.messages === 0
      ? `no dead letters for ${destination}\n`
      : `moving about ${result.messages} dead letter(s) of ${destination} back to its queue (task ${result.taskHandle ?? 'started'})\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`redrive failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
