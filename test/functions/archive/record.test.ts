import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveEvent, FileArchive } from '../../../functions/archive/file-archive';
import { partitionDay, toArchiveRecord } from '../../../functions/archive/record';
import { recipientFingerprint, toAlertView } from '../../../functions/alerts';
import { captureLogger } from '../../support/capture-logger';
import { fixtureEvent } from '../../support/events';

const KEY = 'archive-test-key';
const AT = new Date('2026-11-20T23:59:59.999Z');
const event = { ...fixtureEvent('permanent_failure'), customHeaders: { 'X-Campaign': 'spring-recall' } };

describe('toArchiveRecord', () => {
  it('keeps at minimal the type, times, ids, sender, recipient domains and fingerprints, and nothing else', () => {
    const record = toArchiveRecord(event, { detail: 'minimal', fingerprintKey: KEY }, AT);
    expect(record).toEqual({
      key: event.key,
      event_type: 'permanent_failure',
      event_time: event.time,
      archived_at: '2026-11-20T23:59:59.999Z',
      paubox_id: event.pauboxId,
      source_tracking_id: event.sourceTrackingId,
      message_id: event.messageId,
      sender: event.sender,
      sender_domain: event.senderDomain,
      recipient_domains: event.recipientDomains,
      recipient_fingerprints: event.recipients.map((r) => recipientFingerprint(r, KEY)),
      detail: 'minimal',
    });
    const line = JSON.stringify(record);
    for (const secret of [...event.recipients, event.subject!, 'spring-recall']) expect(line).not.toContain(secret);
  });

  it('adds the addresses at recipient, and the subject and custom headers only at full', () => {
    const recipient = toArchiveRecord(event, { detail: 'recipient', fingerprintKey: KEY }, AT);
    expect(recipient.recipients).toEqual(event.recipients);
    expect(recipient.subject).toBeUndefined();
    expect(recipient.custom_headers).toBeUndefined();
    const full = toArchiveRecord(event, { detail: 'full', fingerprintKey: KEY }, AT);
    expect(full).toMatchObject({ subject: event.subject, custom_headers: { 'x-campaign': 'spring-recall' } });
  });

  it('keeps header names in lower case, the first of two that differ only in case', () => {
    const mixed = { ...event, customHeaders: { 'X-Campaign': 'spring-recall', 'x-campaign': 'later', 'X-Site': 'b' } };
    const record = toArchiveRecord(mixed, { detail: 'full', fingerprintKey: KEY }, AT);
    expect(record.custom_headers).toEqual({ 'x-campaign': 'spring-recall', 'x-site': 'b' });
  });

  it('fingerprints recipients as alerts do, so the archive and the channel can be matched', () => {
    const record = toArchiveRecord(event, { detail: 'minimal', fingerprintKey: KEY }, AT);
    const view = toAlertView(event, { destination: 'ops', detail: 'minimal', fingerprintKey: KEY });
    expect(record.recipient_fingerprints).toEqual(view.recipientFingerprints);
  });

  it('partitions by the UTC day of archiving', () => {
    expect(partitionDay(AT)).toBe('2026-11-20');
    expect(partitionDay(new Date('2026-11-21T00:00:00.000Z'))).toBe('2026-11-21');
  });
});

describe('FileArchive', () => {
  it('appends one line per event under dt=YYYY-MM-DD, a file per writer and day', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'file-archive-')), 'archive');
    let now = new Date('2026-11-20T23:59:59.000Z');
    const first = new FileArchive(dir, { detail: 'minimal', fingerprintKey: KEY }, () => now);
    const second = new FileArchive(dir, { detail: 'minimal', fingerprintKey: KEY }, () => now);
    await Promise.all([first.append(event), second.append(event), first.append(fixtureEvent('delivered'))]);
    now = new Date('2026-11-21T00:00:01.000Z');
    await first.append(fixtureEvent('opened'));
    expect(readdirSync(dir).sort()).toEqual(['dt=2026-11-20', 'dt=2026-11-21']);
    expect(readdirSync(join(dir, 'dt=2026-11-20')).sort()).toEqual(['events-0.jsonl', 'events-1.jsonl']);
    const lines = (file: string) =>
      readFileSync(join(dir, file), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event_type: string });
    const day = [...lines('dt=2026-11-20/events-0.jsonl'), ...lines('dt=2026-11-20/events-1.jsonl')]
      .map((l) => l.event_type)
      .sort();
    expect(day).toEqual(['delivered', 'permanent_failure', 'permanent_failure']);
    expect(lines('dt=2026-11-21/events-0.jsonl').map((l) => l.event_type)).toEqual(['opened']);
  });

  it('says so in an error log when a line cannot be written, and never throws into the relay', async () => {
    const logger = captureLogger();
    const failing = { append: async () => Promise.reject(Object.assign(new Error('disk full'), { code: 'ENOSPC' })) };
    await expect(archiveEvent(failing, event, logger)).resolves.toBe(false);
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message: 'event not archived',
        fields: { eventKey: event.key, eventType: 'permanent_failure', reason: 'ENOSPC' },
      },
    ]);
  });
});
