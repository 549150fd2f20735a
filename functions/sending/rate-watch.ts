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
  /** Per domain, the sum of the window's closed buckets, for the window whose current bucket is `bucket`. */
  private readonly closed = new Map<string, { bucket: number; counts: RateCounts }>();
  /** Per domain, its alert state as last read or saved here, and when. */
  private readonly alerts = new Map<string, { alert: VersionedAlert; at: number }>();

  constructor(private readonly options: RateWatchOptions) {}

  /** Adds the events to their domains' current buckets; resolves with each domain counted and its bucket then. */
  async count(events: readonly CountedEvent[]): Promise<Map<string, CountedBucket>> {
    const { windowMs } = this.options.settings;
    const now = this.options.now();
    const bucket = bucketOf(now, windowMs);
    const byDomain = new Map<string, { delivered: number; hard: number; soft: number; to: Record<string, number> }>();
    for (const event of events) {
      if (event.test === true || event.type === 'opened' || event.senderDomain === '') continue;
      const counts = byDomain.get(event.senderDomain) ?? { delivered: 0, hard: 0, soft: 0, to: {} };
      if (event.type === 'delivered') counts.delivered++;
      else if (event.type === 'temporary_failure') counts.soft++;
      else {
        counts.hard++;
        for (const domain of event.recipientDomains) counts.to[domain] = (counts.to[domain] ?? 0) + 1;
      }
      byDomain.set(event.senderDomain, counts);
    }
    const counted = await Promise.all(
      [...byDomain].map(async ([domain, c]): Promise<[string, CountedBucket]> => {
        const counts: RateCounts = { delivered: c.delivered, hard: c.hard, soft: c.soft, hardByRecipientDomain: c.to };
        return [
          domain,
          { bucket, counts: await this.options.store.add(domain, bucket, counts, bucketExpiresAtMs(bucket, windowMs)) },
        ];
      }),
    );
    return new Map(counted);
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
    if (this.closed.size > DOMAINS_KEPT || this.alerts.size > DOMAINS_KEPT) {
      this.closed.clear();
      this.alerts.clear();
    }
    for (const domain of domains) {
      const now = this.options.now();
      const counts = await this.windowOf(domain, now, counted?.get(domain));
      // A state kept from earlier may be stale; one the save finds changed is read afresh and decided again.
      for (let fresh = false; ; fresh = true) {
        const alert = await this.alertOf(domain, now, fresh);
        const decision = decideRate(counts, alert.state, settings, now);
        if (decision.needsDelivered && !this.hinted.has(domain)) {
          this.hinted.add(domain);
          logger.log('warn', needsDeliveredHint(), { senderDomain: domain });
        }
        if (!decision.notice) break;
        if (!(await store.saveAlert(domain, decision.next, alert.version))) {
          this.alerts.delete(domain);
          if (fresh) break;
          continue;
        }
        this.alerts.set(domain, {
          alert: { ...(decision.next ? { state: decision.next } : {}), version: alert.version + 1 },
          at: now,
        });
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

  /** The domain's counts in the window ending at `now`. */
  private async windowOf(domain: string, now: number, current: CountedBucket | undefined): Promise<RateCounts> {
    const { store, settings } = this.options;
    const buckets = windowBuckets(now, settings.windowMs);
    const bucket = buckets[buckets.length - 1]!;
    if (current?.bucket !== bucket) return store.read(domain, buckets);
    let closed = this.closed.get(domain);
    if (closed?.bucket !== bucket) {
      closed = { bucket, counts: await store.read(domain, buckets.slice(0, -1)) };
      this.closed.set(domain, closed);
    }
    return addCounts(closed.counts, current.counts);
  }

  private async alertOf(domain: string, now: number, fresh: boolean): Promise<VersionedAlert> {
    const kept = this.alerts.get(domain);
    if (!fresh && kept && now - kept.at < RATE_ALERT_CACHE_MS) return kept.alert;
    const alert = await this.options.store.alertOf(domain);
    this.alerts.set(domain, { alert, at: now });
    return alert;
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
