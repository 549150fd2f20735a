import type { DestinationKind, DetailLevel } from '../../config';
import type { RecordOutcome } from '../../delivery';
import type { DestinationHealth } from './api-types';

export interface StoreDestination {
  readonly name: string;
  readonly kind: DestinationKind;
  readonly platform: string;
  readonly previewed?: boolean;
  readonly detail: DetailLevel;
  readonly host?: string;
}

interface Entry {
  state: DestinationHealth['state'];
  posted: number;
  failedAttempts: number;
  deadLettered: number;
  readonly inFlight: Set<string>;
  lastAnswer?: string;
  lastAt?: string;
}

/** Each destination's state as the deliveries since start show it: what the page's health section lists. */
export class DestinationHealthBook {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly destinations: readonly StoreDestination[]) {
    for (const d of destinations) {
      this.entries.set(d.name, { state: 'idle', posted: 0, failedAttempts: 0, deadLettered: 0, inFlight: new Set() });
    }
  }

  /** @returns false for a destination it does not know */
  queued(destination: string, eventKey: string): boolean {
    return this.change(destination, (h) => h.inFlight.add(eventKey));
  }

  attempt(
    destination: string,
    failure: { readonly retryable: boolean } | undefined,
    answer: string,
    at: string,
  ): boolean {
    return this.change(destination, (h) => {
      h.state = failure ? (failure.retryable ? 'retrying' : 'failing') : 'ok';
      if (failure) h.failedAttempts++;
      h.lastAnswer = answer;
      h.lastAt = at;
    });
  }

  settled(destination: string, outcome: RecordOutcome): boolean {
    return this.change(destination, (h) => {
      if (outcome.result === 'posted') h.posted++;
      if (outcome.result === 'dead_lettered') {
        h.deadLettered++;
        h.state = 'failing';
      }
      if (outcome.result !== 'retry' && outcome.eventKey !== undefined) h.inFlight.delete(outcome.eventKey);
    });
  }

  list(): DestinationHealth[] {
    return this.destinations.map((d) => {
      const h = this.entries.get(d.name)!;
      return {
        destination: d.name,
        kind: d.kind,
        platform: d.platform,
        ...(d.previewed ? { previewed: true } : {}),
        detail: d.detail,
        ...(d.host !== undefined ? { host: d.host } : {}),
        state: h.state,
        posted: h.posted,
        failedAttempts: h.failedAttempts,
        deadLettered: h.deadLettered,
        inFlight: h.inFlight.size,
        ...(h.lastAnswer !== undefined ? { lastAnswer: h.lastAnswer } : {}),
        ...(h.lastAt !== undefined ? { lastAt: h.lastAt } : {}),
      };
    });
  }

  private change(destination: string, update: (h: Entry) => void): boolean {
    const h = this.entries.get(destination);
    if (!h) return false;
    update(h);
    return true;
  }
}
