import type { RelayConfig } from '../../config';
import type { RelayEvent } from '../../paubox';
import {
  explainFilterPolicy,
  filterPolicyFor,
  matchesFilterPolicy,
  routingAttributes,
  type FilterPolicy,
} from '../../routing';
import type { RoutingDecision } from './api-types';

/**
 * Every configured destination's verdict on an event: the policy the fan-out evaluated, the term that decided,
 * and which of the config's routes (numbered from 1) carry the event there.
 */
export function routingDecisions(
  event: RelayEvent,
  config: RelayConfig,
  policies: ReadonlyMap<string, FilterPolicy>,
): RoutingDecision[] {
  const attributes = routingAttributes(event);
  return config.destinations.map((d) => {
    const policy = policies.get(d.name);
    if (!policy) {
      return { destination: d.name, matched: false, routes: [], term: 'no route names this destination' };
    }
    const { matched, term } = explainFilterPolicy(policy, attributes);
    const routes = config.routes.flatMap((route, i) => {
      const own = filterPolicyFor(d.name, [route]);
      return own && matchesFilterPolicy(own, attributes) ? [i + 1] : [];
    });
    return { destination: d.name, matched, routes, term };
  });
}
