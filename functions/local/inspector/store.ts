import { type EventExtras, isDigestView, type ChatView, isHealthNotice, isSendingNotice } from '../../alerts';
import type { RecordOutcome } from '../../delivery';
import type { RelayEvent } from '../../paubox';
import type { AttemptReport, RelayObserver, WebhookReport } from '../observer';
import type {
  Delivery,
  DeliveryState,
  DestinationHealth,
  Fact,
  Receipt,
  RoutingDecision,
  TimelineEntry,
  TimelineKind,
} from './api-types';
import { DestinationHealthBook, type StoreDestination } from './destination-health';
import { attemptText, settledEntry } from './timeline-text';

export type { StoreDestination } from './destination-health';

/** How much the inspector remembers: enough for a session of trying things, bounded whatever the traffic. */
export const STORE_LIMITS = { receipts: 200, events: 300, timeline: 40, digests: 200 } as const;

export interface StoreOptions {
  readonly destinations: readonly StoreDestination[];
  /** Routing verdicts for an accepted event, one per configured destination. */
  readonly route: (event: RelayEvent) => RoutingDecision[];
  /** The event's facts at the display level. */
  readonly facts: (event: RelayEvent) => Fact[];
  /** @default Date.now */
  readonly now?: () => number;
}

/** What changed since the last notice: the receipts to redraw, and whether destination health moved. */
export interface StoreChange {
  readonly receipts: readonly Receipt[];
  readonly health: boolean;
}

interface ReceiptEntry {
  readonly id: number;
  readonly receivedAt: string;
  readonly source: Receipt['source'];
  readonly status?: number;
  readonly answer: string;
  readonly event?: { key: string; type: string; senderDomain: string; facts: Fact[]; routing: RoutingDecision[] };
}

interface DeliveryEntry {
  state: DeliveryState;
  readonly timeline: TimelineEntry[];
  attempts: number;
  digestKey?: string;
  /** What the notifier looked up for the alert it sent (status, counts), so a preview shows the same. */
  extras?: EventExtras;
}

function push<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

/** Remembers what the local relay reports, in memory only, and tells listeners what changed (coalesced). */
export class InspectorStore implements RelayObserver {
  private readonly receiptList: ReceiptEntry[] = [];
  private readonly events = new Map<string, { event: RelayEvent; deliveries: Map<string, DeliveryEntry> }>();
  /** Digest attempts and views by `destination#digestKey`, until their events settle. */
  private readonly digests = new Map<string, { view: ChatView; attempts: TimelineEntry[] }>();
  private readonly healthBook: DestinationHealthBook;
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private readonly dirtyKeys = new Set<string>();
  private readonly dirtyIds = new Set<number>();
  private healthDirty = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private readonly now: () => number;

  constructor(private readonly options: StoreOptions) {
    this.now = options.now ?? Date.now;
    this.healthBook = new DestinationHealthBook(options.destinations);
  }

  webhook(report: WebhookReport): void {
    const { event } = report;
    if (event) this.eventEntry(event);
    this.addReceipt({
      source: 'webhook',
      receivedAt: report.receivedAt.toISOString(),
      status: report.status,
      answer: report.answer,
      ...(event ? { event: this.describe(event) } : {}),
    });
  }

  queued(destination: string, event: RelayEvent, how: 'routed' | 'redriven'): void {
    const delivery = this.delivery(event, destination);
    delivery.state = 'queued';
    const text = how === 'routed' ? 'queued for delivery' : 'redriven from the dead letters: queued again';
    this.record(event.key, delivery, how === 'routed' ? 'queued' : 'redriven', text, true);
    this.healthChanged(this.healthBook.queued(destination, event.key));
    // A redriven letter may be older than anything remembered: give it a row of its own.
    if (how === 'redriven' && !this.receiptList.some((r) => r.event?.key === event.key)) {
      this.addReceipt({ source: 'redrive', receivedAt: this.stamp(), answer: 'redriven', event: this.describe(event) });
    }
  }

  attempt(destination: string, report: AttemptReport): void {
    const { failure } = report;
    const answer = failure ? attemptText(report).replace(/^attempt: /, '') : 'accepted';
    this.healthChanged(this.healthBook.attempt(destination, failure, answer, this.stamp()));
    const entry: TimelineEntry = { at: this.stamp(), kind: 'attempt', text: attemptText(report), ok: !failure };
    if (isDigestView(report.view)) {
      const id = `${destination}#${report.postKey}`;
      const digest = this.digests.get(id) ?? { view: report.view, attempts: [] };
      push(digest.attempts, entry, STORE_LIMITS.timeline);
      this.digests.set(id, digest);
      if (this.digests.size > STORE_LIMITS.digests) this.digests.delete(this.digests.keys().next().value!);
      return;
    }
    const known = this.events.get(report.postKey);
    if (!known) return;
    const delivery = this.delivery(known.event, destination);
    delivery.attempts++;
    if (!('report' in report.view) && !isHealthNotice(report.view) && !isSendingNotice(report.view)) {
      const { deliveryStatus, repeatedFailures, stopSending } = report.view;
      delivery.extras = {
        ...(deliveryStatus !== undefined ? { deliveryStatus } : {}),
        ...(repeatedFailures ? { failureCounts: new Map(repeatedFailures.map((r) => [r.fingerprint, r.count])) } : {}),
        ...(stopSending ? { advised: stopSending } : {}),
      };
    }
    this.record(
      report.postKey,
      delivery,
      'attempt',
      entry.text.replace(/^attempt/, `attempt ${delivery.attempts}`),
      !failure,
    );
  }

  settled(destination: string, outcome: RecordOutcome, redeliverInMs?: number): void {
    const known = outcome.eventKey === undefined ? undefined : this.events.get(outcome.eventKey);
    this.healthChanged(this.healthBook.settled(destination, outcome));
    if (!known) return;
    const delivery = this.delivery(known.event, destination);
    if (outcome.digestKey !== undefined) {
      delivery.digestKey = outcome.digestKey;
      for (const attempt of this.digests.get(`${destination}#${outcome.digestKey}`)?.attempts ?? []) {
        push(delivery.timeline, attempt, STORE_LIMITS.timeline);
      }
    }
    const digest =
      outcome.digestKey === undefined ? undefined : this.digests.get(`${destination}#${outcome.digestKey}`);
    const count = digest && isDigestView(digest.view) ? digest.view.count : undefined;
    const { kind, text, ok, state } = settledEntry(outcome, redeliverInMs, count);
    delivery.state = state;
    this.record(known.event.key, delivery, kind, text, ok);
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Newest first. */
  receipts(): Receipt[] {
    return this.receiptList.map((r) => this.view(r)).reverse();
  }

  /** The event of a receipt, the digests it was posted in and what was looked up for its alerts, for previews. */
  source(
    id: number,
  ): { event: RelayEvent; digests: Map<string, ChatView>; extras: Map<string, EventExtras> } | undefined {
    const key = this.receiptList.find((r) => r.id === id)?.event?.key;
    const known = key === undefined ? undefined : this.events.get(key);
    if (!known) return undefined;
    const digests = new Map<string, ChatView>();
    const extras = new Map<string, EventExtras>();
    for (const [destination, d] of known.deliveries) {
      if (d.extras) extras.set(destination, d.extras);
      const view = d.digestKey === undefined ? undefined : this.digests.get(`${destination}#${d.digestKey}`)?.view;
      if (view) digests.set(destination, view);
    }
    return { event: known.event, digests, extras };
  }

  health(): DestinationHealth[] {
    return this.healthBook.list();
  }

  /** Sends pending changes now rather than on the timer. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const receipts = this.receiptList
      .filter((r) => this.dirtyIds.has(r.id) || (r.event !== undefined && this.dirtyKeys.has(r.event.key)))
      .map((r) => this.view(r));
    const change: StoreChange = { receipts, health: this.healthDirty };
    this.dirtyIds.clear();
    this.dirtyKeys.clear();
    this.healthDirty = false;
    if (receipts.length === 0 && !change.health) return;
    for (const listener of this.listeners) listener(change);
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }

  private describe(event: RelayEvent): NonNullable<ReceiptEntry['event']> {
    return {
      key: event.key,
      type: event.type,
      senderDomain: event.senderDomain,
      facts: this.options.facts(event),
      routing: this.options.route(event),
    };
  }

  private addReceipt(entry: Omit<ReceiptEntry, 'id'>): void {
    const receipt = { id: this.nextId++, ...entry };
    push(this.receiptList, receipt, STORE_LIMITS.receipts);
    this.dirtyIds.add(receipt.id);
    this.schedule();
  }

  private eventEntry(event: RelayEvent): { event: RelayEvent; deliveries: Map<string, DeliveryEntry> } {
    let entry = this.events.get(event.key);
    if (!entry) {
      entry = { event, deliveries: new Map() };
      this.events.set(event.key, entry);
      if (this.events.size > STORE_LIMITS.events) this.events.delete(this.events.keys().next().value!);
    }
    return entry;
  }

  private delivery(event: RelayEvent, destination: string): DeliveryEntry {
    const { deliveries } = this.eventEntry(event);
    let delivery = deliveries.get(destination);
    if (!delivery) {
      delivery = { state: 'queued', timeline: [], attempts: 0 };
      deliveries.set(destination, delivery);
    }
    return delivery;
  }

  private record(key: string, delivery: DeliveryEntry, kind: TimelineKind, text: string, ok: boolean): void {
    push(delivery.timeline, { at: this.stamp(), kind, text, ok }, STORE_LIMITS.timeline);
    this.dirtyKeys.add(key);
    this.schedule();
  }

  private healthChanged(known: boolean): void {
    if (!known) return;
    this.healthDirty = true;
    this.schedule();
  }

  private schedule(): void {
    // Coalesces a burst (a digest settles many events at once) into one notice.
    this.flushTimer ??= setTimeout(() => this.flush(), 25);
    this.flushTimer.unref?.();
  }

  private view(r: ReceiptEntry): Receipt {
    const known = r.event === undefined ? undefined : this.events.get(r.event.key);
    const deliveries: Delivery[] = [...(known?.deliveries ?? new Map<string, DeliveryEntry>())].map(
      ([destination, d]) => ({
        destination,
        state: d.state,
        timeline: [...d.timeline],
        ...(d.digestKey !== undefined ? { digestKey: d.digestKey } : {}),
      }),
    );
    return {
      id: r.id,
      receivedAt: r.receivedAt,
      source: r.source,
      ...(r.status !== undefined ? { status: r.status } : {}),
      answer: r.answer,
      ...(r.event
        ? {
            eventKey: r.event.key,
            eventType: r.event.type,
            senderDomain: r.event.senderDomain,
            facts: r.event.facts,
            routing: r.event.routing,
            deliveries,
          }
        : {}),
    };
  }
}
