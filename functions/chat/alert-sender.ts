import type { ChatView } from '../alerts';
import type { DestinationKind } from '../config';

/** Posts an alert, or a digest of many, to one destination; rejects with a DeliveryError. */
export interface AlertSender {
  readonly kind: DestinationKind;
  /** What a send did, as log lines say it. @default 'posted' */
  readonly verb?: SendVerb;
  send(view: ChatView): Promise<void>;
}

/**
 * `posted` to a chat platform, `previewed` on the console for a chat destination without a URL, `printed` by the
 * console destination: a log line never says an alert reached a channel when it did not.
 */
export type SendVerb = 'posted' | 'previewed' | 'printed';

export interface SenderOptions {
  /** Every send has a timeout; a send still running then is a retryable failure. */
  readonly timeoutMs: number;
}

export const DEFAULT_SEND_TIMEOUT_MS = 10_000;
