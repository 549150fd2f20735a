import type { ChatView } from '../../alerts';
import { decodeHealthNotice, decodeSendingNotice } from '../../alerts';
import { toReportView } from '../../alerts';
import type { SendVerb } from '../../chat';
import { decodeQueuedReport, looksLikeQueuedReport } from '../../reports';
import { reasonOf } from '../error-reason';
import type { DeliveryOutcome } from '../retry';
import { claimEvents } from './claim';
import { settleCopies } from './copies';
import { decodeRecords } from './decode';
import type { NotifyDestination } from './deps';
import { deadLetter, handBack } from './hand-back';
import type { QueuedRecord } from './ledger';
import { openDestination, sendView } from './post';
import type { BatchRun, Claimed, Keyed } from './run';

/**
 * Messages queued beside the events, each posted on its own under its own key with the same claims, pacing,
 * retries, dead letters and ledger as an alert: a message queued twice (by two alarms' actions, a scheduler's
 * retry, a redelivery) is posted once. A new kind of message is one more `MessageKind` in `MESSAGE_KINDS`.
 */

/** A message read from its record: its key, its type and what it shows. */
export interface Message extends Keyed {
  readonly noun: string;
  readonly view: ChatView;
}

export interface MessageKind {
  /** Its `eventType` in dead letters and log lines. */
  readonly type: string;
  /** What log lines call it. */
  readonly noun: string;
  /** Posted before the batch's events, or after them. */
  readonly when: 'before' | 'after';
  /** Whether a record is of this kind: one that is, but cannot be read, is dead-lettered as this kind. */
  readonly holds: (body: string) => boolean;
  readonly read: (body: string, destination: NotifyDestination) => Message | undefined;
}

/** Relay health notices: short, and about the relay itself, so they go before the batch's alerts. */
const HEALTH_NOTICES: MessageKind = {
  type: 'health',
  noun: 'health notice',
  when: 'before',
  holds: (body) => decodeHealthNotice(body) !== undefined,
  read: (body) => {
    const notice = decodeHealthNotice(body);
    return notice && { key: notice.key, type: 'health', noun: 'health notice', view: notice };
  },
};

/**
 * Notices about a sender (a bounce rate, what a silence hid): posted before the batch's alerts, so a rate alert
 * comes before the digests it folds. Never silenced.
 */
const SENDING_NOTICES: MessageKind = {
  type: 'sending',
  noun: 'sending notice',
  when: 'before',
  holds: (body) => decodeSendingNotice(body) !== undefined,
  read: (body) => {
    const notice = decodeSendingNotice(body);
    return notice && { key: notice.key, type: 'sending', noun: `${notice.sending} notice`, view: notice };
  },
};

/** Deliverability reports: a summary of the period, posted after the batch's alerts, at the destination's level. */
const REPORTS: MessageKind = {
  type: 'report',
  noun: 'report',
  when: 'after',
  holds: looksLikeQueuedReport,
  read: (body, destination) => {
    const report = decodeQueuedReport(body);
    if (!report) return undefined;
    const { key, summary } = report;
    const view = toReportView(summary, { key, destination: destination.name, detail: destination.detail });
    return { key, type: 'report', noun: 'report', view };
  },
};

export const MESSAGE_KINDS: readonly MessageKind[] = [HEALTH_NOTICES, SENDING_NOTICES, REPORTS];

/** The batch's records by kind: the messages of each kind, and the rest (events, or records that hold nothing). */
export interface SplitBatch {
  readonly messages: ReadonlyMap<MessageKind, readonly QueuedRecord[]>;
  readonly events: readonly QueuedRecord[];
}

export function splitMessages(records: readonly QueuedRecord[]): SplitBatch {
  const messages = new Map<MessageKind, QueuedRecord[]>();
  const events: QueuedRecord[] = [];
  for (const record of records) {
    const kind = MESSAGE_KINDS.find((k) => k.holds(record.body));
    if (!kind) events.push(record);
    else messages.set(kind, [...(messages.get(kind) ?? []), record]);
  }
  return { messages, events };
}

/** Posts the messages of the kinds that go `when`, kind by kind, one by one in the batch's order. */
export async function postMessages(run: BatchRun, batch: SplitBatch, when: MessageKind['when']): Promise<void> {
  for (const [kind, records] of batch.messages) {
    if (kind.when === when) await postKind(run, kind, records);
  }
}

async function postKind(run: BatchRun, kind: MessageKind, records: readonly QueuedRecord[]): Promise<void> {
  const read = (body: string) => kind.read(body, run.deps.destination);
  const decoded = await decodeRecords(run, records, read, { type: kind.type, noun: kind.noun });
  const claimed = await claimEvents(run, decoded);
  const open = claimed.length > 0 ? await openDestination(run, claimed) : undefined;
  if (open) {
    for (const item of claimed) {
      const { outcome, durationMs } = await sendView(run, open.sender, item.event.view, item.record.receiveCount);
      await settleMessage(run, item, outcome, { durationMs, verb: open.sender.verb });
    }
  }
  settleCopies(run, decoded);
}

async function settleMessage(
  run: BatchRun,
  item: Claimed<Message>,
  outcome: DeliveryOutcome,
  { durationMs, verb }: { readonly durationMs: number; readonly verb: SendVerb },
): Promise<void> {
  const { record, event } = item;
  const { destination, logger } = run;
  const about = { destination, eventKey: event.key, eventType: event.type };
  switch (outcome.kind) {
    case 'posted': {
      const { attempts, rateLimited, unconfirmed } = outcome;
      await run.deps.stores.dedup.confirm(destination, event.key, 'posted').catch((error: unknown) =>
        logger.log('warn', 'posted, but the de-duplication record was not updated', {
          ...about,
          reason: reasonOf(error),
        }),
      );
      run.ledger.record(record, {
        id: record.id,
        eventKey: event.key,
        result: 'posted',
        unconfirmed,
        attempts,
        rateLimited,
      });
      const message = unconfirmed ? `${event.noun} sent, reply timed out; not resent` : `${verb} ${event.noun}`;
      logger.log(unconfirmed ? 'warn' : 'info', message, { ...about, attempt: attempts, durationMs });
      return;
    }
    case 'dead':
      // An answer of the platform; not a destination already known broken, whose messages went unsent.
      if (outcome.attempts > 0) run.metric('DestinationBroken', 1);
      await deadLetter(run, record, event, outcome.reason, outcome, outcome.status);
      return;
    case 'retry_later':
      // On its last receive it is dead-lettered instead, and says so.
      if ((await handBack(run, item, outcome.reason, outcome)) !== 'retry') return;
      logger.log('warn', `${event.noun} not posted yet; handed back to the queue`, {
        ...about,
        reason: outcome.reason,
        attempt: outcome.attempts,
      });
  }
}
