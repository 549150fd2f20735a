import { createHash } from 'node:crypto';

/**
 * A relay health notice: a problem with the relay itself (a broken destination, quarantined webhooks, an alarm),
 * posted to chat like an alert. It is built only from the relay's own names and codes, never from a payload, so it
 * holds no PHI whatever a destination's detail level.
 */

/** The first words of a notice's Slack `text` and Teams card title, so people and filters can tell it apart. */
export const HEALTH_PREFIX = 'Relay health:';

/**
 * `problem` when a part breaks, `reminder` while it stays broken, `resolved` when it works again; `heartbeat` is
 * the opt-in visible check of a destination that cannot be probed silently (Teams).
 */
export const HEALTH_STATES = ['problem', 'reminder', 'resolved', 'heartbeat'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/**
 * What a notice is about: a destination, or a part of the relay shared by all. `strangers` is requests without the
 * token, refused at the edge: nothing of the relay is broken, so it is never reminded of nor resolved.
 */
export const HEALTH_PARTS = ['destination', 'ingest', 'quarantine', 'probe', 'delivery', 'strangers'] as const;
export type HealthPart = (typeof HEALTH_PARTS)[number];

export interface HealthNotice {
  /** Tells a queued notice from a queued event. */
  readonly health: true;
  /** De-duplication key: one notice per change of state, whoever raises it and however often it is queued. */
  readonly key: string;
  readonly state: HealthState;
  readonly part: HealthPart;
  /** The destination or resource concerned: a destination name, or a part's own name such as `ingest`. */
  readonly subject: string;
  /** A short code: `no_service`, `channel_is_archived`, `quarantined`, `alarm`… */
  readonly reason: string;
  /** How many alerts (or webhooks, for ingest and quarantine) are affected so far. */
  readonly affected: number;
  /** When the state began, ISO 8601. */
  readonly since: string;
}

/** Destination and part names, and reason codes: the only text a notice carries. */
const NAME = /^[a-z][a-z0-9-]{0,63}$/;
const CODE = /^[a-z0-9_]{1,64}$/;

/** A code safe to show, or `unknown`: reasons come from platform answers and alarm names. */
export function safeCode(text: string): string {
  const code = text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 64);
  return CODE.test(code) ? code : 'unknown';
}

export function healthKey(...parts: readonly (string | number)[]): string {
  return `health-${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 24)}`;
}

/** Builds a notice; its key depends on what it says and when the state began, so a re-raise is a duplicate. */
export function healthNotice(
  fields: Omit<HealthNotice, 'health' | 'key'> & { readonly occurrence?: string | number },
): HealthNotice {
  // A notice spread into another carries its key: leave it out, so the key is always recomputed.
  const { occurrence, state, part, since } = fields;
  const rest = { state, part, since, subject: fields.subject, reason: fields.reason, affected: fields.affected };
  const subject = NAME.test(rest.subject) ? rest.subject : 'relay';
  const reason = safeCode(rest.reason);
  const affected = Number.isSafeInteger(rest.affected) && rest.affected >= 0 ? rest.affected : 0;
  const key = healthKey(rest.state, rest.part, subject, reason, rest.since, occurrence ?? '');
  return { health: true, key, ...rest, subject, reason, affected };
}

/** A queued record's body when it holds a notice; every field is checked, since anyone may write to a queue. */
export function decodeHealthNotice(body: string): HealthNotice | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || (value as { health?: unknown }).health !== true) return undefined;
  const n = value as Record<keyof HealthNotice, unknown>;
  const ok =
    typeof n.key === 'string' &&
    /^health-[0-9a-f]{24}$/.test(n.key) &&
    HEALTH_STATES.includes(n.state as never) &&
    HEALTH_PARTS.includes(n.part as never) &&
    typeof n.subject === 'string' &&
    NAME.test(n.subject) &&
    typeof n.reason === 'string' &&
    CODE.test(n.reason) &&
    Number.isSafeInteger(n.affected) &&
    typeof n.since === 'string' &&
    !Number.isNaN(Date.parse(n.since));
  if (!ok) return undefined;
  return {
    health: true,
    key: n.key as string,
    state: n.state as HealthState,
    part: n.part as HealthPart,
    subject: n.subject as string,
    reason: n.reason as string,
    affected: n.affected as number,
    since: new Date(n.since as string).toISOString(),
  };
}

/** The visible check of `destination`, posted to it alone; one per scheduled run. */
export function heartbeatNotice(destination: string, at: Date): HealthNotice {
  const since = at.toISOString();
  return healthNotice({
    state: 'heartbeat',
    part: 'destination',
    subject: destination,
    reason: 'scheduled_check',
    affected: 0,
    since,
  });
}

export function isHealthNotice(view: object): view is HealthNotice {
  return (view as { health?: unknown }).health === true;
}
