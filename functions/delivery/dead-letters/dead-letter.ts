/**
 * A record that cannot be posted: kept with its reason until the channel is fixed and it is redriven.
 * `body` is the event as queued (PHI): it stays in the encrypted DLQ or the local data folder, never in logs.
 */
export interface DeadLetter {
  readonly destination: string;
  readonly eventKey: string;
  readonly eventType: string;
  /** A short code: `no_service`, `channel_is_archived`, `invalid_payload`, `max_receives_exceeded`, … */
  readonly reason: string;
  readonly status?: number;
  readonly failedAt: string;
  readonly body: string;
}

export interface DeadLetterSink {
  put(letter: DeadLetter): Promise<void>;
}

/** What an operator may see of dead letters: counts by reason, no PHI. */
export function summarizeDeadLetters(letters: readonly Pick<DeadLetter, 'reason'>[]): Record<string, number> {
  const byReason: Record<string, number> = {};
  for (const { reason } of letters) byReason[reason] = (byReason[reason] ?? 0) + 1;
  return byReason;
}
