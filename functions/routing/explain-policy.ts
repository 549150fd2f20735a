import {
  ATTR_EVENT_TYPE,
  ATTR_SENDER_DOMAIN,
  filterClauses,
  type DomainMatcher,
  type FilterPolicy,
  type RoutingAttributes,
} from './filter-policy';

/** Whether a filter policy lets an event through, and the term of the policy that decided it, in words. */
export interface PolicyExplanation {
  readonly matched: boolean;
  /** e.g. `event_type permanent_failure in [permanent_failure, temporary_failure]`. */
  readonly term: string;
}

function describeMatcher(matcher: DomainMatcher): string {
  return typeof matcher === 'string' ? matcher : `*${matcher.suffix}`;
}

function matches(matcher: DomainMatcher, value: string): boolean {
  return typeof matcher === 'string' ? matcher === value : value.endsWith(matcher.suffix);
}

/**
 * Evaluates a policy as {@link matchesFilterPolicy} does, saying which term decided: the first `$or` branch that
 * matched, or, when none did, the term that failed in each branch.
 */
export function explainFilterPolicy(policy: FilterPolicy, attributes: RoutingAttributes): PolicyExplanation {
  const clauses = filterClauses(policy);
  const type = attributes[ATTR_EVENT_TYPE];
  const domain = attributes[ATTR_SENDER_DOMAIN];
  const misses: string[] = [];
  for (const [i, clause] of clauses.entries()) {
    const branch = clauses.length > 1 ? ` ($or branch ${i + 1} of ${clauses.length})` : '';
    const types = `[${clause[ATTR_EVENT_TYPE].join(', ')}]`;
    if (!clause[ATTR_EVENT_TYPE].includes(type)) {
      misses.push(`${ATTR_EVENT_TYPE} ${type} not in ${types}${branch}`);
      continue;
    }
    const domains = clause[ATTR_SENDER_DOMAIN];
    if (domains === undefined) return { matched: true, term: `${ATTR_EVENT_TYPE} ${type} in ${types}${branch}` };
    const hit = domains.find((m) => matches(m, domain));
    if (hit !== undefined) {
      return {
        matched: true,
        term: `${ATTR_EVENT_TYPE} ${type} in ${types} and ${ATTR_SENDER_DOMAIN} ${domain} matches ${describeMatcher(hit)}${branch}`,
      };
    }
    misses.push(
      `${ATTR_SENDER_DOMAIN} ${domain} matches none of [${domains.map(describeMatcher).join(', ')}]${branch}`,
    );
  }
  return { matched: false, term: misses.join('; ') };
}
