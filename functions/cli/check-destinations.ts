import { resolve } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readSecretString, deployedDestination, readStackOutputs } from '../aws';
import { checkDestinationUrl, kindLabel } from '../chat';
import type { DestinationKind } from '../config';
import { probeAppDestination, probeDestination, probeLine, probeLocalDestination, type ProbeResult } from '../health';
import { localSettings } from '../local';
import { AWS_NOTE, FAILED, STACK_OPTION, stackOf, type CliIo, type Command, type OptionValues } from './command';

export interface CheckedDestination {
  readonly name: string;
  readonly kind: string;
  readonly result: ProbeResult;
}

/** Probes every destination of the local configuration (`--local`). */
export async function checkLocalDestinations(io: CliIo, configPath?: string): Promise<CheckedDestination[]> {
  const env = configPath === undefined ? io.env : { ...io.env, RELAY_CONFIG: resolve(io.cwd, configPath) };
  const { config } = localSettings(env, io.cwd);
  return Promise.all(
    config.destinations.map(async (d) => {
      // Without a kind, a URL-less destination is Slack or Teams once its URL is known: it is not probed anyway.
      return {
        name: d.name,
        kind: d.channel !== undefined ? 'slack app' : kindLabel(d.kind),
        result: await probeLocalDestination(d, env),
      };
    }),
  );
}

export interface CheckDestinationsClients {
  readonly cloudFormation: CloudFormationClient;
  readonly secrets: SecretsManagerClient;
}

/** Reads each deployed destination's secret and probes the URL in it; a URL that cannot be read is broken. */
export async function checkDeployedDestinations(
  stackName: string,
  clients: CheckDestinationsClients,
): Promise<CheckedDestination[]> {
  const outputs = await readStackOutputs(clients.cloudFormation, stackName);
  const ids = [...outputs.keys()].filter((k) => k.endsWith('DestinationName'));
  const names = ids.map((k) => outputs.get(k)!).filter((name) => /^[a-z][a-z0-9-]*$/.test(name));
  return Promise.all(
    names.map(async (name): Promise<CheckedDestination> => {
      const deployed = deployedDestination(outputs, name, stackName);
      const { channel } = deployed;
      if (channel !== undefined) {
        // A Slack app: auth.test and conversations.info with the bot token of its secret; nothing is posted.
        const secret = await readSecretString(clients.secrets, deployed.secretName).catch(() => '');
        return { name, kind: 'slack app', result: await probeAppDestination({ name, channel }, { secret }) };
      }
      let url: string;
      let kind: DestinationKind;
      try {
        url = await readSecretString(clients.secrets, deployed.secretName);
        kind = checkDestinationUrl(url, { allowLoopbackHttp: false });
      } catch {
        // The message could name the URL's path: report a code only.
        return { name, kind: deployed.kind, result: { status: 'broken', reason: 'no_valid_url_in_secret' } };
      }
      return { name, kind, result: await probeDestination(kind, url) };
    }),
  );
}

/** `check-destinations`: probes every destination without posting anything a channel shows. */
export const checkDestinationsCommand: Command = {
  name: 'check-destinations',
  summary: 'check every destination silently: a revoked or archived Slack webhook shows as BROKEN',
  usage: '[--local [--config <path>]] [--stack <name>]',
  details:
    '  --local    check the destinations of the local configuration (as `serve` reads it)\n' +
    'Slack webhooks are sent `{}`, which Slack refuses without posting (400 no_text) when the webhook works.\n' +
    'A Slack app (a destination with a "channel") is checked with auth.test and conversations.info.\n' +
    'Teams Workflows cannot be checked without posting; set "health": { "heartbeat": true } for a visible check.\n' +
    `Exits 1 when any destination is broken.\n${AWS_NOTE}`,
  options: { ...STACK_OPTION, local: { type: 'boolean' }, config: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run(_positionals, values: OptionValues, io) {
    const checked = values.local
      ? await checkLocalDestinations(io, typeof values.config === 'string' ? values.config : undefined)
      : await checkDeployedDestinations(stackOf(values), {
          cloudFormation: new CloudFormationClient({}),
          secrets: new SecretsManagerClient({}),
        });
    for (const { name, kind, result } of checked) io.out(`${probeLine(name, kind, result)}\n`);
    return checked.some((c) => c.result.status === 'broken') ? FAILED : 0;
  },
};
