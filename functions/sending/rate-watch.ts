import type { RateNotice } from '../alerts';
import type { Logger } from '../observability';
import type { EventType } from '../paubox';
import { decideRate, rateNotice, type RateSettings } from './rate-check';
import type { RateStore, VersionedAlert } from './rate-store';
import { addCounts, bucketExpiresAtMs, bucketOf, type RateCounts, windowBuckets } from './rate-window';

/** What of an event the rate needs: no address, only domains. */
export interface CountedEvent {
  readonly type: EventType;
  readonly senderDomain: string;
  readonly recipientDomains: readonly string[];
  readonly test?: boolean;
}

export interface RateWatchOptions {
  readonly store: RateStore;
  readonly settings: RateSettings;
  readonly now: () => number;
  readonly logger: Logger;
  /** Queues a notice for the destinations of `rates.to`; rejects when it could not. */
  readonly post: (notice: RateNotice) => Promise<void>;
}

/** What a count left in one domain's current bucket: every writer's adds, as the store answered the add. */
export interface CountedBucket {
  readonly bucket: number;
  readonly counts: RateCounts;
}

/**
 * How long a watch trusts a domain's alert state as it last read or saved it. Only another process's save can
 * make it stale, and a save is compare-and-set: a notice decided from a stale state is decided again from a fresh
 * one, and a stale state delays at most a notice (a resolved one, say) by this long.
 */
export const RATE_ALERT_CACHE_MS = 60_000;

/** Domains whose closed buckets and alert a watch keeps; beyond it, it forgets them all and reads again. */
const DOMAINS_KEPT = 1_000;

/** What a watch keeps of a domain: its window's closed buckets summed while `bucket` is current, its alert state. */
interface Kept {
  bucket?: number;
  closed?: RateCounts;
  alert?: VersionedAlert | undefined;
  /** When the alert state was read or saved here. */
  alertAt?: number;
}

/**
 * Counts each sender domain's delivered events and bounces in the relay's store, and checks the domain's rate once
 * they are counted: the same code where events pass deployed (the ingest consumer, per batch) and locally.
 *
 * A check right after a count costs no read in the usual case: the add answers with the current bucket, the window's
 * closed buckets (which no longer change) are read once per bucket, and the alert state is kept for
 * {@link RATE_ALERT_CACHE_MS}. So a batch costs one write per sender domain.
 */
export class RateWatch {
  /** Domains already told about (once a process) that their rate needs Paubox's Delivered webhook. */
  private readonly hinted = new Set<string>();
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly options: RateWatchOptions) {}

  /** Adds the events to their domains' current buckets; resolves with each domain counted and its bucket then. */
  async count(events: readonly CountedEvent[]): Promise<Map<string, CountedBucket>> {
    const { store, settings, now } = this.options;
    const bucket = bucketOf(now(), settings.windowMs);
    const byDomain = new Map<
      string,
      { delivered: number; hard: number; soft: number; hardByRecipientDomain: Record<string, number> }
    >();
    for (const event of events) {
      if (event.test === true || event.type === 'opened' || event.senderDomain === '') continue;
      const counts = byDomain.get(event.senderDomain) ?? { delivered: 0, hard: 0, soft: 0, hardByRecipientDomain: {} };
      if (event.type === 'delivered') counts.delivered++;
      else if (event.type === 'temporary_failure') counts.soft++;
      else {
        counts.hard++;
        const to = counts.hardByRecipientDomain;
        for (const domain of event.recipientDomains) to[domain] = (to[domain] ?? 0) + 1;
      }
      byDomain.set(event.senderDomain, counts);
    }
    const expiresAtMs = bucketExpiresAtMs(bucket, settings.windowMs);
    const counted = [...byDomain].map(
      async ([domain, counts]) =>
        [domain, { bucket, counts: await store.add(domain, bucket, counts, expiresAtMs) }] as const,
    );
    return new Map(await Promise.all(counted));
  }

  /**
   * Checks each domain's rate and posts what changed; `counted`, what {@link count} just answered, spares the read
   * of the current bucket. The alert state is saved compare-and-set before the notice is queued: of two checks at
   * once, one posts. A notice that cannot be queued restores nothing: the next check posts the next change (and the
   * notifier's de-duplication makes a repeat harmless).
   */
  async check(domains: Iterable<string>, counted?: ReadonlyMap<string, CountedBucket>): Promise<RateNotice[]> {
    const { store, settings, logger } = this.options;
    const posted: RateNotice[] = [];
    if (this.kept.size > DOMAINS_KEPT) this.kept.clear();
    for (const domain of domains) {
      const now = this.options.now();
      const kept = this.kept.get(domain) ?? {};
      this.kept.set(domain, kept);
      const buckets = windowBuckets(now, settings.windowMs);
      const bucket = buckets.pop()!;
      const current = counted?.get(domain);
      let counts: RateCounts;
      if (current?.bucket === bucket) {
        if (kept.bucket !== bucket) {
          kept.closed = await store.read(domain, buckets);
          kept.bucket = bucket;
        }
        counts = addCounts(kept.closed!, current.counts);
      } else counts = await store.read(domain, [...buckets, bucket]);
      // A kept state may be stale: one the save finds changed is read afresh and decided again.
      for (let fresh = false; ; fresh = true) {
        if (fresh || !kept.alert || now - kept.alertAt! >= RATE_ALERT_CACHE_MS) {
          kept.alert = await store.alertOf(domain);
          kept.alertAt = now;
        }
        const alert = kept.alert;
        const decision = decideRate(counts, alert.state, settings, now);
        if (decision.needsDelivered && !this.hinted.has(domain)) {
          this.hinted.add(domain);
          logger.log('warn', needsDeliveredHint(), { senderDomain: domain });
        }
        if (!decision.notice) break;
        const saved = await store.saveAlert(domain, decision.next, alert.version);
        kept.alert = saved
          ? { ...(decision.next ? { state: decision.next } : {}), version: alert.version + 1 }
          : undefined;
        if (!saved) {
          if (fresh) break;
          continue;
        }
        const notice = rateNotice(domain, { notice: decision.notice }, alert.state, counts, settings, now);
        await this.options.post(notice);
        logger.log(notice.state === 'resolved' ? 'info' : 'warn', `bounce rate ${notice.state}`, {
          senderDomain: domain,
          reason: notice.level,
          count: notice.hard,
          eventKey: notice.key,
        });
        posted.push(notice);
        break;
      }
    }
    return posted;
  }
}

/**
 * Counts a batch's events and checks their domains; never rejects (the events are published whatever happens to
 * their counting): a failure is logged, and that batch is missing from the rate.
 */
export async function watchRates(watch: RateWatch, events: readonly CountedEvent[], logger: Logger): Promise<void> {
  try {
    const counted = await watch.count(events);
    await watch.check(counted.keys(), counted);
  } catch (error) {
    logger.log('error', 'bounce rates not counted or checked', {
      errorName: error instanceof Error ? error.name : typeof error,
      count: events.length,
    });
  }
}

/** What the relay says once when a domain has failures and no delivered event: the rate cannot be measured. */
export function needsDeliveredHint(): string {
  return (
    'failures but no delivered events for this sender domain: the bounce rate needs Paubox’s "Delivered" ' +
    'webhook; add it in the Paubox dashboard with the same URL'
  );
}
