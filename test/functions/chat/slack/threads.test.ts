import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryThreadStore, messageThreadKey, THREAD_RETENTION_MS } from '../../../../functions/chat/slack/threads';

describe('MemoryThreadStore', () => {
  it('keeps threads per destination in the data dir across a restart, and forgets them after their week', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'threads-'));
    let now = 1_000_000;
    const key = messageThreadKey('<abc@mail.clinic.example.com>');
    await new MemoryThreadStore(dir, () => now).put('app', key, {
      channel: 'C1',
      ts: '1.2',
      state: 'temporary_failure',
    });
    const again = new MemoryThreadStore(dir, () => now);
    await expect(again.get('app', key)).resolves.toEqual({ channel: 'C1', ts: '1.2', state: 'temporary_failure' });
    await expect(again.get('other', key)).resolves.toBeUndefined();
    // A hash of the message key, never the key itself.
    expect(readFileSync(join(dir, 'slack-threads.json'), 'utf8')).not.toContain('abc@mail');
    now += THREAD_RETENTION_MS + 1;
    await expect(again.get('app', key)).resolves.toBeUndefined();
  });
});
