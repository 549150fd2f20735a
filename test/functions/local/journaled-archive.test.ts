import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveDirOf } from '../../../functions/archive';
import { DEFAULT_LOCAL_CONFIG } from '../../../functions/config';
import { LocalJournal } from '../../../functions/local/journal';
import { JournaledArchive } from '../../../functions/local/journaled-archive';
import { startLocalRelay } from '../../../functions/local/relay-server';
import { silentLogger } from '../../../functions/observability';
import type { RelayEvent } from '../../../functions/paubox';
import { archiveEvent } from '../../support/archive';

/** The archive's lines under `dir`, every day file. */
function archivedKeys(dir: string): string[] {
  const root = archiveDirOf(dir);
  return readdirSync(root, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.jsonl'))
    .flatMap((file) => readFileSync(join(root, file), 'utf8').trim().split('\n').filter(Boolean))
    .map((line) => (JSON.parse(line) as { key: string }).key);
}

describe('JournaledArchive: the archive written after the 202, from the journal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'journaled-archive-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves an event whose line could not be written in the journal, to be archived at the next start', async () => {
    const journal = await LocalJournal.open(dir);
    const event = archiveEvent(1, 'delivered', '2026-11-20T14:00:00.000Z');
    await journal.accept(event, []);
    const failing = new JournaledArchive(
      { append: async () => Promise.reject(Object.assign(new Error('disk full'), { code: 'ENOSPC' })) },
      journal,
      silentLogger,
    );
    failing.add(event);
    await failing.idle();
    expect(journal.toArchive()).toEqual([event]);
    await journal.close();
  });

  it('archives at start what the journal accepted and a crash kept out of the archive, once', async () => {
    // As a crash between the journal's fsync (the 202) and the archive's leaves the data dir.
    const journal = await LocalJournal.open(dir);
    const events: RelayEvent[] = [1, 2].map((n) => archiveEvent(n, 'delivered', '2026-11-20T14:00:00.000Z'));
    for (const event of events) await journal.accept(event, []);
    await journal.close();

    const options = {
      config: DEFAULT_LOCAL_CONFIG,
      token: 'journaled-archive-token',
      fingerprintKey: 'journaled-archive-key',
      logger: silentLogger,
      port: 0,
      dataDir: dir,
      inspector: false as const,
      write: () => undefined,
    };
    const relay = await startLocalRelay(options);
    await relay.idle();
    expect(archivedKeys(dir).sort()).toEqual(['k-1', 'k-2']);
    await relay.close();
    // Written and recorded as written: the next start archives nothing again.
    const next = await startLocalRelay(options);
    await next.idle();
    await next.close();
    expect(archivedKeys(dir).sort()).toEqual(['k-1', 'k-2']);
  });
});
