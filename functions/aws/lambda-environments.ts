import { CHAT_KINDS, type ChatKind, isChatKind } from '../chat/kinds';
import { DETAIL_LEVELS } from '../config';
import { QUERY_NAMES, type QueryName } from '../reports';
import type { FilterPolicy } from '../routing';
import { type EnvSpec, isObject, isString, isStringList, isStringRecord } from './function-env';

/**
 * The environment of each Lambda function of the relay: the construct writes it (lib/relay/function-env.ts), the
 * handler reads it (readEnv). Every variable's name is typed here and nowhere else.
 */

/** `auto`: the platform the stored URL belongs to. */
const NOTIFIER_KINDS = [...CHAT_KINDS, 'auto'] as const;
const FINGERPRINT_SECRET_ARN = { name: 'FINGERPRINT_SECRET_ARN', type: 'text' } as const;
const ARCHIVE_DETAIL = { name: 'ARCHIVE_DETAIL', type: 'oneOf', values: DETAIL_LEVELS } as const;
/** Unset: every destination. */
const HEALTH_TO = {
  name: 'HEALTH_TO',
  type: 'json',
  what: 'a list of destination names',
  check: isStringList,
  optional: true,
} as const;

/** The `rates` settings the ingest consumer checks a sender domain's bounce rate with (sending/rate-check.ts). */
export interface RateSettingsEnv {
  readonly windowMs: number;
  readonly minVolume: number;
  readonly warnAt: number;
  readonly alertAt: number;
  readonly reminderMs: number;
}

const isNumbers = (value: unknown, keys: readonly string[]): boolean =>
  isObject(value) && keys.every((k) => typeof value[k] === 'number' && Number.isFinite(value[k]));

function isRateSettings(value: unknown): value is RateSettingsEnv {
  return isNumbers(value, ['windowMs', 'minVolume', 'warnAt', 'alertAt', 'reminderMs']);
}

/** The `advice` settings a notifier records hard bounces with (sending/advice.ts). */
export interface AdviceSettingsEnv {
  readonly hardBounces: number;
  readonly windowMs: number;
}

function isAdviceSettings(value: unknown): value is AdviceSettingsEnv {
  return isNumbers(value, ['hardBounces', 'windowMs']);
}
/** Every function: the `Relay` dimension of its metrics (handlers that write metrics read it). */
export const RELAY_ENV = {
  relayId: { name: 'RELAY_ID', type: 'text' },
} as const satisfies EnvSpec;

/** Ingest consumer (handlers/consume-webhooks.ts). */
export const INGEST_ENV = {
  topicArn: { name: 'TOPIC_ARN', type: 'text' },
  tokenSecretArn: { name: 'TOKEN_SECRET_ARN', type: 'text' },
  quarantineQueueUrl: { name: 'QUARANTINE_QUEUE_URL', type: 'text' },
  /** Unset: webhooks are not signed yet. */
  signingSecretArn: { name: 'SIGNING_SECRET_ARN', type: 'text', optional: true },
  /** @default 60 */
  tokenCacheSeconds: { name: 'TOKEN_CACHE_SECONDS', type: 'number', whole: false, optional: true },
  /** The three set: every event is counted per sender domain in the relay table, and bounce rates are checked. */
  rateTable: { name: 'RATE_TABLE_NAME', type: 'text', optional: true },
  rateSettings: {
    name: 'RATE_SETTINGS',
    type: 'json',
    what: 'the rates settings (windowMs, minVolume, warnAt, alertAt, reminderMs)',
    check: isRateSettings,
    optional: true,
  },
  /** The queues of `rates.to`, by destination name. */
  rateQueues: {
    name: 'RATE_QUEUES',
    type: 'json',
    what: 'an object of destination names to queue URLs',
    check: isStringRecord,
    optional: true,
  },
  /** The relay table, where a self-test webhook is recorded as read. Unset: a self-test is ignored. */
  selfTestTable: { name: 'SELF_TEST_TABLE_NAME', type: 'text', optional: true },
} as const satisfies EnvSpec;

/** The deploy's self-test (handlers/self-test.ts). */
export const SELF_TEST_ENV = {
  webhookBaseUrl: { name: 'WEBHOOK_BASE_URL', type: 'text' },
  tokenSecretArn: { name: 'TOKEN_SECRET_ARN', type: 'text' },
  table: { name: 'SELF_TEST_TABLE_NAME', type: 'text' },
} as const satisfies EnvSpec;

/** Notifier of one destination (handlers/notify-destination.ts). */
export const NOTIFIER_ENV = {
  destination: { name: 'DESTINATION_NAME', type: 'text' },
  kind: { name: 'DESTINATION_KIND', type: 'oneOf', values: NOTIFIER_KINDS },
  detail: { name: 'DESTINATION_DETAIL', type: 'oneOf', values: DETAIL_LEVELS },
  urlSecretArn: { name: 'DESTINATION_SECRET_ARN', type: 'text' },
  fingerprintSecretArn: FINGERPRINT_SECRET_ARN,
  dedupTable: { name: 'DEDUP_TABLE_NAME', type: 'text' },
  deadLetterQueueUrl: { name: 'DEAD_LETTER_QUEUE_URL', type: 'text' },
  /** Its own queue: a failed try is handed back with its backoff as the message's visibility timeout. */
  queueUrl: { name: 'QUEUE_URL', type: 'text' },
  maxReceiveCount: { name: 'MAX_RECEIVE_COUNT', type: 'number', min: 1 },
  minGroupSize: { name: 'DIGEST_MIN_GROUP_SIZE', type: 'number', min: 2 },
  /** The event source's batching window: how long a record waits in the queue by design. @default 0 */
  windowSeconds: { name: 'DIGEST_WINDOW_SECONDS', type: 'number', min: 0, optional: true },
  /** Unset: the default of the platform the stored URL belongs to. */
  messagesPerSecond: { name: 'RATE_LIMIT_PER_SECOND', type: 'number', whole: false, above: true, optional: true },
  /** @default 300 */
  secretCacheSeconds: { name: 'SECRET_CACHE_SECONDS', type: 'number', whole: false, optional: true },
  /** @default DEFAULT_SEND_TIMEOUT_MS */
  sendTimeoutMs: { name: 'SEND_TIMEOUT_MS', type: 'number', min: 1, optional: true },
  /** @default UTC */
  timeZone: { name: 'DISPLAY_TIME_ZONE', type: 'text', optional: true },
  /** Both set: alerts show Paubox's delivery status of the message. */
  pauboxApiBaseUrl: { name: 'PAUBOX_API_BASE_URL', type: 'text', optional: true },
  pauboxKeySecretArn: { name: 'PAUBOX_API_KEY_SECRET_ARN', type: 'text', optional: true },
  /** Set: hard bounces are recorded per recipient fingerprint, and alerts advise to stop sending (`advice`). */
  adviceSettings: {
    name: 'ADVICE_SETTINGS',
    type: 'json',
    what: 'the advice settings (hardBounces, windowMs)',
    check: isAdviceSettings,
    optional: true,
  },
  /** With `automation.eventBridge`: each new advice is put on this bus as `RecipientSuppressionAdvised`. */
  adviceBus: { name: 'ADVICE_EVENT_BUS_NAME', type: 'text', optional: true },
  /** True on the notifiers of `rates.to` with `rates.inhibit`: a firing domain's failures fold into digests. */
  rateInhibit: { name: 'RATE_INHIBIT', type: 'flag', optional: true },
  /** Set: the destination posts as a Slack app to this channel, with the bot token its secret holds (JSON). */
  channel: { name: 'DESTINATION_CHANNEL', type: 'text', optional: true },
  /**
   * With `channel`: the routes' own filter policy. What else the subscription admits (`delivered`, `opened`) is
   * posted only as a follow-up, into the thread of an alert about the same message.
   */
  routedPolicy: {
    name: 'ROUTED_FILTER_POLICY',
    type: 'json',
    what: 'an SNS filter policy',
    check: isFilterPolicy,
    optional: true,
  },
} as const satisfies EnvSpec;

/** An app-mode destination, as the interactivity function reads it. */
export interface AppDestinationTarget {
  /** The destination's secret: `botToken` and `signingSecret`. */
  readonly secretArn: string;
  /** The Slack channel id it posts to: clicks in any other channel are not its. */
  readonly channel: string;
}

function isAppTargets(value: unknown): value is Readonly<Record<string, AppDestinationTarget>> {
  return (
    isObject(value) && Object.values(value).every((t) => isObject(t) && isString(t.secretArn) && isString(t.channel))
  );
}

/** Slack's interactivity route (handlers/slack-interactivity.ts). */
export const INTERACTIVITY_ENV = {
  destinations: {
    name: 'APP_DESTINATIONS',
    type: 'json',
    what: 'an object of app-mode destination names to their secret ARN and channel',
    check: isAppTargets,
  },
  /** The relay table: seen signatures, silences, rate alerts. */
  table: { name: 'RELAY_TABLE_NAME', type: 'text' },
  /** The archive's audit stream; without one (no archive) the audit lines are only logged. */
  auditStream: { name: 'AUDIT_STREAM_NAME', type: 'text', optional: true },
  /** @default 300 */
  secretCacheSeconds: { name: 'SECRET_CACHE_SECONDS', type: 'number', whole: false, optional: true },
  /** @default Slack's */
  slackApiBaseUrl: { name: 'SLACK_API_BASE_URL', type: 'text', optional: true },
  /** @default UTC */
  timeZone: { name: 'DISPLAY_TIME_ZONE', type: 'text', optional: true },
} as const satisfies EnvSpec;

/** A filter policy as routing/ writes it: one clause or `$or` of them, each listing event types. */
function isFilterPolicy(value: unknown): value is FilterPolicy {
  if (!isObject(value)) return false;
  const clauses = Array.isArray(value.$or) ? (value.$or as unknown[]) : [value];
  return clauses.every((c) => isObject(c) && isStringList(c.event_type));
}

/** Token rotation (handlers/rotate-token.ts). */
export const ROTATE_TOKEN_ENV = {
  overlapHours: { name: 'TOKEN_OVERLAP_HOURS', type: 'number', whole: false },
  /** Rotation events name the secret; the deploy's custom resource and the route sweep read it here. */
  tokenSecretArn: { name: 'TOKEN_SECRET_ARN', type: 'text' },
  /** The HTTP API whose webhook routes (one per valid token) the function makes and deletes. */
  apiId: { name: 'API_ID', type: 'text' },
  integrationId: { name: 'WEBHOOK_INTEGRATION_ID', type: 'text' },
  stageName: { name: 'API_STAGE_NAME', type: 'text' },
  /** Each webhook route's own throttle. */
  rateLimit: { name: 'WEBHOOK_RATE_LIMIT', type: 'number', whole: false, above: true },
  burstLimit: { name: 'WEBHOOK_BURST_LIMIT', type: 'number', above: true },
} as const satisfies EnvSpec;

/** Alarm changes as health notices (handlers/health-notices.ts). */
export const HEALTH_ENV = {
  queues: {
    name: 'HEALTH_QUEUES',
    type: 'json',
    what: 'an object of destination names to queue URLs',
    check: isStringRecord,
  },
  to: HEALTH_TO,
} as const satisfies EnvSpec;

/** What the probe needs of a destination. */
export interface ProbeTarget {
  readonly secretArn: string;
  readonly queueUrl: string;
  /** Set for a Slack app: its channel; the secret then holds its bot token. */
  readonly channel?: string;
  /** Unset: the platform the stored URL belongs to. */
  readonly kind?: ChatKind;
}

function isProbeTargets(value: unknown): value is Readonly<Record<string, ProbeTarget>> {
  return (
    isObject(value) &&
    Object.values(value).every(
      (t) =>
        isObject(t) &&
        isString(t.secretArn) &&
        isString(t.queueUrl) &&
        (t.kind === undefined || (isString(t.kind) && isChatKind(t.kind))) &&
        (t.channel === undefined || isString(t.channel)),
    )
  );
}

/** Destination probe (handlers/probe-destinations.ts). */
export const PROBE_ENV = {
  destinations: {
    name: 'PROBE_DESTINATIONS',
    type: 'json',
    what: 'an object of destinations to probe',
    check: isProbeTargets,
  },
  alarmPrefix: { name: 'ALARM_NAME_PREFIX', type: 'text' },
  healthTopicArn: { name: 'HEALTH_TOPIC_ARN', type: 'text' },
  probeMinutes: { name: 'PROBE_MINUTES', type: 'number', whole: false, above: true },
  reminderHours: { name: 'REMINDER_HOURS', type: 'number', whole: false, above: true },
  heartbeat: { name: 'HEALTH_HEARTBEAT', type: 'flag' },
  to: HEALTH_TO,
  /** Set: the probe queues the end messages of silences kept in this table. */
  silenceTable: { name: 'SILENCE_TABLE_NAME', type: 'text', optional: true },
} as const satisfies EnvSpec;

/** Archive transformation (handlers/archive-transform.ts). */
export const ARCHIVE_TRANSFORM_ENV = {
  detail: ARCHIVE_DETAIL,
  fingerprintSecretArn: FINGERPRINT_SECRET_ARN,
} as const satisfies EnvSpec;

/** Automation publisher (handlers/publish-events.ts). */
export const PUBLISH_EVENTS_ENV = {
  busName: { name: 'EVENT_BUS_NAME', type: 'text' },
  detail: ARCHIVE_DETAIL,
  fingerprintSecretArn: FINGERPRINT_SECRET_ARN,
} as const satisfies EnvSpec;

/** A saved Athena query: its id and the parameters it takes, in order. */
export interface NamedQuery {
  readonly id: string;
  readonly parameters: readonly string[];
}

function isNamedQueries(value: unknown): value is Readonly<Record<QueryName, NamedQuery>> {
  return (
    isObject(value) &&
    QUERY_NAMES.every((name) => {
      const query = value[name];
      return isObject(query) && isString(query.id) && isStringList(query.parameters);
    })
  );
}

/** Scheduled report (handlers/send-report.ts). */
export const SEND_REPORT_ENV = {
  workgroup: { name: 'ATHENA_WORKGROUP', type: 'text' },
  database: { name: 'ARCHIVE_DATABASE', type: 'text' },
  namedQueries: {
    name: 'NAMED_QUERIES',
    type: 'json',
    what: 'an object of every report query to its saved id',
    check: isNamedQueries,
  },
  queues: {
    name: 'REPORT_QUEUE_URLS',
    type: 'json',
    what: 'an object of destination names to queue URLs',
    check: isStringRecord,
  },
} as const satisfies EnvSpec;
