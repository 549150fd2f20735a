import { AUTOMATION_SOURCE } from '../archive';
import type { Advice } from './advice';

/** The detail type of the automation event put on the relay's bus for each new advice. */
export const ADVICE_DETAIL_TYPE = 'RecipientSuppressionAdvised';

/**
 * The PutEvents entry of a new advice: the fingerprint, the recipient's domain, times and count (never the
 * address), so a rule can start the follow-up (mark the address in the practice system, say).
 */
export function adviceEntry(advice: Advice, busName: string) {
  return {
    Source: AUTOMATION_SOURCE,
    DetailType: ADVICE_DETAIL_TYPE,
    Detail: JSON.stringify(advice),
    EventBusName: busName,
    Time: new Date(advice.advisedAt),
  };
}
