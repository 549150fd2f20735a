export interface QueuedRecord {
  /** SQS message id: what a partial batch failure names. */
  readonly id: string;
  /** The event as the ingest published it (raw SNS delivery: the JSON itself). */
  readonly body: string;
  /** 1 on first delivery; SQS's ApproximateReceiveCount. */
  readonly receiveCount: number;
  /**
   * On its first delivery: how long it waited in its queue beyond the batching window before it was received. Long
   * waits mean the destination is behind (a 429's pause, a storm). @default 0
   */
  readonly waitedMs?: number;
  /** When it entered its queue (SQS's SentTimestamp): its age sets its backoff when a try fails. */
  readonly sentAt?: number;
}

/**
 * `silenced`: held back by a silence (kept, counted in what it hid, not posted). `dropped`: an event an app-mode
 * destination receives only as a follow-up (its routes do not ask for it), about a message it has no thread for.
 */
export type RecordResult = 'posted' | 'duplicate' | 'dead_lettered' | 'retry' | 'silenced' | 'dropped';

export interface RecordOutcome {
  readonly id: string;
  readonly eventKey?: string;
  readonly result: RecordResult;
  readonly reason?: string;
  readonly unconfirmed?: boolean;
  readonly attempts: number;
  readonly rateLimited: number;
  /** For `retry`: the platform asked not to be called again for this long (429 Retry-After). */
  readonly notBeforeMs?: number;
  /** Set when the event was posted in a digest (attempts and rateLimited are then the digest's). */
  readonly digestKey?: string;
}

export interface BatchOutcome {
  /** Ids of the records to hand back to the queue; SQS retries only these. */
  readonly failedIds: readonly string[];
  readonly outcomes: readonly RecordOutcome[];
}

/** The outcome of a record for which nothing was sent: a known duplicate, or one handed back unsent. */
export function unsent(
  record: QueuedRecord,
  eventKey: string,
  result: 'duplicate' | 'retry',
  reason?: string,
): RecordOutcome {
  return { id: record.id, eventKey, result, ...(reason !== undefined ? { reason } : {}), attempts: 0, rateLimited: 0 };
}

/**
 * What became of each record of one batch. Every record gets exactly one outcome: a second one, or a record left
 * without one at the end, is a bug that would post an event twice or drop it, so it throws (and SQS retries the
 * whole batch) rather than answer wrongly.
 */
export class OutcomeLedger {
  private readonly outcomes = new Map<QueuedRecord, RecordOutcome>();
  private readonly inBatch: ReadonlySet<QueuedRecord>;

  constructor(private readonly records: readonly QueuedRecord[]) {
    this.inBatch = new Set(records);
  }

  record(record: QueuedRecord, outcome: RecordOutcome): void {
    if (!this.inBatch.has(record)) throw new Error(`record ${record.id} is not in this batch`);
    if (this.outcomes.has(record)) throw new Error(`record ${record.id} already has an outcome`);
    this.outcomes.set(record, outcome);
  }

  /** The outcome a record was given; it must have one. */
  outcomeOf(record: QueuedRecord): RecordOutcome {
    const outcome = this.outcomes.get(record);
    if (!outcome) throw new Error(`record ${record.id} has no outcome`);
    return outcome;
  }

  /** Every record's outcome, in the batch's order, and the records to hand back. */
  close(): BatchOutcome {
    const outcomes = this.records.map((record) => this.outcomeOf(record));
    return { failedIds: outcomes.filter((o) => o.result === 'retry').map((o) => o.id), outcomes };
  }
}
