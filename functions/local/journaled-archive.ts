import { archiveDirOf, archiveEvent, FileArchive } from '../archive';
import { recordDetail } from '../config';
import type { Logger } from '../observability';
import type { RelayEvent } from '../paubox';
import type { LocalJournal } from './journal';
import type { LocalRelayOptions } from './relay-types';

/** Behind the journal, the archive flushes at most this often during a burst. */
const GATHER_MS = 200;

/**
 * The local relay's archive, derived from its journal: an event is archived after its webhook is answered 202 (the
 * journal's fsync is what accepts it), so a 202 waits for one disk flush, not two. The journal keeps each event until
 * its line is on disk; at start, what a crash or a failed write kept out of the archive is archived then.
 */
export class JournaledArchive {
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly archive: Pick<FileArchive, 'append'>,
    private readonly journal: LocalJournal | undefined,
    private readonly logger: Logger,
  ) {}

  /** The relay's archive: `options.archive`, else a FileArchive in `<dataDir>/archive` at the config's level. */
  static forRelay(options: LocalRelayOptions, journal: LocalJournal | undefined): JournaledArchive {
    const { config, dataDir, fingerprintKey } = options;
    const dir = archiveDirOf(dataDir ?? '.relay-data');
    const archive =
      options.archive ??
      new FileArchive(dir, { detail: recordDetail(config), fingerprintKey }, undefined, journal ? GATHER_MS : 0);
    return new JournaledArchive(archive, journal, options.logger);
  }

  /** Archives what the journal accepted and the archive never got. */
  replay(): void {
    for (const event of this.journal?.toArchive() ?? []) this.add(event);
  }

  /** Archives an accepted event, and tells the journal once its line is on disk. */
  add(event: RelayEvent): void {
    const write: Promise<void> = archiveEvent(this.archive, event, this.logger)
      .then((written) => {
        if (written) this.journal?.archived(event.key);
      })
      .finally(() => this.writing.delete(write));
    this.writing.add(write);
  }

  /** Resolves once every line asked for is written (or failed, and left to the next start). */
  async idle(): Promise<void> {
    while (this.writing.size > 0) await Promise.all(this.writing);
  }
}
