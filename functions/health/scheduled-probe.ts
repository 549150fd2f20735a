import { type HealthNotice, healthNotice, heartbeatNotice } from '../alerts';
import { APP_CHAT_KIND, type ChatKind, checkDestinationUrl, checkedByHeartbeat } from '../chat';
import type { DestinationKind } from '../config';
import type { Logger } from '../observability';
import { alarmNotice, noticeTargets } from './alarm-notice';
import { probeAppDestination, probeDestination, type ProbeResult } from './probe';

/**
 * One run of the deployed probe: every destination's URL is read from its secret and probed silently (Slack), a
 * metric per destination says broken (1) or ok (0), Teams destinations get the opt-in visible heartbeat on their
 * own queue, and each relay alarm that stays in ALARM gets a reminder once per `reminderHours` window.
 */

export interface ProbedDestination {
  readonly name: string;
  /** The configured kind, if any; a loopback URL needs it. */
  readonly kind?: ChatKind;
  /** Read on every run: a URL stored with `set-destination` is probed at the next run. */
  readonly readUrl: () => Promise<string>;
  /** A Slack app's channel: its secret (`readUrl`) then holds the bot token, checked with auth.test. */
  readonly channel?: string;
}

/** What DescribeAlarms tells of an alarm in ALARM; only names, the metric and its dimensions are read. */
export interface AlarmInAlarm {
  readonly AlarmName?: string;
  readonly StateUpdatedTimestamp?: Date;
  readonly StateReason?: string;
  readonly MetricName?: string;
  readonly Namespace?: string;
  readonly Dimensions?: readonly { readonly Name?: string; readonly Value?: string }[];
  readonly AlarmActions?: readonly string[];
}

export interface ScheduledProbeDeps {
  readonly destinations: readonly ProbedDestination[];
  readonly heartbeat: boolean;
  /** Deployed, never: the tests' fake chat servers listen on 127.0.0.1. */
  readonly allowLoopbackHttp: boolean;
  /** Where Slack apps' Web API lives. @default Slack's */
  readonly slackApiBaseUrl?: string;
  readonly reminderMs: number;
  /** How often the probe runs: a reminder is queued by the first run of its window. */
  readonly intervalMs: number;
  readonly to?: readonly string[];
  /** The relay's alarms in ALARM that act on its health topic. */
  readonly alarmsInAlarm: () => Promise<readonly AlarmInAlarm[]>;
  /** Queues a notice on one destination's queue; a failure fails the run, and the schedule retries it. */
  readonly queue: (destination: string, notice: HealthNotice) => Promise<void>;
  readonly metric: (destination: string, broken: 0 | 1) => void;
  readonly logger: Logger;
  readonly now: Date;
}

export interface ProbeRunSummary {
  readonly results: Readonly<Record<string, ProbeResult>>;
  readonly heartbeats: readonly string[];
  readonly reminders: readonly HealthNotice[];
}

async function probeOne(
  destination: ProbedDestination,
  { allowLoopbackHttp, slackApiBaseUrl }: Pick<ScheduledProbeDeps, 'allowLoopbackHttp' | 'slackApiBaseUrl'>,
): Promise<{ kind?: DestinationKind; result: ProbeResult }> {
  const { channel, name } = destination;
  if (channel !== undefined) {
    const secret = await destination.readUrl().catch(() => '');
    const source = { secret, ...(slackApiBaseUrl !== undefined ? { apiBaseUrl: slackApiBaseUrl } : {}) };
    return { kind: APP_CHAT_KIND, result: await probeAppDestination({ name, channel }, source) };
  }
  let url: string;
  let kind: DestinationKind;
  try {
    url = await destination.readUrl();
    const configured = destination.kind;
    kind = checkDestinationUrl(url, { allowLoopbackHttp, ...(configured ? { kind: configured } : {}) });
  } catch {
    // Before `set-destination`, or an invalid URL: the notifier would dead-letter every alert. The error could
    // name the URL, so only a code is kept.
    return { result: { status: 'broken', reason: 'no_valid_url_in_secret' } };
  }
  return { kind, result: await probeDestination(kind, url) };
}

/** The reminder due now for an alarm, if this run is the first of a new `reminderMs` window since it fired. */
export function reminderFor(alarm: AlarmInAlarm, now: Date, reminderMs: number, intervalMs: number) {
  const since = alarm.StateUpdatedTimestamp?.getTime();
  if (alarm.AlarmName === undefined || since === undefined || Number.isNaN(since)) return undefined;
  const elapsed = now.getTime() - since;
  const window = Math.floor(elapsed / reminderMs);
  if (window < 1 || elapsed - window * reminderMs >= intervalMs) return undefined;
  const notice = alarmNotice(
    JSON.stringify({
      AlarmName: alarm.AlarmName,
      NewStateValue: 'ALARM',
      NewStateReason: alarm.StateReason,
      StateChangeTime: new Date(since).toISOString(),
      Trigger: {
        MetricName: alarm.MetricName,
        Namespace: alarm.Namespace,
        Dimensions: (alarm.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value })),
      },
    }),
  );
  // The key depends on the alarm and the window: a retried run queues the same notice, which posts once. A flood of
  // requests without the token is told of once a day, never reminded of.
  if (notice?.part === 'strangers') return undefined;
  return notice && healthNotice({ ...notice, state: 'reminder', occurrence: `${alarm.AlarmName}#${window}` });
}

export async function runScheduledProbe(deps: ScheduledProbeDeps): Promise<ProbeRunSummary> {
  const { logger } = deps;
  const probed = await Promise.all(
    deps.destinations.map(async (d) => ({ name: d.name, ...(await probeOne(d, deps)) })),
  );
  const results: Record<string, ProbeResult> = {};
  const heartbeats: string[] = [];
  const sends: Promise<void>[] = [];
  for (const { name, kind, result } of probed) {
    results[name] = result;
    if (result.status === 'broken' || result.status === 'ok') deps.metric(name, result.status === 'broken' ? 1 : 0);
    if (result.status !== 'ok') {
      // Names and codes only: never the URL.
      logger.log(result.status === 'broken' ? 'error' : 'info', `destination probe: ${result.status}`, {
        destination: name,
        reason: result.reason,
      });
    }
    if (deps.heartbeat && checkedByHeartbeat(kind)) {
      // On the destination's own queue: a heartbeat that cannot be posted dead-letters and raises its alarm.
      heartbeats.push(name);
      sends.push(deps.queue(name, heartbeatNotice(name, deps.now)));
    }
  }
  const reminders: HealthNotice[] = [];
  const names = deps.destinations.map((d) => d.name);
  for (const alarm of await deps.alarmsInAlarm()) {
    const notice = reminderFor(alarm, deps.now, deps.reminderMs, deps.intervalMs);
    if (!notice) continue;
    reminders.push(notice);
    const targets = noticeTargets(notice, names, deps.to);
    if (targets.length === 0) logger.log('error', 'relay health reminder, and no other destination to tell', {});
    for (const target of targets) sends.push(deps.queue(target, notice));
    logger.log('info', 'relay health reminder queued', { reason: notice.reason, eventKey: notice.key });
  }
  await Promise.all(sends);
  return { results, heartbeats, reminders };
}
