import type { Clock, DedupStore, RetryPolicy, NotifierMetric, DeadLetterSink, FailureCounter } from '../delivery';
import type { RelayConfig } from '../config';
import type { Logger } from '../observability';
import type { LocalDestination } from './fanout';
import type { FileArchive } from '../archive';
import type { HealthMonitor } from '../health';

export interface LocalRelayOptions {
  /** Validated in `local` mode; a chat destination without a URL is previewed on the console. */
  readonly config: RelayConfig;
  readonly token: string;
  /** A `whsec_…` Standard Webhooks secret: when given, every webhook must be signed with it. */
  readonly signingSecret?: string;
  readonly fingerprintKey: string;
  readonly logger: Logger;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @default 3000 */
  readonly port?: number;
  /** Where console destinations print. @default process.stdout */
  readonly write?: (text: string) => void;
  /** @default DEFAULT_SEND_TIMEOUT_MS */
  readonly sendTimeoutMs?: number;
  /**
   * Where dead letters are kept (`<dataDir>/dead-letters/<destination>.jsonl`) and, when given, the journal of
   * accepted events (`<dataDir>/journal.jsonl`): without it, accepted events live in memory only.
   * @default '.relay-data', without a journal
   */
  readonly dataDir?: string;
  /** Where every accepted event is kept. @default a FileArchive in `<dataDir>/archive`, at the config's level */
  readonly archive?: Pick<FileArchive, 'append'>;
  /** @default a FileDeadLetterStore in dataDir */
  readonly deadLetters?: DeadLetterSink;
  /** @default a fresh MemoryDedupStore */
  readonly dedup?: DedupStore;
  /** @default DEFAULT_RETRY_POLICY */
  readonly retryPolicy?: RetryPolicy;
  /** As the queue's maxReceiveCount in AWS: tries before a dead letter, one a receive. @default DELIVERY_TRIES */
  readonly maxReceiveCount?: number;
  /** As the queue's visibility timeout. @default 1000 */
  readonly redeliveryDelayMs?: number;
  /** As the notifier's Lambda timeout. @default 30000 */
  readonly invocationBudgetMs?: number;
  /** Receives the notifier's counters, as CloudWatch does in AWS. */
  readonly metric?: (destination: string, name: NotifierMetric, value: number) => void;
  /** The clock of batching windows, pacing, retries and redelivery. @default systemClock */
  readonly clock?: Clock;
  /** Paubox's Email API, to show why a message failed. @default none: no lookups */
  readonly paubox?: { readonly apiBaseUrl: string; readonly apiKey: string };
  /** Counts each recipient's failures in 24 h. @default a fresh MemoryFailureCounter */
  readonly failureCounter?: FailureCounter;
  /** Serve the inspector page (on loopback only, behind a per-run key). @default true */
  readonly inspector?: boolean;
  /** Where the config came from (a path, or words), for the inspector. */
  readonly configSource?: string;
  /** How long after a part's first failure its health notice is sent, so a burst makes one notice. @default 2000 */
  readonly healthSettleMs?: number;
  /** Raise relay health notices from dead letters, quarantined webhooks and probes. @default true */
  readonly healthNotices?: boolean;
  /** How long after a burst begins the bounce rates are checked. @default DEFAULT_RATE_SETTLE_MS (2000) */
  readonly rateSettleMs?: number;
  /** Probe every destination silently at start and every `health.probeMinutes` (`serve` does). @default false */
  readonly probeDestinations?: boolean;
  /**
   * Where destinations in Slack app mode read their credentials (RELAY_SLACK_BOT_TOKEN…, SLACK_API_BASE_URL) and
   * the interactivity route its signing secrets (RELAY_SLACK_SIGNING_SECRET…).
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface LocalRelay {
  /** `http://host:port` */
  readonly baseUrl: string;
  /** The URL to give Paubox (or `send-sample`): base URL, `/paubox/`, token. */
  readonly webhookUrl: string;
  readonly destinations: readonly LocalDestination[];
  /** Raises relay health notices from the relay's own outcomes. */
  readonly health: HealthMonitor;
  /** Alerts accepted but not yet posted or dead-lettered (journaled relays only; else 0). */
  pendingAlerts(): number;
  /** The inspector page, with its per-run key: print it for the person who started the relay, never log it. */
  readonly inspectorUrl?: string;
  /** Checks every sender domain's bounce rate now (as the relay does after each burst), queuing what changed. */
  checkSending(): Promise<void>;
  /** Resolves once every accepted event has been handled by every destination it was routed to. */
  idle(): Promise<void>;
  /** Stops accepting, delivers everything accepted, then closes. */
  close(): Promise<void>;
  /**
   * Stops at once (Ctrl-C): refuses new webhooks, ends batches under way within `graceMs`, and keeps what was not
   * posted in the journal for the next start. Resolves with the number of alerts left pending.
   */
  stop(graceMs?: number): Promise<number>;
}
