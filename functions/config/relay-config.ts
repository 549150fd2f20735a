import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { checkDestinationUrl } from '../chat/destination-url';
import { DESTINATION_KINDS, DETAIL_LEVELS, type DestinationKind, type DetailLevel } from './destination-kinds';
import { ConfigError, DestinationUrlError } from '../errors';
import { EVENT_TYPES } from '../paubox/relay-event';
import { filterCombinations, filterPolicyFor, SNS_MAX_FILTER_COMBINATIONS, type Route } from '../routing/filter-policy';
import { recordConfigShape, resolveRecordConfig, type RecordConfig } from './record-config';

/**
 * `local`: the local relay; destinations may carry an inline `url`.
 * `deploy`: the CDK stack; URLs live in Secrets Manager, so an inline `url` is refused.
 */
export type ConfigMode = 'local' | 'deploy';

export interface DestinationConfig {
  /** Lower-case letters, digits and dashes; names the queue, the function and the secret. */
  readonly name: string;
  /** Known when given or detectable from an inline URL; otherwise detected at run time from the secret's URL. */
  readonly kind?: DestinationKind;
  readonly detail: DetailLevel;
  /** Local mode only. */
  readonly url?: string;
  /** How alerts are batched and grouped into digests; defaults resolved by {@link parseRelayConfig}. */
  readonly digest: DigestConfig;
  /**
   * Posts per second this destination may receive, across all notifiers; undefined for the platform's default
   * (`DEFAULT_MESSAGES_PER_SECOND` in pacing.ts), which is resolved once the kind is known (in AWS, from the stored URL).
   */
  readonly messagesPerSecond?: number;
}

/** Where the relay's CloudWatch alarms notify, and the delay they tolerate. */
export interface AlarmsConfig {
  /** An address to e-mail alarms to; the stack creates an encrypted topic for it (AWS asks the address to confirm). */
  readonly email?: string;
  /** An existing standard SNS topic to notify, e.g. one that pages or posts to an incident tool. */
  readonly topicArn?: string;
  /** The end-to-end delay alarm fires when an alert reaches its channel later than this after Paubox's event time. */
  readonly endToEndDelaySeconds?: number;
}

/** How webhooks are let in. */
export interface IngestConfig {
  /**
   * Require a Standard Webhooks signature (`webhook-signature`) made with the `whsec_…` secret Paubox gives for
   * the endpoint, on top of the URL token. Deployed: the stack adds a signing secret to fill in; locally:
   * RELAY_SIGNING_SECRET.
   */
  readonly verifySignatures: boolean;
  /** After a token rotation, how long the previous token (the URL pasted into Paubox) still works. */
  readonly tokenOverlapHours: number;
  /** Rotate the token on this schedule; undefined: only on demand (`aws secretsmanager rotate-secret`). */
  readonly tokenRotationDays?: number;
  /** Reserved concurrency of the ingest function; undefined: none (a fresh account has no room to reserve). */
  readonly reservedConcurrency?: number;
}

/** How a destination's queue is read in batches, and when a batch's events are grouped into digests. */
export interface DigestConfig {
  /**
   * How long the queue gathers events before handing them to the notifier (the SQS event source's batching
   * window), 0 to 300 seconds. 0: every event is handed over at once.
   */
  readonly windowSeconds: number;
  /** Most events in one batch: 1 to 10 without a window (the SQS limit), up to 10,000 with one. */
  readonly batchSize: number;
  /** Events of one group posted as one digest from this many on; smaller groups are posted one by one. */
  readonly minGroupSize: number;
}

export const MAX_MESSAGES_PER_SECOND = 1000;
/** Batching window of deployed destinations when the configuration gives none; the local relay's is 0. */
export const DEFAULT_DEPLOY_WINDOW_SECONDS = 10;
export const MAX_WINDOW_SECONDS = 300;
/** SQS limits of a Lambda event source's batch size on a standard queue, without and with a batching window. */
export const MAX_BATCH_SIZE_WITHOUT_WINDOW = 10;
export const MAX_BATCH_SIZE = 10_000;
export const DEFAULT_MIN_GROUP_SIZE = 2;

export interface RelayConfig extends RecordConfig {
  readonly destinations: readonly DestinationConfig[];
  readonly routes: readonly Route[];
  /** Absent: alarms without actions, and the default delay threshold. */
  readonly alarms?: AlarmsConfig;
  /** Resolved by {@link parseRelayConfig}; {@link DEFAULT_INGEST_CONFIG} when absent. */
  readonly ingest?: IngestConfig;
}

export const DEFAULT_END_TO_END_DELAY_SECONDS = 300;
const MIN_END_TO_END_DELAY_SECONDS = 10;
const MAX_END_TO_END_DELAY_SECONDS = 86_400;
const EMAIL_PATTERN = /^[^\s@"<>,;]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const SNS_TOPIC_ARN_PATTERN = /^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

const FAILURES = ['permanent_failure', 'temporary_failure'] as const;

export const DEFAULT_INGEST_CONFIG: IngestConfig = { verifySignatures: false, tokenOverlapHours: 72 };

export const DEFAULT_LOCAL_CONFIG: RelayConfig = {
  destinations: [
    { name: 'console', kind: 'console', detail: 'minimal', digest: { windowSeconds: 0, batchSize: 10, minGroupSize: 2 } },
  ],
  routes: [{ events: [...FAILURES], to: ['console'] }],
  ingest: DEFAULT_INGEST_CONFIG,
};

export const DEFAULT_DEPLOY_CONFIG: RelayConfig = {
  destinations: [{ name: 'alerts', detail: 'minimal', digest: { windowSeconds: 10, batchSize: 10_000, minGroupSize: 2 } }],
  routes: [{ events: [...FAILURES], to: ['alerts'] }],
  ingest: DEFAULT_INGEST_CONFIG,
};

const NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
const DOMAIN_PATTERN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

const schema = z.strictObject({
  $schema: z.optional(z.string()),
  destinations: z
    .array(
      z.strictObject({
        name: z.string().check(z.regex(NAME_PATTERN)),
        kind: z.optional(z.enum(DESTINATION_KINDS)),
        detail: z.optional(z.enum(DETAIL_LEVELS)),
        url: z.optional(z.string()),
        digest: z.optional(
          z.strictObject({
            windowSeconds: z.optional(z.number()),
            batchSize: z.optional(z.number()),
            minGroupSize: z.optional(z.number()),
          }),
        ),
        rateLimit: z.optional(z.strictObject({ messagesPerSecond: z.number() })),
      }),
    )
    .check(z.minLength(1)),
  routes: z
    .array(
      z.strictObject({
        events: z.array(z.enum(EVENT_TYPES)).check(z.minLength(1)),
        senderDomains: z.optional(z.array(z.string().check(z.regex(DOMAIN_PATTERN))).check(z.minLength(1))),
        to: z.array(z.string()).check(z.minLength(1)),
      }),
    )
    .check(z.minLength(1)),
  alarms: z.optional(
    z.strictObject({
      email: z.optional(z.string()),
      topicArn: z.optional(z.string()),
      endToEndDelaySeconds: z.optional(z.number()),
    }),
  ),
  ingest: z.optional(
    z.strictObject({
      verifySignatures: z.optional(z.boolean()),
      tokenOverlapHours: z.optional(z.number().check(z.minimum(0), z.maximum(24 * 90))),
      tokenRotationDays: z.optional(z.int().check(z.minimum(1), z.maximum(1000))),
      reservedConcurrency: z.optional(z.int().check(z.minimum(1), z.maximum(1000))),
    }),
  ),
  ...recordConfigShape,
});

/** The `alarms` block's problems, each saying what to write instead. */
function alarmsProblems(alarms: AlarmsConfig): string[] {
  const problems: string[] = [];
  if (alarms.email !== undefined && (alarms.email.length > 254 || !EMAIL_PATTERN.test(alarms.email))) {
    problems.push('alarms.email: expected one e-mail address such as oncall@example.com');
  }
  if (alarms.topicArn !== undefined) {
    if (!SNS_TOPIC_ARN_PATTERN.test(alarms.topicArn)) {
      problems.push('alarms.topicArn: expected an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:relay-alarms');
    } else if (alarms.topicArn.endsWith('.fifo')) {
      problems.push('alarms.topicArn: CloudWatch alarms cannot notify a FIFO topic; give a standard topic');
    }
  }
  const delay = alarms.endToEndDelaySeconds;
  if (
    delay !== undefined &&
    (!Number.isInteger(delay) || delay < MIN_END_TO_END_DELAY_SECONDS || delay > MAX_END_TO_END_DELAY_SECONDS)
  ) {
    problems.push(
      `alarms.endToEndDelaySeconds: expected a whole number of seconds from ${MIN_END_TO_END_DELAY_SECONDS} to ` +
        `${MAX_END_TO_END_DELAY_SECONDS}, got ${delay}`,
    );
  }
  return problems;
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)),
    '',
  );
}

function explain(issue: z.core.$ZodIssue): string {
  const where = pathOf(issue.path) || '(top level)';
  switch (issue.code) {
    case 'invalid_type':
      return `${where}: expected ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
    case 'invalid_value':
      return `${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `${where}: unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'number' ? `${where}: must be at least ${issue.minimum}` : `${where}: must not be empty`;
    case 'too_big':
      return `${where}: must be at most ${issue.maximum}`;
    case 'invalid_format':
      return where.includes('senderDomains')
        ? `${where}: expected a lower-case domain such as clinic.example.com`
        : `${where}: expected a name of lower-case letters, digits and dashes, starting with a letter (at most 32)`;
    default:
      return `${where}: ${issue.message}`;
  }
}

function isWhole(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** Resolves a destination's `digest` block; each bad value is reported with what to write instead. */
function digestOf(
  raw: { windowSeconds?: number; batchSize?: number; minGroupSize?: number },
  mode: ConfigMode,
  where: string,
  problems: string[],
): DigestConfig {
  const windowSeconds = raw.windowSeconds ?? (mode === 'deploy' ? DEFAULT_DEPLOY_WINDOW_SECONDS : 0);
  if (!isWhole(windowSeconds, 0, MAX_WINDOW_SECONDS)) {
    problems.push(`${where}.digest.windowSeconds: expected a whole number of seconds from 0 to ${MAX_WINDOW_SECONDS}`);
  }
  const maxBatch = windowSeconds > 0 ? MAX_BATCH_SIZE : MAX_BATCH_SIZE_WITHOUT_WINDOW;
  const batchSize = raw.batchSize ?? maxBatch;
  if (!isWhole(batchSize, 1, maxBatch)) {
    problems.push(
      `${where}.digest.batchSize: expected a whole number from 1 to ${maxBatch}` +
        (windowSeconds > 0 ? '' : ` (above ${MAX_BATCH_SIZE_WITHOUT_WINDOW} SQS needs a windowSeconds of 1 or more)`),
    );
  }
  const minGroupSize = raw.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
  if (!isWhole(minGroupSize, 2, MAX_BATCH_SIZE)) {
    problems.push(`${where}.digest.minGroupSize: expected a whole number from 2 to ${MAX_BATCH_SIZE} (a digest covers at least 2 events)`);
  }
  return { windowSeconds, batchSize, minGroupSize };
}

/**
 * Validates a relay configuration and resolves its defaults.
 *
 * @throws ConfigError listing every problem, each with the path of the field and what to change
 */
export function parseRelayConfig(raw: unknown, mode: ConfigMode): RelayConfig {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map(explain));

  const problems: string[] = [];
  const names = new Set<string>();
  const destinations = parsed.data.destinations.map((d, i): DestinationConfig => {
    const where = `destinations[${i}]`;
    if (names.has(d.name)) problems.push(`${where}.name: "${d.name}" is used twice; names must be unique`);
    names.add(d.name);
    let kind = d.kind;
    if (d.url !== undefined) {
      if (mode === 'deploy') {
        problems.push(
          `${where}.url: inline URLs are refused when deploying (they would end up in the template); remove it, ` +
            `deploy, then store the URL in the destination's secret (npm run set-destination -- ${d.name}, ` +
            'or aws secretsmanager put-secret-value, see README)',
        );
      } else if (kind === 'console') {
        problems.push(`${where}.url: a console destination takes no url`);
      } else {
        try {
          kind = checkDestinationUrl(d.url, { kind, allowLoopbackHttp: true });
        } catch (error) {
          if (!(error instanceof DestinationUrlError)) throw error;
          problems.push(`${where}.url ${error.message}`);
        }
      }
    } else if (mode === 'local' && kind !== 'console') {
      problems.push(
        `${where}: a ${kind ?? 'chat'} destination needs a "url" when running locally (or use "kind": "console")`,
      );
    }
    const digest = digestOf(d.digest ?? {}, mode, where, problems);
    const rate = d.rateLimit?.messagesPerSecond;
    if (rate !== undefined) {
      if (kind === 'console') problems.push(`${where}.rateLimit: a console destination is not rate limited; remove it`);
      else if (!(rate > 0 && rate <= MAX_MESSAGES_PER_SECOND)) {
        problems.push(`${where}.rateLimit.messagesPerSecond: expected a number above 0 and at most ${MAX_MESSAGES_PER_SECOND} (Slack allows 1)`);
      }
    }
    return {
      name: d.name,
      kind,
      detail: d.detail ?? 'minimal',
      ...(d.url !== undefined ? { url: d.url } : {}),
      digest,
      ...(rate !== undefined ? { messagesPerSecond: rate } : {}),
    };
  });

  parsed.data.routes.forEach((route, i) => {
    route.to.forEach((target, j) => {
      if (!names.has(target)) {
        problems.push(`routes[${i}].to[${j}]: no destination is named "${target}" (defined: ${[...names].join(', ')})`);
      }
    });
  });
  const routes: Route[] = parsed.data.routes;
  for (const d of destinations) {
    const policy = filterPolicyFor(d.name, routes);
    if (policy && filterCombinations(policy) > SNS_MAX_FILTER_COMBINATIONS) {
      problems.push(
        `routes to "${d.name}" need ${filterCombinations(policy)} filter combinations, more than the ` +
          `${SNS_MAX_FILTER_COMBINATIONS} SNS allows; list fewer sender domains (a domain also covers its subdomains)`,
      );
    }
  }
  const alarms = parsed.data.alarms;
  if (alarms) problems.push(...alarmsProblems(alarms));
  const record = resolveRecordConfig(parsed.data, names, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const ingest: IngestConfig = { ...DEFAULT_INGEST_CONFIG, ...parsed.data.ingest };
  return { destinations, routes, ingest, ...(alarms ? { alarms: { ...alarms } } : {}), ...record };
}

/**
 * Reads and validates a configuration file.
 *
 * @throws ConfigError when the file cannot be read, is not JSON, or does not validate
 */
export function loadRelayConfigFile(path: string, mode: ConfigMode): RelayConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${path} is not valid JSON: ${(error as Error).message}`]);
  }
  try {
    return parseRelayConfig(json, mode);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.problems.map((p) => `${path}: ${p}`));
    throw error;
  }
}

/** Destinations that no route names: they would never receive anything. */
export function unroutedDestinations(config: RelayConfig): string[] {
  return config.destinations.filter((d) => !config.routes.some((r) => r.to.includes(d.name))).map((d) => d.name);
}
