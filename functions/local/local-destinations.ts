import {
  createDestinationSender,
  MemoryThreadStore,
  slackAppCredentials,
  slackAppSender,
  type SlackThreadStore,
} from '../chat';
import type { DestinationConfig, RelayConfig } from '../config';
import { DEFAULT_ENRICHMENT_TIMEOUT_MS, type FollowUps } from '../delivery';
import { filterPolicyFor, type FilterPolicy, matchesFilterPolicy, routingAttributes, withFollowUps } from '../routing';
import { cachedLookup, fetchDeliveryStatus } from '../paubox';
import type { LocalDestination } from './fanout';

export interface LocalDestinationOptions {
  readonly timeoutMs: number;
  readonly write?: ((text: string) => void) | undefined;
  /** Where app-mode destinations read their Slack credentials (RELAY_SLACK_BOT_TOKEN…, SLACK_API_BASE_URL). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Where app-mode destinations keep their threads (`slack-threads.json`). @default in memory only */
  readonly dataDir?: string | undefined;
}

/**
 * The destinations some route sends to, each with its filter policy and its sender (a console preview without a
 * url). A destination in Slack app mode (a `channel`) posts through the Web API, and its policy also admits the
 * `delivered` and `opened` events that follow up its alerts, as its SNS subscription does when deployed.
 */
export function localDestinations(config: RelayConfig, options: LocalDestinationOptions): LocalDestination[] {
  const threads = new MemoryThreadStore(options.dataDir);
  return config.destinations.flatMap((d) => {
    const policy = filterPolicyFor(d.name, config.routes);
    if (!policy) return [];
    const common = {
      name: d.name,
      detail: d.detail,
      digest: d.digest,
      ...(d.messagesPerSecond !== undefined ? { messagesPerSecond: d.messagesPerSecond } : {}),
    };
    if (d.channel === undefined) {
      const sender = createDestinationSender(d.kind, d.url, { timeoutMs: options.timeoutMs, write: options.write });
      return [{ ...common, policy, sender }];
    }
    return [{ ...common, ...appMode(d, d.channel, policy, threads, options) }];
  });
}

/** Paubox's delivery status of a message, looked up (and cached) when the relay has an API key. */
export function localDeliveryStatus(paubox: { readonly apiBaseUrl: string; readonly apiKey: string } | undefined) {
  if (!paubox) return undefined;
  const api = {
    baseUrl: paubox.apiBaseUrl,
    apiKey: async () => paubox.apiKey,
    timeoutMs: DEFAULT_ENRICHMENT_TIMEOUT_MS,
  };
  return cachedLookup((id) => fetchDeliveryStatus(api, id));
}

function appMode(
  d: DestinationConfig,
  channel: string,
  routed: FilterPolicy,
  threads: SlackThreadStore,
  options: LocalDestinationOptions,
): Pick<LocalDestination, 'policy' | 'sender' | 'followUps'> {
  const env = options.env ?? {};
  const followUps: FollowUps = { routed: (e) => matchesFilterPolicy(routed, routingAttributes(e)), threads };
  return {
    policy: withFollowUps(routed),
    sender: slackAppSender({
      destination: d.name,
      credentials: async () => slackAppCredentials({ name: d.name, channel }, { env }),
      threads,
      timeoutMs: options.timeoutMs,
    }),
    followUps,
  };
}
