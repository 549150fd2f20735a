import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { JsonFile } from '../../files';

/**
 * Where a destination in Slack app mode keeps the alerts it started threads with: per destination and thread key,
 * the channel, the message's `ts`, what the message shows now and when it began. Never PHI: a thread key is a hash
 * of what identifies the message (its tracking id or Message-ID), and nothing else of an event is kept.
 */

export interface SlackThread {
  readonly channel: string;
  /** The first message's timestamp: what replies give as `thread_ts` and what `chat.update` changes. */
  readonly ts: string;
  /** What the first message shows now: an event type (`temporary_failure`, `delivered`…) or a notice's state. */
  readonly state: string;
  /** When the first message's event happened (epoch ms), for "first failed at …"; absent when unknown. */
  readonly firstAt?: number;
}

export interface SlackThreadStore {
  get(destination: string, key: string): Promise<SlackThread | undefined>;
  /** Keeps `thread` for {@link THREAD_RETENTION_MS} from now. */
  put(destination: string, key: string, thread: SlackThread): Promise<void>;
}

/** Paubox retries a soft bounce for days; a week covers the follow-ups of any message. */
export const THREAD_RETENTION_MS = 7 * 24 * 3_600_000;

const hashed = (...parts: readonly string[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);

/** What identifies a message across its events: its source tracking id, else its Message-ID. */
export function messageKeyOf(message: {
  readonly sourceTrackingId?: string | undefined;
  readonly messageId?: string | undefined;
}): string | undefined {
  return message.sourceTrackingId || message.messageId || undefined;
}

/** The thread key of a message's alerts: a hash, since a Message-ID may name a person or a host. */
export const messageThreadKey = (messageKey: string): string => `m-${hashed('message', messageKey)}`;

/** The thread key of a relay notice's episode (a bounce-rate alert, a health problem): its reminders reply in it. */
export const noticeThreadKey = (...parts: readonly string[]): string => `n-${hashed('notice', ...parts)}`;

interface Stored {
  threads: Record<string, SlackThread & { expiresAtMs: number }>;
}

/**
 * The local relay's threads: in memory, and, with a data dir, in `<dataDir>/slack-threads.json`, written at each
 * change (at most one a post, so about one a second), so a delivery after a restart still updates its alert.
 */
export class MemoryThreadStore implements SlackThreadStore {
  private readonly stored: Stored;
  private readonly file?: JsonFile<Stored>;

  constructor(
    dataDir?: string,
    private readonly now: () => number = Date.now,
  ) {
    if (dataDir !== undefined) this.file = new JsonFile(join(dataDir, 'slack-threads.json'), () => ({ threads: {} }));
    this.stored = this.file?.read() ?? { threads: {} };
  }

  async get(destination: string, key: string): Promise<SlackThread | undefined> {
    const found = this.stored.threads[`${destination}#${key}`];
    if (!found || found.expiresAtMs < this.now()) return undefined;
    const { expiresAtMs: _, ...thread } = found;
    return thread;
  }

  async put(destination: string, key: string, thread: SlackThread): Promise<void> {
    const now = this.now();
    for (const [id, t] of Object.entries(this.stored.threads)) if (t.expiresAtMs < now) delete this.stored.threads[id];
    this.stored.threads[`${destination}#${key}`] = { ...thread, expiresAtMs: now + THREAD_RETENTION_MS };
    this.file?.write(this.stored);
  }
}
