import type { RateNotice } from '../alerts';
import type { Logger } from '../observability';
import type { EventType } from '../paubox';
import { decideRate, rateNotice, type RateSettings } from './rate-check';
import type { RateStore } from './rate-store';
import { bucketExpiresAtMs, bucketOf, type RateCounts, windowBuckets } from './rate-window';

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

/**
 * Counts each sender domain's delivered events and bounces in the relay's store, and checks the domain's rate once
 * they are counted: the same code where events pass deployed (the ingest consumer, per batch) and locally.
 */
export class RateWatch {
  /** Domains already told about (once a process) that their rate needs Paubox's Delivered webhook. */
  private readonly hinted = new Set<string>();

  constructor(private readonly options: RateWatchOptions) {}

  /** Adds the events to their domains' current buckets; resolves with the domains counted. */
  async count(events: readonly CountedEvent[]): Promise<string[]> {
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
    await Promise.all(
      [...byDomain].map(([domain, c]) => {
        const counts: RateCounts = { delivered: c.delivered, hard: c.hard, soft: c.soft, hardByRecipientDomain: c.to };
        return this.options.store.add(domain, bucket, counts, bucketExpiresAtMs(bucket, windowMs));
      }),
    );
    return [...byDomain.keys()];
  }

  /**
   * Checks each domain's rate and posts what changed. The alert state is saved compare-and-set before the notice is
   * queued: of two checks at once, one posts. A notice that cannot be queued restores nothing: the next check posts
   * the next change (and the notifier's de-duplication makes a repeat harmless).
   */
  async check(domains: readonly string[]): Promise<RateNotice[]> {
    const { store, settings, logger } = this.options;
    const posted: RateNotice[] = [];
    for (const domain of domains) {
      const now = this.options.now();
      const [counts, alert] = await Promise.all([
        store.read(domain, windowBuckets(now, settings.windowMs)),
        store.alertOf(domain),
      ]);
      const decision = decideRate(counts, alert.state, settings, now);
      if (decision.needsDelivered && !this.hinted.has(domain)) {
        this.hinted.add(domain);
        logger.log('warn', needsDeliveredHint(), { senderDomain: domain });
      }
      if (!decision.notice) continue;
      if (!(await store.saveAlert(domain, decision.next, alert.version))) continue;
      const notice = rateNotice(domain, { notice: decision.notice }, alert.state, counts, settings, now);
      await this.options.post(notice);
      logger.log(notice.state === 'resolved' ? 'info' : 'warn', `bounce rate ${notice.state}`, {
        senderDomain: domain,
        reason: notice.level,
        count: notice.hard,
        eventKey: notice.key,
      });
      posted.push(notice);
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
    await watch.check(await watch.count(events));
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
