import type { EventType, RelayEvent } from '../paubox';

/**
 * Routing is expressed once, as SNS subscription filter policies on two message attributes.
 * The deployed stack hands these policies to SNS; the local relay evaluates the very same objects
 * with {@link matchesFilterPolicy}, so both route identically.
 */
export const ATTR_EVENT_TYPE = 'event_type';
export const ATTR_SENDER_DOMAIN = 'sender_domain';

/** SNS allows at most 150 value combinations in one subscription's filter policy. */
export const SNS_MAX_FILTER_COMBINATIONS = 150;
/** SNS allows at most 5 attribute keys in one filter policy, each `$or` branch's keys counted. */
export const SNS_MAX_FILTER_KEYS = 5;

export interface Route {
  /** Event types this route carries. */
  readonly events: readonly EventType[];
  /** Sending domains this route is limited to; each also matches its subdomains. Omitted: any domain. */
  readonly senderDomains?: readonly string[];
  /** Names of the destinations that receive the matching events. */
  readonly to: readonly string[];
}

export type DomainMatcher = string | { readonly suffix: string };

export interface FilterClause {
  readonly [ATTR_EVENT_TYPE]: readonly string[];
  readonly [ATTR_SENDER_DOMAIN]?: readonly DomainMatcher[];
}

export type FilterPolicy = FilterClause | { readonly $or: readonly FilterClause[] };

export interface RoutingAttributes {
  readonly [ATTR_EVENT_TYPE]: string;
  readonly [ATTR_SENDER_DOMAIN]: string;
}

export function routingAttributes(event: RelayEvent): RoutingAttributes {
  return { [ATTR_EVENT_TYPE]: event.type, [ATTR_SENDER_DOMAIN]: event.senderDomain };
}

/** `clinic.example.com` matches itself and any subdomain, such as `mail.clinic.example.com`. */
function domainMatchers(domains: readonly string[]): DomainMatcher[] {
  return [...new Set(domains.map((d) => d.toLowerCase()))]
    .sort()
    .flatMap((d): DomainMatcher[] => [d, { suffix: `.${d}` }]);
}

/**
 * The filter policy of one destination's subscription: the union of the routes that name it.
 * Routes with the same domain list are merged, so the policy stays as small as the routes allow.
 *
 * @returns undefined when no route names the destination
 */
export function filterPolicyFor(destination: string, routes: readonly Route[]): FilterPolicy | undefined {
  const byDomains = new Map<string, { domains?: readonly string[]; events: Set<string> }>();
  for (const route of routes) {
    if (!route.to.includes(destination)) continue;
    const domains = route.senderDomains && route.senderDomains.length > 0 ? route.senderDomains : undefined;
    const signature = domains ? [...new Set(domains.map((d) => d.toLowerCase()))].sort().join(',') : '*';
    const entry = byDomains.get(signature) ?? { domains, events: new Set<string>() };
    for (const e of route.events) entry.events.add(e);
    byDomains.set(signature, entry);
  }
  if (byDomains.size === 0) return undefined;

  const unrestricted = byDomains.get('*')?.events ?? new Set<string>();
  const clauses: FilterClause[] = [];
  for (const { domains, events } of byDomains.values()) {
    // Events already routed for every domain need no domain-specific clause.
    const remaining = [...events].filter((e) => domains === undefined || !unrestricted.has(e)).sort();
    if (remaining.length === 0) continue;
    clauses.push(
      domains
        ? { [ATTR_EVENT_TYPE]: remaining, [ATTR_SENDER_DOMAIN]: domainMatchers(domains) }
        : { [ATTR_EVENT_TYPE]: remaining },
    );
  }
  return clauses.length === 1 ? clauses[0]! : { $or: clauses };
}

/** The events that follow up an alert about a message: in Slack app mode they update its thread. */
export const FOLLOW_UP_EVENTS = ['delivered', 'opened'] as const satisfies readonly EventType[];

/**
 * A Slack app-mode destination's subscription policy: its routes' policy, plus every `delivered` and `opened` event,
 * which its notifier posts only into the thread of an alert about the same message (and drops otherwise).
 */
export function withFollowUps(policy: FilterPolicy): FilterPolicy {
  const clauses = filterClauses(policy);
  const everywhere = clauses.find((c) => c[ATTR_SENDER_DOMAIN] === undefined);
  // Into the clause without domains when there is one: no key more for SNS to count.
  const merged: FilterClause[] = everywhere
    ? clauses.map((c) =>
        c === everywhere ? { [ATTR_EVENT_TYPE]: [...new Set([...c[ATTR_EVENT_TYPE], ...FOLLOW_UP_EVENTS])].sort() } : c,
      )
    : [...clauses, { [ATTR_EVENT_TYPE]: [...FOLLOW_UP_EVENTS] }];
  return merged.length === 1 ? merged[0]! : { $or: merged };
}

export function filterClauses(policy: FilterPolicy): readonly FilterClause[] {
  return '$or' in policy ? policy.$or : [policy];
}

/** The event types a policy lets through, in the order its clauses name them. */
export function eventTypesOf(policy: FilterPolicy): string[] {
  return [...new Set(filterClauses(policy).flatMap((clause) => clause[ATTR_EVENT_TYPE]))];
}

/** SNS counts every combination of values across a policy's keys, summed over `$or` branches. */
export function filterCombinations(policy: FilterPolicy): number {
  return filterClauses(policy).reduce(
    (sum, clause) => sum + clause[ATTR_EVENT_TYPE].length * (clause[ATTR_SENDER_DOMAIN]?.length ?? 1),
    0,
  );
}

/** The attribute keys SNS counts against {@link SNS_MAX_FILTER_KEYS}: every key of every `$or` branch. */
export function filterKeys(policy: FilterPolicy): number {
  return filterClauses(policy).reduce((sum, clause) => sum + Object.keys(clause).length, 0);
}

function matchesValue(matcher: DomainMatcher, value: string): boolean {
  return typeof matcher === 'string' ? matcher === value : value.endsWith(matcher.suffix);
}

/** Evaluates a policy produced by {@link filterPolicyFor} the way SNS does. */
export function matchesFilterPolicy(policy: FilterPolicy, attributes: RoutingAttributes): boolean {
  return filterClauses(policy).some(
    (clause) =>
      clause[ATTR_EVENT_TYPE].includes(attributes[ATTR_EVENT_TYPE]) &&
      (clause[ATTR_SENDER_DOMAIN] === undefined ||
        clause[ATTR_SENDER_DOMAIN].some((m) => matchesValue(m, attributes[ATTR_SENDER_DOMAIN]))),
  );
}
