import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  apiBaseUrlProblem,
  DEFAULT_LOCAL_CONFIG,
  DestinationCredentialsError,
  loadRelayConfigFile,
  type RelayConfig,
} from '../config';
import { checkDestinationUrl, slackAppCredentials } from '../chat';
import { parseSigningSecret } from '../paubox';

/** The fixed token of the local relay when RELAY_TOKEN is not set. Local use only; deployed stacks generate theirs. */
export const DEFAULT_LOCAL_TOKEN = 'local-development-token';
export const DEFAULT_PORT = 3000;

export interface LocalSettings {
  readonly port: number;
  readonly host: string;
  readonly token: string;
  /** Set when the configuration's `ingest.verifySignatures` is on. */
  readonly signingSecret?: string;
  readonly fingerprintKey: string;
  /** Local data folder: dead letters are kept there. */
  readonly dataDir: string;
  readonly config: RelayConfig;
  /** Where the config came from, for the start-up banner. */
  readonly configSource: string;
  /** Paubox's Email API, when PAUBOX_API_KEY is set (and the configuration does not set `paubox.enrich: false`). */
  readonly paubox?: { readonly apiBaseUrl: string; readonly apiKey: string };
  /** Where destinations in Slack app mode read their credentials: the environment read. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** PAUBOX_API_KEY and PAUBOX_API_BASE_URL (else the configuration's `paubox.apiBaseUrl`), checked. */
function pauboxApi(env: NodeJS.ProcessEnv, config: RelayConfig): LocalSettings['paubox'] {
  const apiKey = env.PAUBOX_API_KEY || undefined;
  if (apiKey === undefined || config.paubox?.enrich === false) return undefined;
  const apiBaseUrl = env.PAUBOX_API_BASE_URL || config.paubox?.apiBaseUrl;
  if (apiBaseUrl === undefined) {
    throw new Error(
      'PAUBOX_API_KEY is set but no API base URL: set PAUBOX_API_BASE_URL (such as ' +
        'https://api.paubox.net/v1/<your API username>) or paubox.apiBaseUrl in the configuration',
    );
  }
  const problem = apiBaseUrlProblem(apiBaseUrl, true);
  if (problem) throw new Error(`PAUBOX_API_BASE_URL ${problem}`);
  return { apiBaseUrl, apiKey };
}

/** SLACK_API_BASE_URL, when set: https, or http on a loopback address (a fake Web API in tests). */
function slackApiBaseUrlCheck(env: NodeJS.ProcessEnv): void {
  const given = env.SLACK_API_BASE_URL;
  if (!given) return;
  let url: URL | undefined;
  try {
    url = new URL(given);
  } catch {
    url = undefined;
  }
  const loopback = url !== undefined && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url?.protocol === 'https:' || (url?.protocol === 'http:' && loopback)) return;
  throw new Error(
    'SLACK_API_BASE_URL must be an https URL such as https://slack.com/api/ (http only on 127.0.0.1 or localhost)',
  );
}

/**
 * Reads the local relay's settings from the environment: PORT, HOST, RELAY_CONFIG (else ./relay.config.json
 * when present, else the built-in console-only config), RELAY_TOKEN, RELAY_SIGNING_SECRET, RELAY_FINGERPRINT_KEY,
 * RELAY_DATA_DIR, PAUBOX_API_KEY and PAUBOX_API_BASE_URL, and the Slack app credentials of destinations with a
 * "channel" (RELAY_SLACK_BOT_TOKEN_<NAME> or RELAY_SLACK_BOT_TOKEN, SLACK_API_BASE_URL, and for their buttons
 * RELAY_SLACK_SIGNING_SECRET_<NAME> or RELAY_SLACK_SIGNING_SECRET).
 *
 * @throws ConfigError or Error with a message saying what to fix
 */
export function localSettings(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): LocalSettings {
  const port = Number(env.PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error('PORT must be a whole number between 0 and 65535');
  }
  const token = env.RELAY_TOKEN ?? DEFAULT_LOCAL_TOKEN;
  if (!/^[A-Za-z0-9_-]{8,256}$/.test(token)) {
    throw new Error('RELAY_TOKEN must be 8 to 256 letters, digits, "-" or "_" (it goes into the URL path)');
  }
  const defaultPath = `${cwd}/relay.config.json`;
  const configPath = env.RELAY_CONFIG || (existsSync(defaultPath) ? defaultPath : undefined);
  const config = configPath ? loadRelayConfigFile(configPath, 'local', checkDestinationUrl) : DEFAULT_LOCAL_CONFIG;
  const signingSecret = env.RELAY_SIGNING_SECRET || undefined;
  if (config.ingest?.verifySignatures && signingSecret === undefined) {
    throw new Error(
      'the configuration sets ingest.verifySignatures: set RELAY_SIGNING_SECRET to the whsec_… signing secret',
    );
  }
  if (!config.ingest?.verifySignatures && signingSecret !== undefined) {
    throw new Error(
      'RELAY_SIGNING_SECRET is set but the configuration does not set ingest.verifySignatures: set it, or unset the variable',
    );
  }
  if (signingSecret !== undefined) parseSigningSecret(signingSecret);
  const paubox = pauboxApi(env, config);
  slackApiBaseUrlCheck(env);
  for (const d of config.destinations) {
    if (d.channel === undefined) continue;
    try {
      slackAppCredentials({ name: d.name, channel: d.channel }, { env });
    } catch (error) {
      if (error instanceof DestinationCredentialsError) throw new Error(`destination "${d.name}" ${error.message}`);
      throw error;
    }
  }
  return {
    env,
    ...(paubox ? { paubox } : {}),
    port,
    host: env.HOST ?? '127.0.0.1',
    token,
    ...(signingSecret !== undefined ? { signingSecret } : {}),
    // Fingerprints only need to be stable and unguessable without the key; locally the token can seed it.
    fingerprintKey:
      env.RELAY_FINGERPRINT_KEY ?? createHmac('sha256', token).update('recipient-fingerprint').digest('hex'),
    dataDir: env.RELAY_DATA_DIR || `${cwd}/.relay-data`,
    config,
    configSource: configPath ?? 'built-in default (one console destination for both failure types)',
  };
}
