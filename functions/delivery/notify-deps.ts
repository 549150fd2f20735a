import { type Clock, systemClock } from './clock';
import type {
  DigestOptions,
  NotifyDeps,
  NotifyDestination,
  NotifyEnrichment,
  NotifyObservability,
  NotifyPlatform,
  NotifyStores,
} from './notify/deps';
import type { BrokenDestination } from './broken-destination';
import type { PostPacer } from './pacing/pacer';
import type { SendGate } from './send-gate';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';

/** What differs between the notifier in Lambda, in the local relay and in the CLI; the rest is resolved here. */
export interface NotifyParts {
  readonly destination: NotifyDestination & {
    /** Without it, every event is posted on its own. */
    readonly digest?: DigestOptions | undefined;
    /** @default DEFAULT_MESSAGES_PER_SECOND of the platform its URL belongs to */
    readonly messagesPerSecond?: number | undefined;
  };
  readonly platform: NotifyPlatform;
  /** The de-duplication and dead-letter stores, and the pacer that holds the destination's send slots. */
  readonly stores: NotifyStores & { readonly pacer: PostPacer };
  readonly delivery: {
    /** Milliseconds left to this invocation for sending. */
    readonly remainingMs: () => number;
    readonly sendTimeoutMs: number;
    /** The queue's maxReceiveCount (1 where there is no later receive: what fails is dead-lettered at once). */
    readonly maxReceiveCount: number;
    /** @default long enough for one try: a send slot within the time left, then the send */
    readonly leaseMs?: number | undefined;
    /** @default DEFAULT_RETRY_POLICY */
    readonly policy?: RetryPolicy | undefined;
    /** What the destination's recent answers say, kept across batches. @default none: every alert is sent */
    readonly broken?: BrokenDestination | undefined;
    /** Posts awaiting a reply, shared by the destination's batches under way. @default one per batch */
    readonly gate?: SendGate | undefined;
    /** Stop waiting for slow replies once only they are left (paced-sender.ts). @default false */
    readonly leaveSlowReplies?: boolean | undefined;
  };
  /** @default systemClock */
  readonly clock?: Clock | undefined;
  /** In [0, 1): the jitter of backoffs. @default Math.random */
  readonly random?: (() => number) | undefined;
  readonly observability: NotifyObservability;
  /** Without it, alerts hold what the webhook said. */
  readonly enrichment?: NotifyEnrichment | undefined;
  /** Without it, nothing is silenced. */
  readonly silences?: NotifyDeps['silences'] | undefined;
  /** Without it, failures are never folded for a firing bounce rate. */
  readonly inhibit?: NotifyDeps['inhibit'] | undefined;
  /** Slack app mode's threads and the destination's own routes; without it, every event is planned as usual. */
  readonly followUps?: NotifyDeps['followUps'] | undefined;
}

/** The notifier's dependencies, built the same way for the Lambda function, the local relay and the CLI. */
export function buildNotifyDeps(parts: NotifyParts): NotifyDeps {
  const { destination, delivery, stores } = parts;
  const { digest, messagesPerSecond, name, detail, timeZone } = destination;
  const policy = delivery.policy ?? DEFAULT_RETRY_POLICY;
  const clock = parts.clock ?? systemClock;
  return {
    destination: { name, detail, ...(timeZone ? { timeZone } : {}) },
    platform: parts.platform,
    stores: { dedup: stores.dedup, deadLetters: stores.deadLetters },
    delivery: {
      policy,
      remainingMs: delivery.remainingMs,
      sendTimeoutMs: delivery.sendTimeoutMs,
      sleep: (ms) => clock.sleep(ms),
      random: parts.random ?? Math.random,
      maxReceiveCount: delivery.maxReceiveCount,
      // A claim outlives the longest an invocation can spend on one record: its slot, then one send.
      leaseMs: delivery.leaseMs ?? delivery.remainingMs() + delivery.sendTimeoutMs,
      now: () => clock.now(),
      ...(delivery.broken ? { broken: delivery.broken } : {}),
      ...(delivery.gate ? { gate: delivery.gate } : {}),
      ...(delivery.leaveSlowReplies ? { leaveSlowReplies: true } : {}),
    },
    observability: parts.observability,
    ...(digest ? { digest } : {}),
    pacing: { pacer: stores.pacer, ...(messagesPerSecond !== undefined ? { messagesPerSecond } : {}) },
    ...(parts.enrichment ? { enrichment: parts.enrichment } : {}),
    ...(parts.silences ? { silences: parts.silences } : {}),
    ...(parts.inhibit ? { inhibit: parts.inhibit } : {}),
    ...(parts.followUps ? { followUps: parts.followUps } : {}),
  };
}
