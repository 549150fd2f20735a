import { DestinationCredentialsError } from '../../config';
import { DEFAULT_SLACK_API_BASE_URL } from './web-api';

/**
 * Where a destination in Slack app mode finds what it posts with: its bot token, its channel and the Web API's base
 * URL, plus the signing secret that verifies Slack's interactivity requests. Locally they come from the environment
 * (a per-destination variable before the shared one); deployed, from the destination's secret, a JSON object whose
 * fields `set-destination --bot-token -` and `--signing-secret -` write.
 */

/** The fields of a destination's secret in app mode. */
export const SLACK_APP_SECRET_FIELDS = ['botToken', 'signingSecret'] as const;
export type SlackAppSecretField = (typeof SLACK_APP_SECRET_FIELDS)[number];
export type SlackAppSecret = { readonly [F in SlackAppSecretField]?: string };

/** The environment variables of the local relay, shared by every app-mode destination. */
export const SLACK_APP_ENV = {
  botToken: 'RELAY_SLACK_BOT_TOKEN',
  signingSecret: 'RELAY_SLACK_SIGNING_SECRET',
  apiBaseUrl: 'SLACK_API_BASE_URL',
} as const;

/** `RELAY_SLACK_BOT_TOKEN_CARE_TEAM` for destination `care-team`: it wins over the shared variable. */
export function perDestinationVariable(variable: string, destination: string): string {
  return `${variable}_${destination.toUpperCase().replace(/-/g, '_')}`;
}

export interface SlackAppCredentials {
  /** `xoxb-…`: sent only in an Authorization header, never logged. */
  readonly botToken: string;
  readonly channel: string;
  /** Ends in `/`. */
  readonly apiBaseUrl: string;
  /** Verifies interactivity requests; undefined until stored. */
  readonly signingSecret?: string;
}

/** A destination in app mode: its name and channel id. */
export interface SlackAppDestination {
  readonly name: string;
  readonly channel: string;
}

export type SlackAppCredentialSource =
  /** The local relay's environment. */
  | { readonly env: Readonly<Record<string, string | undefined>> }
  /** The destination's secret, as stored; `apiBaseUrl` defaults to Slack's. */
  | { readonly secret: string; readonly apiBaseUrl?: string };

/** The app fields of a destination's secret; a secret that is not a JSON object (a webhook URL) has none. */
export function readSlackAppSecret(text: string): SlackAppSecret {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  const fields: { [F in SlackAppSecretField]?: string } = {};
  for (const field of SLACK_APP_SECRET_FIELDS) {
    const value = (parsed as Record<string, unknown>)[field];
    if (typeof value === 'string' && value.trim() !== '') fields[field] = value.trim();
  }
  return fields;
}

/** `https://slack.com/api/`, or the given base with a trailing `/` so that method names resolve under it. */
const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

/**
 * The credentials of an app-mode destination, from the local environment or its deployed secret.
 *
 * @throws DestinationCredentialsError naming the variable or the command that sets the missing bot token
 */
export function slackAppCredentials(
  destination: SlackAppDestination,
  source: SlackAppCredentialSource,
): SlackAppCredentials {
  if ('env' in source) {
    const read = (variable: string): string | undefined =>
      source.env[perDestinationVariable(variable, destination.name)]?.trim() ||
      source.env[variable]?.trim() ||
      undefined;
    const botToken = read(SLACK_APP_ENV.botToken);
    if (botToken === undefined) {
      throw new DestinationCredentialsError(
        `has a "channel", so it posts as a Slack app, but no bot token is set: set ` +
          `${perDestinationVariable(SLACK_APP_ENV.botToken, destination.name)} or ${SLACK_APP_ENV.botToken} ` +
          "to the app's Bot User OAuth Token (xoxb-…)",
      );
    }
    const signingSecret = read(SLACK_APP_ENV.signingSecret);
    return {
      botToken,
      channel: destination.channel,
      apiBaseUrl: withSlash(source.env[SLACK_APP_ENV.apiBaseUrl]?.trim() || DEFAULT_SLACK_API_BASE_URL),
      ...(signingSecret !== undefined ? { signingSecret } : {}),
    };
  }
  const { botToken, signingSecret } = readSlackAppSecret(source.secret);
  if (botToken === undefined) {
    throw new DestinationCredentialsError(
      `has a "channel", so it posts as a Slack app, but its secret holds no bot token: ` +
        `npx paubox-relay set-destination ${destination.name} --bot-token - (paste the xoxb-… token, Enter, Ctrl-D)`,
    );
  }
  return {
    botToken,
    channel: destination.channel,
    apiBaseUrl: withSlash(source.apiBaseUrl ?? DEFAULT_SLACK_API_BASE_URL),
    ...(signingSecret !== undefined ? { signingSecret } : {}),
  };
}
