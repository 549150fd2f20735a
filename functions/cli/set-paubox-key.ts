import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { OpsError, readStackOutputs } from '../aws';
import { AWS_NOTE, STACK_OPTION, stackOf, type Command } from './command';
import { UsageError } from './errors';

/** The stack output naming the secret; present only when the configuration sets `paubox.enrich`. */
export const PAUBOX_KEY_OUTPUT = 'PauboxApiKeySecretName';

/** `set-paubox-key`: the Paubox Email API key into its own secret, for delivery-status lookups. */
export const setPauboxKeyCommand: Command = {
  name: 'set-paubox-key',
  summary: 'store the Paubox Email API key that failure alerts use to say why a message bounced',
  usage: '<- | key> [--stack <name>]',
  details:
    '  -       read the key from standard input (recommended: keeps it out of your shell history)\n' +
    `${AWS_NOTE}\nThe key is never printed. Needs "paubox": { "enrich": true, "apiBaseUrl": … } in the deployed ` +
    'configuration. Running notifiers read the new key within 5 minutes.',
  options: STACK_OPTION,
  positionals: { min: 1, max: 1 },
  async run([given], values, io) {
    const key = (given === '-' ? await io.readStdin() : given!).trim();
    if (key === '') throw new UsageError('no key given');
    if (/\s/.test(key)) throw new UsageError('the key holds white space; paste the API key alone');
    const stackName = stackOf(values);
    const outputs = await readStackOutputs(new CloudFormationClient({}), stackName);
    const secretName = outputs.get(PAUBOX_KEY_OUTPUT);
    if (secretName === undefined) {
      throw new OpsError(
        `stack ${stackName} has no ${PAUBOX_KEY_OUTPUT} output: set "paubox": { "enrich": true, "apiBaseUrl": ` +
          '"https://api.paubox.net/v1/<your API username>" } in relay.config.json, deploy, then run this again',
      );
    }
    await new SecretsManagerClient({}).send(new PutSecretValueCommand({ SecretId: secretName, SecretString: key }));
    io.out(
      `Stored the Paubox API key in secret ${secretName}.\nNotifiers use it within 5 minutes; a lookup that fails ` +
        'is counted in the EnrichmentFailed metric and the alert goes without the status.\n',
    );
    return 0;
  },
};
