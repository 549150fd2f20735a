import type * as z from 'zod/mini';
import {
  filterCombinations,
  filterKeys,
  filterPolicyFor,
  SNS_MAX_FILTER_COMBINATIONS,
  SNS_MAX_FILTER_KEYS,
  type Route,
  withFollowUps,
} from '../routing';
import { APP_CHAT_KIND } from '../chat/kinds';
import { DEFAULT_DEPLOY_WINDOW_SECONDS, DEFAULT_INGEST_CONFIG, DEFAULT_MIN_GROUP_SIZE } from './defaults';
import { ConfigError, DestinationUrlError } from './errors';
import { resolveHealthConfig } from './health-config';
import { resolveSendingConfig } from './sending-config';
import { resolveRecordConfig } from './record-config';
import {
  MAX_BATCH_SIZE,
  MAX_BATCH_SIZE_WITHOUT_WINDOW,
  MAX_MESSAGES_PER_SECOND,
  MAX_WINDOW_SECONDS,
  reservedConcurrencyProblems,
} from './limits';
import type {
  ConfigMode,
  DestinationConfig,
  DestinationUrlCheck,
  DigestConfig,
  IngestConfig,
  RelayConfig,
} from './relay-config';
import {
  alarmsSchema,
  type destinationSchema,
  explainIssue,
  lenientDestinationSchema,
  relayConfigSchema,
  routesSchema,
} from './schema';
import { didYouMean } from './suggest';
import { alarmsProblems, displayOf, pauboxOf } from './optional-sections';

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
  // Locally there is no SQS and its limit of 10 without a window: by default a run takes every pending event.
  const maxBatch = windowSeconds > 0 || mode === 'local' ? MAX_BATCH_SIZE : MAX_BATCH_SIZE_WITHOUT_WINDOW;
  const batchSize = raw.batchSize ?? maxBatch;
  if (!isWhole(batchSize, 1, maxBatch)) {
    problems.push(
      `${where}.digest.batchSize: expected a whole number from 1 to ${maxBatch}` +
        (windowSeconds > 0 ? '' : ` (above ${MAX_BATCH_SIZE_WITHOUT_WINDOW} SQS needs a windowSeconds of 1 or more)`),
    );
  }
  const minGroupSize = raw.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
  if (!isWhole(minGroupSize, 2, MAX_BATCH_SIZE)) {
    problems.push(
      `${where}.digest.minGroupSize: expected a whole number from 2 to ${MAX_BATCH_SIZE} (a digest covers at least 2 events)`,
    );
  }
  return { windowSeconds, batchSize, minGroupSize };
}

type RawDestination = z.infer<typeof destinationSchema>;

/** A Slack channel id: `C` (or `G`, for an older private channel) and upper-case letters and digits. */
export const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{6,20}$/;

/** What is wrong with an app-mode destination (one with a `channel`): its channel id, its kind, a `url` beside it. */
function channelProblems(d: RawDestination, where: string): string[] {
  const problems: string[] = [];
  if (!SLACK_CHANNEL_ID.test(d.channel ?? '')) {
    problems.push(
      `${where}.channel: expected a Slack channel id such as C0123ABCDEF (in Slack: the channel's name → About → ` +
        `Channel ID), not ${d.channel?.startsWith('#') ? 'its name' : 'this value'}`,
    );
  }
  if (d.kind !== undefined && d.kind !== APP_CHAT_KIND) {
    problems.push(
      `${where}.channel: only a Slack destination posts as an app; remove "channel" or set "kind": "slack"`,
    );
  }
  if (d.url !== undefined) {
    problems.push(
      `${where}.url: a destination with a "channel" posts as a Slack app with a bot token and takes no url; ` +
        'remove "url" (or remove "channel" to post to the webhook)',
    );
  }
  return problems;
}

/** Resolves one destination; each problem is reported with its path and what to write instead. */
function destinationOf(
  d: RawDestination,
  where: string,
  mode: ConfigMode,
  checkUrl: DestinationUrlCheck | undefined,
  problems: string[],
): DestinationConfig {
  let kind = d.kind;
  if (d.channel !== undefined) {
    problems.push(...channelProblems(d, where));
    if (kind === undefined) kind = APP_CHAT_KIND;
  } else if (d.url !== undefined) {
    if (mode === 'deploy') {
      problems.push(
        `${where}.url: inline URLs are refused when deploying (they would end up in the template); remove it, ` +
          `deploy, then store the URL in the destination's secret: npx paubox-relay set-destination ${d.name} - ` +
          '(paste the URL, press Enter, then Ctrl-D)',
      );
    } else if (kind === 'console') {
      problems.push(`${where}.url: a console destination takes no url`);
    } else {
      if (checkUrl === undefined) throw new Error('parse a local configuration with a URL check (checkDestinationUrl)');
      try {
        kind = checkUrl(d.url, { kind, allowLoopbackHttp: true });
      } catch (error) {
        if (!(error instanceof DestinationUrlError)) throw error;
        problems.push(`${where}.url ${error.message}`);
      }
    }
  }
  // Locally, a chat destination without a url is previewed on the console (chat/destination-sender.ts).
  const digest = digestOf(d.digest ?? {}, mode, where, problems);
  const rate = d.rateLimit?.messagesPerSecond;
  if (rate !== undefined) {
    if (kind === 'console') problems.push(`${where}.rateLimit: a console destination is not rate limited; remove it`);
    else if (!(rate > 0 && rate <= MAX_MESSAGES_PER_SECOND)) {
      problems.push(
        `${where}.rateLimit.messagesPerSecond: expected a number above 0 and at most ${MAX_MESSAGES_PER_SECOND} (Slack allows 1)`,
      );
    }
  }
  return {
    name: d.name,
    kind,
    detail: d.detail ?? 'minimal',
    ...(d.url !== undefined ? { url: d.url } : {}),
    ...(d.channel !== undefined ? { channel: d.channel } : {}),
    digest,
    ...(rate !== undefined ? { messagesPerSecond: rate } : {}),
  };
}

/** Route targets that name no destination, with the name each probably meant; read from the file as it is. */
function unknownTargets(rawRoutes: unknown, names: ReadonlySet<string>): string[] {
  if (!Array.isArray(rawRoutes)) return [];
  const defined = [...names];
  return rawRoutes.flatMap((route: unknown, i) => {
    const to = (route as { to?: unknown } | null)?.to;
    if (!Array.isArray(to)) return [];
    return to.flatMap((target: unknown, j) =>
      typeof target === 'string' && !names.has(target)
        ? [
            `routes[${i}].to[${j}]: no destination is named ${JSON.stringify(target)}${didYouMean(target, defined)} ` +
              `(defined: ${defined.join(', ') || 'none'})`,
          ]
        : [],
    );
  });
}

/** Destinations whose routes exceed what one SNS filter policy holds. */
function filterLimitProblems(routes: readonly Route[], destinations: readonly DestinationConfig[]): string[] {
  const problems: string[] = [];
  for (const d of destinations) {
    const routed = filterPolicyFor(d.name, routes);
    // An app-mode destination's subscription also admits the follow-ups of its alerts.
    const policy = routed && d.channel !== undefined ? withFollowUps(routed) : routed;
    if (policy && filterCombinations(policy) > SNS_MAX_FILTER_COMBINATIONS) {
      problems.push(
        `routes to "${d.name}" need ${filterCombinations(policy)} filter combinations, more than the ` +
          `${SNS_MAX_FILTER_COMBINATIONS} SNS allows; list fewer sender domains (a domain also covers its subdomains)`,
      );
    }
    if (policy && filterKeys(policy) > SNS_MAX_FILTER_KEYS) {
      problems.push(
        `routes to "${d.name}" need a filter policy of ${filterKeys(policy)} keys, more than the ` +
          `${SNS_MAX_FILTER_KEYS} SNS allows (each distinct senderDomains list adds 2); split the route: give ` +
          'those routes one shared senderDomains list, or send some of the domains to a second destination',
      );
    }
  }
  return problems;
}

const fieldOf = (raw: unknown, key: string): unknown =>
  typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined;

/**
 * Validates a relay configuration and resolves its defaults. A local configuration's inline URLs are checked with
 * `checkUrl` (chat/'s checkDestinationUrl), which also detects their platform. Every problem is found in one pass:
 * the checks across fields run on each part of the file that has the right shape, even when another part does not.
 *
 * @throws ConfigError listing every problem, each with the path of the field and what to change
 */
export function parseRelayConfig(raw: unknown, mode: 'deploy'): RelayConfig;
export function parseRelayConfig(raw: unknown, mode: ConfigMode, checkUrl: DestinationUrlCheck): RelayConfig;
export function parseRelayConfig(raw: unknown, mode: ConfigMode, checkUrl?: DestinationUrlCheck): RelayConfig {
  const parsed = relayConfigSchema.safeParse(raw);
  const problems: string[] = parsed.success ? [] : parsed.error.issues.flatMap((issue) => explainIssue(issue, raw));

  const names = new Set<string>();
  const destinations: DestinationConfig[] = [];
  const rawDestinations = fieldOf(raw, 'destinations');
  (Array.isArray(rawDestinations) ? rawDestinations : []).forEach((d: unknown, i) => {
    const where = `destinations[${i}]`;
    const name = fieldOf(d, 'name');
    if (typeof name === 'string') {
      if (names.has(name)) problems.push(`${where}.name: "${name}" is used twice; names must be unique`);
      names.add(name);
    }
    // Unknown keys are already reported; the rest of the destination is still checked.
    const one = lenientDestinationSchema.safeParse(d);
    if (one.success) destinations.push(destinationOf(one.data, where, mode, checkUrl, problems));
  });
  problems.push(...unknownTargets(fieldOf(raw, 'routes'), names));
  const routes = routesSchema.safeParse(fieldOf(raw, 'routes'));
  if (routes.success) problems.push(...filterLimitProblems(routes.data, destinations));
  const alarms = alarmsSchema.safeParse(fieldOf(raw, 'alarms'));
  if (alarms.success) problems.push(...alarmsProblems(alarms.data));
  const record = parsed.success ? resolveRecordConfig(parsed.data, names, problems) : {};
  const health = resolveHealthConfig(parsed.success ? parsed.data.health : undefined, names, problems);
  const sending = resolveSendingConfig(parsed.success ? parsed.data : undefined, names, problems);
  const paubox = parsed.success && parsed.data.paubox ? pauboxOf(parsed.data.paubox, mode, problems) : undefined;
  const display = parsed.success && parsed.data.display ? displayOf(parsed.data.display, problems) : undefined;
  if (parsed.success && parsed.data.ingest) problems.push(...reservedConcurrencyProblems(parsed.data.ingest));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const ingest: IngestConfig = { ...DEFAULT_INGEST_CONFIG, ...parsed.data.ingest };
  const given = parsed.data.alarms;
  return {
    destinations,
    routes: parsed.data.routes,
    ingest,
    health,
    ...sending,
    ...(given ? { alarms: { ...given } } : {}),
    ...record,
    ...(paubox ? { paubox } : {}),
    ...(display ? { display } : {}),
    ...(parsed.data.selfTest === false ? { selfTest: false } : {}),
    ...(parsed.data.relayId !== undefined ? { relayId: parsed.data.relayId } : {}),
  };
}

/** Destinations that no route names: they would never receive anything. */
export function unroutedDestinations(config: RelayConfig): string[] {
  return config.destinations.filter((d) => !config.routes.some((r) => r.to.includes(d.name))).map((d) => d.name);
}
