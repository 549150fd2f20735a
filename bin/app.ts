import { App } from 'aws-cdk-lib';
import { loadStackConfig, PauboxAlertRelayStack, StackConfigError } from '../lib';
import { quietBundling, showsBundling } from '../lib/bundling';

// No env: the stack is environment-agnostic, so synth needs no AWS credentials or lookups.
const app = new App();
if (!showsBundling()) quietBundling(app);
let config: ReturnType<typeof loadStackConfig>;
try {
  config = loadStackConfig(app);
} catch (error) {
  // A configuration mistake is the user's to fix: its problems, once, without a stack trace.
  if (!(error instanceof StackConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
new PauboxAlertRelayStack(app, 'PauboxAlertRelay', {
  config,
  description: 'Relays Paubox email webhooks to Slack and Microsoft Teams without leaking PHI',
});
app.synth();
