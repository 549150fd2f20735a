import { createDestinationSender } from '../chat';
import type { RelayConfig } from '../config';
import { filterPolicyFor } from '../routing';
import type { LocalDestination } from './fanout';

/** The destinations some route sends to, each with its filter policy and its sender (a console preview without a url). */
export function localDestinations(
  config: RelayConfig,
  options: { readonly timeoutMs: number; readonly write?: ((text: string) => void) | undefined },
): LocalDestination[] {
  return config.destinations.flatMap((d) => {
    const policy = filterPolicyFor(d.name, config.routes);
    if (!policy) return [];
    const sender = createDestinationSender(d.kind, d.url, { timeoutMs: options.timeoutMs, write: options.write });
    return [
      {
        name: d.name,
        detail: d.detail,
        policy,
        sender,
        digest: d.digest,
        ...(d.messagesPerSecond !== undefined ? { messagesPerSecond: d.messagesPerSecond } : {}),
      },
    ];
  });
}
