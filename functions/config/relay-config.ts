import type { Route } from '../routing';
import type { ChatKind } from '../chat/kinds';
import type { DestinationKind } from './destination-kinds';
import type { DetailLevel } from './detail-levels';
import type { RecordConfig } from './record-config';
import type { AdviceConfig, RatesConfig } from './sending-config';

/**
 * The relay configuration (`relay.config.json`): its types, resolved as `parseRelayConfig` returns them. Defaults,
 * limits, parsing and loading have files of their own, which import these types (never the other way round).
 * A `@default` is what the relay uses when the file leaves the field out.
 */

/**
 * `local`: the local relay; destinations may carry an inline `url`.
 * `deploy`: the CDK stack; URLs live in Secrets Manager, so an inline `url` is refused.
 */
export type ConfigMode = 'local' | 'deploy';

/**
 * Checks a destination's webhook URL and tells its platform, throwing DestinationUrlError: `checkDestinationUrl`
 * of chat/, passed in where a local configuration is read, so that config/ does not depend on the chat platforms.
 */
export type DestinationUrlCheck = (
  url: string,
  options: { readonly kind?: ChatKind; readonly allowLoopbackHttp: boolean },
) => ChatKind;

export interface RelayConfig extends RecordConfig {
  /**
   * Where alerts go. At least one.
   * @default none: required in a file (without one: {@link DEFAULT_DEPLOY_CONFIG}, {@link DEFAULT_LOCAL_CONFIG})
   */
  readonly destinations: readonly DestinationConfig[];
  /**
   * Which events go to which destinations. At least one; every destination a route names must exist.
   * @default none: required in a file (without one: failures of every sender to the one destination)
   */
  readonly routes: readonly Route[];
  /**
   * Where the CloudWatch alarms notify, and the delay they tolerate.
   * @default none: alarms without actions, delay threshold {@link DEFAULT_END_TO_END_DELAY_SECONDS}
   */
  readonly alarms?: AlarmsConfig;
  /**
   * Where relay health notices go, and how often destinations are probed. Always set once parsed.
   * @default {@link DEFAULT_HEALTH_CONFIG}
   */
  readonly health?: HealthConfig;
  /**
   * Bounce-rate alerts per sender domain: the window, the minimum volume, the thresholds and who is told. Always set
   * once parsed.
   * @default {@link DEFAULT_RATES_CONFIG}: 24 h, 50 messages, a warning at 2 %, an alert at 5 %
   */
  readonly rates?: RatesConfig;
  /**
   * When a recipient's alert says to stop sending to it. Always set once parsed.
   * @default {@link DEFAULT_ADVICE_CONFIG}: 3 hard bounces within 30 days
   */
  readonly advice?: AdviceConfig;
  /**
   * How webhooks are let in. Always set once parsed.
   * @default {@link DEFAULT_INGEST_CONFIG}
   */
  readonly ingest?: IngestConfig;
  /**
   * Paubox's Email API, which failure alerts ask why a message bounced (the message receipt's delivery status).
   * @default none: no lookups
   */
  readonly paubox?: PauboxApiConfig;
  /**
   * How alerts show times where the chat platform cannot show the reader's own (the console, notification text).
   * @default { timeZone: 'UTC' }
   */
  readonly display?: DisplayConfig;
  /**
   * Whether each deploy that changes the accept path posts a synthetic webhook to the real URL and waits for the
   * consumer to read it, rolling back when it does not (docs/operations.md). Turn off where a Lambda function may
   * not reach the internet.
   * @default true
   */
  readonly selfTest?: boolean;
  /**
   * What tells this relay's metrics and alarms apart from another relay's in the same account and region: the
   * `Relay` dimension of every metric.
   * @default the stack name and the relay's construct path (`<stack>/<path>`)
   */
  readonly relayId?: string;
}

/** Paubox's Email API, for the delivery status of failed messages. */
export interface PauboxApiConfig {
  /**
   * The Email API's base URL, your API username included, e.g. `https://api.paubox.net/v1/<username>`; https only
   * (locally, `http` on a loopback address too). Required when `enrich` is set. Locally PAUBOX_API_BASE_URL wins.
   * @default none
   */
  readonly apiBaseUrl?: string;
  /**
   * Look up each failed message's delivery status (e.g. `soft bounced - mailbox full`) and show it in its alert.
   * Deployed, the stack adds a secret for the API key (`npx paubox-relay set-paubox-key`); locally, set
   * PAUBOX_API_KEY. A lookup that fails or takes longer than 1.5 s is left out; the alert still goes.
   * @default false
   */
  readonly enrich: boolean;
}

export interface DisplayConfig {
  /**
   * IANA time zone of times shown as text, e.g. `America/New_York`. Slack and Teams show the reader's own zone.
   * @default 'UTC'
   */
  readonly timeZone: string;
}

export interface DestinationConfig {
  /**
   * Lower-case letters, digits and dashes, starting with a letter (at most 32); names the queue, the function and
   * the secret, and is what routes send to.
   * @default none: required
   */
  readonly name: string;
  /**
   * The platform. Known when given or detectable from an inline URL; otherwise detected at run time from the URL
   * stored in the destination's secret.
   * @default detected from the URL
   */
  readonly kind?: DestinationKind;
  /**
   * What the destination's alerts may show (see detail-levels.ts).
   * @default 'minimal'
   */
  readonly detail: DetailLevel;
  /**
   * The webhook URL; local mode only (a deployed destination's URL lives in its secret). Required locally for every
   * destination but a console.
   * @default none
   */
  readonly url?: string;
  /**
   * A Slack channel id (`C0123ABCDEF`): the destination posts as a Slack app, with a bot token, through the Web API
   * (docs/slack-app.md), which threads a message's alerts, updates them and adds buttons; it takes no `url`.
   * Locally the token is RELAY_SLACK_BOT_TOKEN_<NAME> or RELAY_SLACK_BOT_TOKEN; deployed it lives in the
   * destination's secret (`npx paubox-relay set-destination <name> --bot-token -`).
   * @default none: the destination posts to its webhook URL
   */
  readonly channel?: string;
  /**
   * How alerts are batched and grouped into digests (`digest` in the file).
   * @default each field's default, see {@link DigestConfig}
   */
  readonly digest: DigestConfig;
  /**
   * Posts per second this destination may receive, across all notifiers (`rateLimit.messagesPerSecond` in the file).
   * Undefined: the platform's default, resolved once the kind is known (in AWS, from the stored URL).
   * @default the platform's `messagesPerSecond` in chat/platforms.ts (1 for Slack and Teams)
   */
  readonly messagesPerSecond?: number;
}

/** How a destination's queue is read in batches, and when a batch's events are grouped into digests. */
export interface DigestConfig {
  /**
   * How long the queue gathers events before handing them to the notifier (the SQS event source's batching
   * window), 0 to 300 seconds. 0: every event is handed over at once.
   * @default 10 when deploying ({@link DEFAULT_DEPLOY_WINDOW_SECONDS}), 0 locally
   */
  readonly windowSeconds: number;
  /**
   * Most events in one batch: 1 to 10 without a window (the SQS limit), up to 10,000 with one.
   * @default the most allowed: 10,000 with a window, 10 without; locally 10,000 (no SQS), so that under a backlog
   * each post carries everything pending that fits
   */
  readonly batchSize: number;
  /**
   * Events of one group posted as one digest from this many on; smaller groups are posted one by one.
   * @default 2 ({@link DEFAULT_MIN_GROUP_SIZE})
   */
  readonly minGroupSize: number;
}

/** Where the relay's CloudWatch alarms notify, and the delay they tolerate. */
export interface AlarmsConfig {
  /**
   * An address to e-mail alarms to; the stack creates an encrypted topic for it (AWS asks the address to confirm).
   * @default none
   */
  readonly email?: string;
  /**
   * An existing standard SNS topic to notify, e.g. one that pages or posts to an incident tool.
   * @default none
   */
  readonly topicArn?: string;
  /**
   * The end-to-end delay alarm fires when an alert reaches its channel later than this after Paubox's event time.
   * @default 300 ({@link DEFAULT_END_TO_END_DELAY_SECONDS})
   */
  readonly endToEndDelaySeconds?: number;
}

/** Relay health notices (docs/health.md). */
export interface HealthConfig {
  /**
   * The destinations that receive health notices.
   * @default every chat destination but the one a notice is about (a broken channel cannot report itself)
   */
  readonly to?: readonly string[];
  /**
   * How often every destination is probed silently (a Slack webhook answers a POST without text with an error
   * that tells a live webhook from a revoked one), 5 to 1440.
   * @default 60
   */
  readonly probeMinutes: number;
  /**
   * While a problem lasts, its notice is repeated at most this often (1 to 168 hours).
   * @default 4
   */
  readonly reminderHours: number;
  /**
   * Teams Workflows cannot be checked silently: post a visible "Relay health: heartbeat" to them every
   * `probeMinutes` instead.
   * @default false
   */
  readonly heartbeat: boolean;
}

/** How webhooks are let in. */
export interface IngestConfig {
  /**
   * Require a Standard Webhooks signature (`webhook-signature`) made with the `whsec_…` secret Paubox gives for
   * the endpoint, on top of the URL token. Deployed: the stack adds a signing secret to fill in; locally:
   * RELAY_SIGNING_SECRET.
   * @default false
   */
  readonly verifySignatures: boolean;
  /**
   * After a token rotation, how long the previous token (the URL pasted into Paubox) still works.
   * @default 72
   */
  readonly tokenOverlapHours: number;
  /**
   * Rotate the token on this schedule.
   * @default none: only on demand (`aws secretsmanager rotate-secret`)
   */
  readonly tokenRotationDays?: number;
  /**
   * Reserved concurrency of the ingest function. Needs {@link accountConcurrency}: a new account (quota 10) has none
   * to reserve; the consumer is bounded by its queue's maximum concurrency without one.
   * @default none
   */
  readonly reservedConcurrency?: number;
  /**
   * The account's Lambda concurrency quota (Service Quotas), which a `reservedConcurrency` must fit under, less the
   * 100 Lambda keeps unreserved.
   * @default none: no reservation is possible
   */
  readonly accountConcurrency?: number;
}
