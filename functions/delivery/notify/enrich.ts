import {
  type AdvisedRecipient,
  type EventExtras,
  recipientFingerprint,
  categoryOf,
  parseEventTime,
  type PlannedPost,
} from '../../alerts';
import { adviceTasks } from './advise';
import { ReceiptLookupError } from '../../paubox';
import { reasonOf } from '../error-reason';
import { inPool, STORE_CONCURRENCY, type BatchRun, type Claimed } from './run';

/** The longest lookups may hold a batch's posts back; then the alerts go without what is still missing. */
export const DEFAULT_ENRICHMENT_TIMEOUT_MS = 1500;

interface Found {
  deliveryStatus?: string;
  failureCounts?: Map<string, number>;
  advised?: AdvisedRecipient[];
}

/**
 * What the batch's failure alerts can say besides the webhook: Paubox's delivery status (lone alerts only) and each
 * recipient's failures in 24 h (every failure, so that digests can count repeated recipients). Best effort: it never
 * throws, and resolves within the timeout with whatever was found; each failed lookup is logged and counted
 * (`EnrichmentFailed` for the receipt, `FailureCountsFailed` for the counts), and the alert goes without it.
 */
export async function enrichPosts(
  run: BatchRun,
  posts: readonly PlannedPost<Claimed>[],
  fingerprintKey: string,
): Promise<ReadonlyMap<string, EventExtras>> {
  const enrichment = run.deps.enrichment;
  const found = new Map<string, Found>();
  if (!enrichment) return found;
  let open = true;
  // Lookups not finished, then failed: what the metrics count once the time is up.
  const unfinished = { receipt: 0, counts: 0 };
  const tasks: (() => Promise<void>)[] = [];
  const entry = (key: string): Found => found.get(key) ?? found.set(key, {}).get(key)!;
  for (const post of posts) {
    for (const { event } of post.items) {
      if (event.test === true || categoryOf(event.type) !== 'failure') continue;
      const { deliveryStatus } = enrichment;
      const trackingId = event.sourceTrackingId;
      if (deliveryStatus && post.kind === 'single' && trackingId !== undefined && trackingId !== '') {
        unfinished.receipt++;
        tasks.push(async () => {
          try {
            const status = await deliveryStatus(trackingId);
            if (!open) return;
            unfinished.receipt--;
            if (status !== undefined) entry(event.key).deliveryStatus = status;
          } catch (error) {
            if (!open) return;
            run.logger.log('warn', 'delivery status not looked up; alert sent without it', {
              destination: run.destination,
              eventKey: event.key,
              reason: error instanceof ReceiptLookupError ? `receipt_${error.message}` : reasonOf(error),
            });
          }
        });
      }
      const at = parseEventTime(event.time) ?? run.now();
      if (enrichment.advice && event.type === 'permanent_failure') {
        tasks.push(
          ...adviceTasks(run, enrichment.advice, event, at, fingerprintKey, (advised) => {
            if (!open) return;
            const own = entry(event.key);
            own.advised = [...(own.advised ?? []), advised];
          }),
        );
      }
      const counter = enrichment.failureCounter;
      if (!counter) continue;
      for (const fingerprint of new Set(event.recipients.map((r) => recipientFingerprint(r, fingerprintKey)))) {
        unfinished.counts++;
        tasks.push(async () => {
          try {
            const count = await counter.record(fingerprint, event.key, at);
            if (!open) return;
            unfinished.counts--;
            const own = entry(event.key);
            own.failureCounts ??= new Map();
            own.failureCounts.set(fingerprint, count);
          } catch (error) {
            if (!open) return;
            run.logger.log('warn', 'failures of a recipient not counted; alert sent without the count', {
              destination: run.destination,
              eventKey: event.key,
              reason: reasonOf(error),
            });
          }
        });
      }
    }
  }
  if (tasks.length === 0) return found;
  const timeoutMs = enrichment.timeoutMs ?? DEFAULT_ENRICHMENT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    inPool(tasks, STORE_CONCURRENCY, (task) => task()).then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  open = false;
  if (timedOut) {
    run.logger.log('warn', 'lookups took too long; alerts sent without what was missing', {
      destination: run.destination,
      durationMs: timeoutMs,
    });
  }
  // A lookup that failed or did not finish in time.
  if (unfinished.receipt > 0) run.metric('EnrichmentFailed', unfinished.receipt);
  if (unfinished.counts > 0) run.metric('FailureCountsFailed', unfinished.counts);
  return found;
}
