import { Annotations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { pascalCaseName, unroutedDestinations, type DestinationConfig, type RelayConfig } from '../../functions/config';
import { filterPolicyFor, type FilterPolicy, withFollowUps } from '../../functions/routing';

/** A chat destination to deploy. */
export interface PlannedDestination {
  readonly destination: DestinationConfig;
  /** PascalCase name, the stem of its construct ids and output names. */
  readonly id: string;
  /** Its subscription's filter policy: the routes', and for a Slack app the follow-ups of its alerts too. */
  readonly policy: FilterPolicy;
  /** The routes that send events to it, as an SNS filter policy. */
  readonly routed: FilterPolicy;
}

/**
 * The destinations to deploy, with their construct ids and filter policies; warns on `scope` about unrouted ones,
 * and when no chat destination is left.
 * Planned before any resource exists, so an invalid configuration fails fast, without bundling anything.
 * @throws Error when two destination names would share a construct id
 */
export function planDestinations(scope: Construct, config: RelayConfig): PlannedDestination[] {
  const unrouted = new Set(unroutedDestinations(config));
  const namesById = new Map<string, string>();
  const plan: PlannedDestination[] = [];
  for (const destination of config.destinations) {
    const { name } = destination;
    // A console destination is the local relay's terminal, by its kind: leaving it out is what its author meant
    // (validate-config lists it as not deployed), so it earns no warning on every synth.
    if (destination.kind === 'console') continue;
    const policy = filterPolicyFor(name, config.routes);
    if (unrouted.has(name) || policy === undefined) {
      Annotations.of(scope).addWarningV2(
        `paubox-alert-relay:unroutedDestination:${name}`,
        `No route sends events to destination "${name}", so it is not deployed; ` +
          `add it to a route's "to" or remove it.`,
      );
      continue;
    }
    const id = pascalCaseName(name);
    const clash = namesById.get(id);
    if (clash !== undefined) {
      throw new Error(`destinations "${clash}" and "${name}" would share the resource name ${id}; rename one of them`);
    }
    namesById.set(id, name);
    // A Slack app also receives `delivered` and `opened`, which its notifier posts only into its alerts' threads.
    const subscribed = destination.channel !== undefined ? withFollowUps(policy) : policy;
    plan.push({ destination, id, policy: subscribed, routed: policy });
  }
  if (plan.length === 0) {
    Annotations.of(scope).addWarningV2(
      'paubox-alert-relay:noDestinations',
      'No chat destination is deployed, so accepted webhooks reach nobody; add a slack/teams destination and route.',
    );
  }
  return plan;
}
