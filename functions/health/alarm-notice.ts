import { type HealthNotice, type HealthPart, healthNotice, safeCode } from '../alerts';
import { DESTINATION_DIMENSION, DESTINATION_PROBE_METRIC, REQUESTS_WITHOUT_TOKEN_METRIC } from '../observability';

/**
 * Turns the message CloudWatch publishes on an alarm's change of state into a health notice: ALARM is a problem,
 * OK after it is resolved, INSUFFICIENT_DATA says nothing. Only names, the metric and a count are read from it;
 * the alarm's own text is not copied.
 */
interface AlarmMessage {
  readonly AlarmName?: unknown;
  readonly NewStateValue?: unknown;
  readonly OldStateValue?: unknown;
  readonly NewStateReason?: unknown;
  readonly StateChangeTime?: unknown;
  readonly Trigger?: {
    readonly MetricName?: unknown;
    readonly Namespace?: unknown;
    readonly Dimensions?: readonly { readonly name?: unknown; readonly value?: unknown }[];
  };
}

/** Which part an alarm is about, from its metric: per-destination metrics carry the destination's name. */
function partOf(message: AlarmMessage): { part: HealthPart; subject: string } {
  if (message.Trigger?.MetricName === REQUESTS_WITHOUT_TOKEN_METRIC)
    return { part: 'strangers', subject: 'webhook-url' };
  const dimensions = message.Trigger?.Dimensions ?? [];
  const destination = dimensions.find((d) => d.name === DESTINATION_DIMENSION)?.value;
  if (typeof destination === 'string') return { part: 'destination', subject: destination };
  const metric = String(message.Trigger?.MetricName ?? '');
  const queue = dimensions.find((d) => d.name === 'QueueName')?.value;
  // The ingest dead-letter queue is the deployed quarantine.
  const ingestDlq = typeof queue === 'string' && /ingest/i.test(queue) && /dead-?letter|dlq/i.test(queue);
  if (/quarantin/i.test(metric) || ingestDlq || (typeof queue === 'string' && /quarantin/i.test(queue))) {
    return { part: 'quarantine', subject: 'quarantine' };
  }
  // The probe function's generated name holds its logical id, `…ProbeFunction…`.
  const fn = dimensions.find((d) => d.name === 'FunctionName')?.value;
  const probeFunction = typeof fn === 'string' && /ProbeFunction/.test(fn);
  if (/probe/i.test(metric) || probeFunction) return { part: 'probe', subject: 'probe' };
  if (typeof queue === 'string' && /-dlq|deadletter/i.test(queue)) return { part: 'delivery', subject: 'delivery' };
  return { part: 'ingest', subject: 'ingest' };
}

/** The datapoint CloudWatch quotes in its reason, "[3.0 (20/11/26 14:03:00)]", as a count. */
function affectedOf(reason: unknown): number {
  const match = typeof reason === 'string' ? /\[(\d+(?:\.\d+)?) \(/.exec(reason) : null;
  return match ? Math.round(Number(match[1])) : 0;
}

export function alarmNotice(raw: string): HealthNotice | undefined {
  let message: AlarmMessage;
  try {
    message = JSON.parse(raw) as AlarmMessage;
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null || typeof message.AlarmName !== 'string') return undefined;
  const state = message.NewStateValue;
  if (state !== 'ALARM' && !(state === 'OK' && message.OldStateValue === 'ALARM')) return undefined;
  const time = typeof message.StateChangeTime === 'string' ? Date.parse(message.StateChangeTime) : Number.NaN;
  const metric = String(message.Trigger?.MetricName ?? 'alarm');
  const { part, subject } = partOf(message);
  if (part === 'strangers') return strangersNotice(state, time, message.NewStateReason);
  // The probe's data point is a verdict (1), not a count of alerts.
  const probed = metric === DESTINATION_PROBE_METRIC;
  const reason = probed
    ? 'probe_found_broken'
    : part === 'destination' && /broken/i.test(metric)
      ? 'destination_refuses_posts'
      : safeCode(metric);
  return healthNotice({
    state: state === 'ALARM' ? 'problem' : 'resolved',
    part,
    subject,
    reason,
    affected: probed ? 0 : affectedOf(message.NewStateReason),
    since: new Date(Number.isNaN(time) ? Date.now() : time).toISOString(),
    // Two alarms of one part at one moment are two notices.
    occurrence: message.AlarmName,
  });
}

const DAY_MS = 86_400_000;

/**
 * Requests without the token: a notice when the flood alarm fires, keyed by the UTC day, so however often the alarm
 * flaps the notifiers' de-duplication lets one a day through; none when it ends (nothing of the relay was broken).
 */
function strangersNotice(state: unknown, time: number, reason: unknown): HealthNotice | undefined {
  if (state !== 'ALARM') return undefined;
  const day = Math.floor((Number.isNaN(time) ? Date.now() : time) / DAY_MS) * DAY_MS;
  return healthNotice({
    state: 'problem',
    part: 'strangers',
    subject: 'webhook-url',
    reason: 'requests_without_token',
    affected: affectedOf(reason),
    since: new Date(day).toISOString(),
    occurrence: 'strangers',
  });
}

/** Where a notice goes: `health.to`, else every destination but the one it is about. */
export function noticeTargets(
  notice: HealthNotice,
  destinations: readonly string[],
  to: readonly string[] | undefined,
): string[] {
  const affected = notice.part === 'destination' ? notice.subject : undefined;
  return (to ?? destinations).filter((name) => name !== affected);
}
