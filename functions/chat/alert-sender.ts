import type { ChatView } from '../alerts';
import type { DestinationKind } from '../config';

/** Posts an alert, or a digest of many, to one destination; rejects with a DeliveryError. */
export interface AlertSender {
  readonly kind: DestinationKind;
  send(view: ChatView): Promise<void>;
}

export interface SenderOptions {
  /** Every send has a timeout; a send still running then is a retryable failure. */
  readonly timeoutMs: number;
}

export const DEFAULT_SEND_TIMEOUT_MS = 10_000;
