import type { ChatView } from '../alerts';
import { type AlertSender, DeliveryError } from '../chat';
import type { RecordOutcome } from '../delivery';
import type { Logger } from '../observability';
import type { RelayEvent } from '../paubox';

/**
 * What the local relay reports as it works, for the inspector: each webhook and its answer, each record queued
 * for a destination, each send attempt and what became of each record. Holds PHI (the event): an observer keeps
 * it in memory only and shows no more of it than the configuration allows.
 */
export interface RelayObserver {
  webhook(report: WebhookReport): void;
  /** A record was put on a destination's queue: routed there by its filter policy, or redriven from the dead letters. */
  queued(destination: string, event: RelayEvent, how: 'routed' | 'redriven'): void;
  attempt(destination: string, report: AttemptReport): void;
  /**
   * The notifier's verdict on one record; for `retry`, `redeliverInMs` when the queue hands it back, else the record
   * was dead-lettered on its last receive (the outcome then says `dead_lettered`).
   */
  settled(destination: string, outcome: RecordOutcome, redeliverInMs?: number): void;
}

export interface WebhookReport {
  readonly receivedAt: Date;
  readonly status: number;
  /** The answer's `status` (accepted, ignored) or `error` code (unauthorized, malformed_json, …). */
  readonly answer: string;
  /** Set when the webhook was accepted and handed to the fan-out. */
  readonly event?: RelayEvent;
}

export interface AttemptReport {
  /** The event's key for a lone alert, the digest's key for a digest. */
  readonly postKey: string;
  /** What was sent; for a digest, how its events are shown. */
  readonly view: ChatView;
  readonly startedAt: number;
  readonly durationMs: number;
  /** Absent when the platform accepted the post. */
  readonly failure?: {
    readonly reason: string;
    readonly retryable: boolean;
    readonly status?: number;
    readonly retryAfterSeconds?: number;
  };
}

/** Reports every attempt of a sender, with the platform's answer, and otherwise behaves exactly as it does. */
export function observedSender(destination: string, sender: AlertSender, observer: RelayObserver): AlertSender {
  return {
    kind: sender.kind,
    ...(sender.verb !== undefined ? { verb: sender.verb } : {}),
    async send(view) {
      const startedAt = Date.now();
      const report = (failure?: AttemptReport['failure']): void =>
        observer.attempt(destination, {
          postKey: view.key,
          view,
          startedAt,
          durationMs: Date.now() - startedAt,
          ...(failure ? { failure } : {}),
        });
      try {
        await sender.send(view);
      } catch (error) {
        const known = error instanceof DeliveryError;
        report({
          reason: known ? error.reason : 'unexpected_error',
          retryable: known ? error.retryable : true,
          ...(known && error.status !== undefined ? { status: error.status } : {}),
          ...(known && error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
        });
        throw error;
      }
      report();
    },
  };
}

/**
 * An observer whose failures are logged and swallowed: watching must never change what the relay does (a throw
 * after a successful send would otherwise read as a failed post and post it twice).
 */
export function guardObserver(observer: RelayObserver, logger: Logger): RelayObserver {
  const guard =
    <A extends unknown[]>(call: (...args: A) => void) =>
    (...args: A): void => {
      try {
        call(...args);
      } catch (error) {
        logger.log('warn', 'the inspector could not record what happened', {
          errorName: error instanceof Error ? error.name : typeof error,
        });
      }
    };
  return {
    webhook: guard(observer.webhook.bind(observer)),
    queued: guard(observer.queued.bind(observer)),
    attempt: guard(observer.attempt.bind(observer)),
    settled: guard(observer.settled.bind(observer)),
  };
}
