import type { AlertSender, SlackThreadStore } from '../../chat';
import type { DetailLevel } from '../../config';
import type { Logger } from '../../observability';
import type { RelayEvent } from '../../paubox';
import type { DeadLetterSink } from '../dead-letters/dead-letter';
import type { DedupStore } from '../dedup/dedup-store';
import type { FailureCounter } from '../failure-counts/failure-counter';
import type { PacingOptions, SendBudget } from '../paced-sender';
import type { Advice, AdviceStore, SilenceStore } from '../../sending';

/**
 * What the notifier reports, per destination. Outcomes of a record: `AlertsPosted`, `AlertsUnconfirmed` (sent, reply
 * timed out), `Duplicates`, `DeadLetters`, `AlertsDeferred` (handed back to the queue). `DestinationBroken` is what
 * the destination's alarm watches; `Retries` and `RateLimited` count attempts; `EndToEndDelay` (milliseconds) is the
 * time from the event at Paubox to the platform accepting the post; `DigestsPosted` counts digest messages
 * (each also counts its events in `AlertsPosted` or `AlertsUnconfirmed`) and `DigestEvents` the events they carry.
 */
export type NotifierMetric =
  | 'AlertsPosted'
  | 'AlertsUnconfirmed'
  | 'Duplicates'
  | 'DeadLetters'
  | 'DestinationBroken'
  | 'Retries'
  | 'RateLimited'
  | 'AlertsDeferred'
  | 'EndToEndDelay'
  /** Digest messages posted (each also counts its events in AlertsPosted or AlertsUnconfirmed). */
  | 'DigestsPosted'
  /** Events posted as part of a digest. */
  | 'DigestEvents'
  /** Delivery-status lookups (message receipt) that failed or timed out; their alerts went without the status. */
  | 'EnrichmentFailed'
  /** Recipient failure counts that failed or timed out; their alerts went without the count. */
  | 'FailureCountsFailed'
  /** Events an active silence held back: kept and counted, not posted. */
  | 'AlertsSilenced'
  /** App mode: follow-up events (delivered, opened) about a message the destination has no thread for. */
  | 'FollowUpsDropped';

/** How a batch's events are grouped into digests. */
export interface DigestOptions {
  /** Groups of at least this many events become one digest; smaller ones are posted one by one. */
  readonly minGroupSize: number;
}

/** The chat destination a batch is for. */
export interface NotifyDestination {
  readonly name: string;
  /** What of an event its posts may show. */
  readonly detail: DetailLevel;
  /** IANA zone of times where the platform cannot show the reader's own. @default 'UTC' */
  readonly timeZone?: string;
}

/** Lookups that add to failure alerts; each is best effort and bounded by `timeoutMs`. */
export interface NotifyEnrichment {
  /** Paubox's delivery status of a message, by source tracking id; rejects on any failure. Cache it. */
  readonly deliveryStatus?: (sourceTrackingId: string) => Promise<string | undefined>;
  /** Counts each recipient's failures in 24 h, by fingerprint. */
  readonly failureCounter?: FailureCounter;
  /** @default DEFAULT_ENRICHMENT_TIMEOUT_MS (1500) */
  readonly timeoutMs?: number;
  /** Records each recipient's hard bounces and says when to stop sending to one (`advice`). */
  readonly advice?: {
    readonly store: Pick<AdviceStore, 'record'>;
    /** `advice.window` in days, as the alert says it. */
    readonly windowDays: number;
    /** Told of each new advice, once (the automation event `RecipientSuppressionAdvised`); best effort. */
    readonly onNew?: (advice: Advice) => Promise<void>;
  };
}

/** How to reach the platform: read only when the batch has an event to post, so cache them across batches. */
export interface NotifyPlatform {
  readonly sender: () => Promise<AlertSender>;
  readonly fingerprintKey: () => Promise<string>;
}

export interface NotifyStores {
  readonly dedup: DedupStore;
  readonly deadLetters: DeadLetterSink;
}

/** Retry policy, clock and time budget of this invocation, and the limits of the queue it drains. */
export interface NotifyDelivery extends SendBudget {
  /** The queue's maxReceiveCount: on the last receive a record that still fails is dead-lettered with its reason. */
  readonly maxReceiveCount: number;
  /** How long a claim holds if this invocation dies mid-send. */
  readonly leaseMs: number;
  /** The clock of the pacing, dead letters and delays. @default Date.now */
  readonly now?: () => number;
}

export interface NotifyObservability {
  readonly logger: Logger;
  readonly metric?: (name: NotifierMetric, value: number) => void;
}

/** What an app-mode destination's notifier needs to tell follow-ups apart. */
export interface FollowUps {
  /** Whether the destination's routes ask for the event (its routes' filter policy matches it). */
  readonly routed: (event: RelayEvent) => boolean;
  readonly threads: Pick<SlackThreadStore, 'get'>;
}

export interface NotifyDeps {
  readonly destination: NotifyDestination;
  readonly platform: NotifyPlatform;
  readonly stores: NotifyStores;
  readonly delivery: NotifyDelivery;
  readonly observability: NotifyObservability;
  /** Group the batch's events into digests; without it, every event is posted on its own. */
  readonly digest?: DigestOptions;
  /** Pace the destination's posts; without it, posts are sent as fast as they come. */
  readonly pacing?: PacingOptions;
  /** Say why and how often messages failed; without it, alerts hold what the webhook said. */
  readonly enrichment?: NotifyEnrichment;
  /**
   * Whether a bounce-rate alert fires for a sender domain (cache it, ≤ 1 min): its failures are then folded into
   * digests (`rates.inhibit`). Only for destinations that receive the rate alerts.
   */
  readonly inhibit?: { readonly firing: (senderDomain: string) => Promise<boolean> };
  /**
   * Slack app mode: an event about a message with a thread is posted on its own, into the thread; an event the
   * destination's routes do not ask for (`routed` false: a `delivered` its subscription admits only as a follow-up)
   * is posted only so, and dropped otherwise.
   */
  readonly followUps?: FollowUps;
  /** Hold back the events an active silence matches; without it, nothing is silenced. Cache the list (≤ 1 min). */
  readonly silences?: Pick<SilenceStore, 'list' | 'hid'>;
}
