import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { recipientFingerprint } from '../alerts';
import { readSecretString } from '../aws';
import { parseAddressList } from '../paubox';
import { readStackOutputs, requireOutput } from '../aws';
import { localSettings } from '../local';
import { AWS_NOTE, STACK_OPTION, stackOf, type Command } from './command';
import { UsageError } from './errors';
import { adviceList } from './suppressions';
import { localDataDir } from './sending-stores';

/**
 * `fingerprint <address>`: the fingerprint alerts show for an address, and whether the relay advised to stop sending
 * to it. The address is used here only, to compute the fingerprint: it is never stored, logged or sent anywhere.
 */
export const fingerprintCommand: Command = {
  name: 'fingerprint',
  summary: 'show the r-… fingerprint of an address, and whether the relay advised to stop sending to it',
  usage: '<address> [--local [--config <path>]] [--stack <name>]',
  details:
    "  --local    with the local relay's key (RELAY_FINGERPRINT_KEY) and advice\n" +
    "Deployed, the key is read from the stack's fingerprint secret. The address is not kept anywhere.\n" +
    AWS_NOTE,
  options: { ...STACK_OPTION, local: { type: 'boolean' }, config: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(positionals, values, io) {
    // Read as the relay reads a recipient (display names, comments, a trailing dot), so the fingerprints match.
    const parsed = parseAddressList(positionals[0]!);
    if (parsed?.length !== 1) throw new UsageError('expected one e-mail address, such as name@example.org');
    const { address } = parsed[0]!;
    let key: string;
    if (values.local) {
      key = localSettings({ ...io.env, RELAY_DATA_DIR: localDataDir(values, io) }, io.cwd).fingerprintKey;
    } else {
      const stackName = stackOf(values);
      const outputs = await readStackOutputs(new CloudFormationClient({}), stackName);
      key = await readSecretString(
        new SecretsManagerClient({}),
        requireOutput(outputs, 'FingerprintSecretName', stackName),
      );
    }
    const fingerprint = recipientFingerprint(address, key);
    const advice = (await adviceList(values, io)).find((a) => a.fingerprint === fingerprint);
    if (!advice) {
      io.out(`${fingerprint}: not on the list of recipients to stop sending to\n`);
      return 0;
    }
    io.out(
      `${fingerprint}: advised since ${advice.advisedAt}: ${advice.count} hard bounces (last ${advice.lastAt}). ` +
        'Stop sending to this address and update it on file.\n',
    );
    return 0;
  },
};
