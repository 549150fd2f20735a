/** SNS filter policies from routes, and their evaluation for the local relay: the face of routing/. */
export { explainFilterPolicy } from './explain-policy';
export {
  eventTypesOf,
  filterCombinations,
  filterKeys,
  type FilterPolicy,
  filterPolicyFor,
  FOLLOW_UP_EVENTS,
  matchesFilterPolicy,
  type Route,
  routingAttributes,
  type RoutingAttributes,
  SNS_MAX_FILTER_COMBINATIONS,
  SNS_MAX_FILTER_KEYS,
  withFollowUps,
} from './filter-policy';
