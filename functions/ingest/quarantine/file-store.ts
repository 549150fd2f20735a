import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { appendDurably, readJsonLines, type ReadOptions } from '../../files';
import type { Quarantine, QuarantinedWebhook, UnreadWebhook } from './quarantine';

/** The file of the local quarantine, given the data dir. */
export const quarantineFileOf = (dataDir: string): string => join(dataDir, 'quarantine', 'webhooks.jsonl');

/** A quarantine line as read back: its listed fields, each of the right type; else skipped. */
function listed(value: Record<string, unknown>): QuarantinedWebhook | undefined {
  const { id, receivedAt, reason, bytes } = value;
  const ok = typeof id === 'string' && typeof receivedAt === 'string' && typeof reason === 'string';
  return ok && typeof bytes === 'number' ? { id, receivedAt, reason, bytes } : undefined;
}

/**
 * The local quarantine: one JSON line per webhook in `<dataDir>/quarantine/webhooks.jsonl`, readable by its owner
 * only (mode 600, in a mode 700 folder), since the body holds PHI. A webhook is on disk (fsync'd) before it is
 * answered `202 quarantined`, as the journal's events are before `202 accepted`.
 */
export class FileQuarantine implements Quarantine {
  constructor(
    private readonly dataDir: string,
    private readonly options: ReadOptions = {},
  ) {}

  get file(): string {
    return quarantineFileOf(this.dataDir);
  }

  async keep({ body, receivedAt }: UnreadWebhook, reason: string): Promise<string> {
    const id = `q-${randomUUID()}`;
    const entry = {
      id,
      receivedAt: receivedAt.toISOString(),
      reason,
      bytes: body.length,
      body: body.toString('base64'),
    };
    await mkdir(join(this.dataDir, 'quarantine'), { recursive: true, mode: 0o700 });
    await appendDurably(this.file, `${JSON.stringify(entry)}\n`);
    return id;
  }

  /** Ids, times, reasons and sizes, at most `max` of them: never the bodies. Unreadable lines are skipped, counted. */
  async list(max = Number.POSITIVE_INFINITY): Promise<QuarantinedWebhook[]> {
    return (await readJsonLines(this.file, listed, this.options)).records.slice(0, max);
  }
}
