import type { RateCounts } from './rate-window';

/** A sender domain's firing rate alert, as the store keeps it. */
export interface RateAlertState {
  readonly level: 'warning' | 'alert';
  /** When the alert began (ms). */
  readonly since: number;
  /** When its last notice was queued (ms). */
  readonly lastNoticeAt: number;
  /** The rate its last notice said. */
  readonly lastRate: number;
  readonly reminders: number;
  /**
   * Set when a person acknowledged the alert (Slack's *Acknowledge*): no reminder follows until it resolves; a
   * warning that becomes an alert is still posted. The Slack user id, never a name.
   */
  readonly acknowledged?: { readonly by: string; readonly at: number };
}

/** The alert state of a domain with the version a save must name: saves are compare-and-set. */
export interface VersionedAlert {
  readonly state?: RateAlertState;
  readonly version: number;
}

/**
 * Where bounce-rate counters and alert states live: in memory and a file in the data dir locally, in the relay's
 * table deployed. Counters are added to atomically, so several writers may count at once.
 */
export interface RateStore {
  /**
   * Adds `counts` to the domain's bucket, and resolves with what the bucket holds then (every writer's adds); the
   * bucket may be forgotten after `expiresAtMs`.
   */
  add(senderDomain: string, bucket: number, counts: RateCounts, expiresAtMs: number): Promise<RateCounts>;
  /** The sum of the domain's buckets named. */
  read(senderDomain: string, buckets: readonly number[]): Promise<RateCounts>;
  alertOf(senderDomain: string): Promise<VersionedAlert>;
  /** Saves the domain's alert state (undefined: none fires) if its version is still `version`; false if not. */
  saveAlert(senderDomain: string, state: RateAlertState | undefined, version: number): Promise<boolean>;
}

/**
 * Marks the domain's firing alert acknowledged, compare-and-set, trying again when another writer saved first.
 * False when no alert fires (it resolved meanwhile) or it was acknowledged already.
 */
export async function acknowledgeRateAlert(
  store: Pick<RateStore, 'alertOf' | 'saveAlert'>,
  senderDomain: string,
  by: string,
  nowMs: number,
): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { state, version } = await store.alertOf(senderDomain);
    if (!state || state.acknowledged) return false;
    if (await store.saveAlert(senderDomain, { ...state, acknowledged: { by, at: nowMs } }, version)) return true;
  }
  throw new Error('the rate alert kept changing while it was acknowledged; try again');
}
