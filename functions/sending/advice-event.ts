import { AUTOMATION_SOURCE } from '../archive/automation-event';
import type { Advice, AdviceSettings } from './advice';

/** The detail type of the automation event put on the relay's bus for each new advice. */
export const ADVICE_DETAIL_TYPE = 'RecipientSuppressionAdvised';

/** The contract between the construct and the notifiers for advice: one definition both sides import. */
export const ADVICE_ENV = {
  /** {@link AdviceSettings} as JSON. */
  settings: 'ADVICE_SETTINGS',
  /** The relay's bus, with `automation.eventBridge`: each new advice is put on it. */
  bus: 'ADVICE_EVENT_BUS_NAME',
} as const;

export function readAdviceSettings(env: NodeJS.ProcessEnv): AdviceSettings | undefined {
  const raw = env[ADVICE_ENV.settings];
  return raw ? (JSON.parse(raw) as AdviceSettings) : undefined;
}

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
