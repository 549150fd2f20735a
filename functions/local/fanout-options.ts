import type {
  Clock,
  DeadLetterSink,
  DedupStore,
  FollowUps,
  RetryPolicy,
  NotifierMetric,
  NotifyEnrichment,
  RecordOutcome,
  PostPacer,
} from '../delivery';
import type { DigestConfig, DetailLevel } from '../config';
import type { Logger } from '../observability';
import type { FilterPolicy } from '../routing';
import type { AlertSender } from '../chat';
import type { LocalJournal } from './journal';
import type { RelayObserver } from './observer';
import type { SilenceStore } from '../sending';

export interface LocalDestination {
  readonly name: string;
  readonly detail: DetailLevel;
  /** The same policy the stack gives this destination's SNS subscription. */
  readonly policy: FilterPolicy;
  readonly sender: AlertSender;
  /** Batching window, batch size and digest threshold, as the destination's SQS event source in AWS. */
  readonly digest: DigestConfig;
  /** @default the platform's (DEFAULT_MESSAGES_PER_SECOND) */
  readonly messagesPerSecond?: number;
  /** Slack app mode: follow-ups go into their message's thread, and those the routes do not ask for only there. */
  readonly followUps?: FollowUps;
}

export interface LocalFanoutOptions {
  readonly destinations: readonly LocalDestination[];
  readonly fingerprintKey: string;
  readonly logger: Logger;
  readonly dedup: DedupStore;
  readonly deadLetters: DeadLetterSink;
  readonly retryPolicy: RetryPolicy;
  readonly sendTimeoutMs: number;
  /** As the queue's maxReceiveCount in AWS. */
  readonly maxReceiveCount: number;
  /** As the queue's visibility timeout: how long a handed-back record waits before its next receive. */
  readonly redeliveryDelayMs: number;
  /** Time budget of one "invocation" (one batch), as the Lambda timeout. */
  readonly invocationBudgetMs: number;
  readonly metric?: (destination: string, name: NotifierMetric, value: number) => void;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Rate limits of the destinations. @default a MemoryPacer on the clock */
  readonly pacer?: PostPacer;
  /** Told the final outcome of every record (posted, duplicate, dead-lettered), as health watches it. */
  readonly onOutcome?: (destination: string, outcome: Pick<RecordOutcome, 'result' | 'reason'>) => void;
  /** Why and how often messages failed. @default none */
  readonly enrichment?: NotifyEnrichment;
  /** `display.timeZone`. @default 'UTC' */
  readonly timeZone?: string;
  /** Where accepted events and their outcomes are kept across restarts. @default none: in memory only */
  readonly journal?: LocalJournal;
  /** Told of each record queued and of each verdict (the inspector). */
  readonly observer?: RelayObserver;
  /**
   * A destination known broken (broken-destination.ts) is tried again when the probe finds it working
   * (`destinationWorks`), else after this long. @default one hour, the default probe interval
   */
  readonly retryBrokenMs?: number;
  /** In [0, 1): the jitter of retry backoffs. @default Math.random */
  readonly random?: () => number;
  /** Folds the failures of a sender domain whose bounce-rate alert fires into digests, for `targets`. @default none */
  readonly inhibit?: {
    readonly targets: readonly string[];
    readonly firing: (senderDomain: string) => Promise<boolean>;
  };
  /** Silences that hold events back. @default none */
  readonly silences?: Pick<SilenceStore, 'list' | 'hid'>;
}
