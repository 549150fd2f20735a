import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { DEFAULT_LOCAL_CONFIG, loadRelayConfigFile, type RelayConfig, apiBaseUrlProblem } from '../config';
import { checkDestinationUrl } from '../chat';
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

/**
 * Reads the local relay's settings from the environment: PORT, HOST, RELAY_CONFIG (else ./relay.config.json
 * when present, else the built-in console-only config), RELAY_TOKEN, RELAY_SIGNING_SECRET, RELAY_FINGERPRINT_KEY,
 * RELAY_DATA_DIR, PAUBOX_API_KEY and PAUBOX_API_BASE_URL.
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
  return {
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
