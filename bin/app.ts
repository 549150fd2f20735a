import { App } from 'aws-cdk-lib';
import { PauboxAlertRelayStack } from '../lib/paubox-alert-relay-stack';
import { loadStackConfig } from '../lib/stack-config';

// No env: the stack is environment-agnostic, so synth needs no AWS credentials or lookups.
const app = new App();
const config = loadStackConfig(app);
new PauboxAlertRelayStack(app, 'PauboxAlertRelay', {
  config,
  description: 'Relays Paubox email webhooks to Slack and Microsoft Teams without leaking PHI',
});
app.synth();
