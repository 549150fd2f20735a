import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Quarantine, QuarantinedWebhook, UnreadWebhook } from './quarantine';

/**
 * The local quarantine: one JSON line per webhook in `<dataDir>/quarantine/webhooks.jsonl`, readable by its owner
 * only (mode 600, in a mode 700 folder), since the body holds PHI.
 */
export class FileQuarantine implements Quarantine {
  private readonly folder: string;

  constructor(dataDir: string) {
    this.folder = join(dataDir, 'quarantine');
  }

  get file(): string {
    return join(this.folder, 'webhooks.jsonl');
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
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    await appendFile(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    return id;
  }

  /** Ids, times, reasons and sizes: never the bodies. */
  async list(max = Number.POSITIVE_INFINITY): Promise<QuarantinedWebhook[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const { id, receivedAt, reason, bytes } = JSON.parse(line) as QuarantinedWebhook;
        return { id, receivedAt, reason, bytes };
      })
      .slice(0, max);
  }
}
