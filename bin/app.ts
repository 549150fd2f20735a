import { App } from 'aws-cdk-lib';
import { loadStackConfig, PauboxAlertRelayStack } from '../lib';

// No env: the stack is environment-agnostic, so synth needs no AWS credentials or lookups.
const app = new App();
const config = loadStackConfig(app);
new PauboxAlertRelayStack(app, 'PauboxAlertRelay', {
  config,
  description: 'Relays Paubox email webhooks to Slack and Microsoft Teams without leaking PHI',
});
app.synth();
