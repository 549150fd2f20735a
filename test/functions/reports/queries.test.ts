import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileArchive } from '../../../functions/archive';
import { duckDbEngine } from '../../../functions/reports/local/duckdb-engine';
import type { QueryEngine } from '../../../functions/reports/engine';
import { QUERY_NAMES, rangeEndingAt, rangeParameters } from '../../../functions/reports/queries';
import { summarize } from '../../../functions/reports/summary';
import type { RelayEvent } from '../../../functions/paubox';
import { archiveEvent } from '../../support/archive';

const END = new Date('2026-03-15T00:00:00.000Z');
const WEEK = 7 * 86_400_000;
const RANGE = rangeEndingAt(END, WEEK);
const CAMPAIGN = { 'X-Campaign': 'spring-recall' };
/** The same header as another sender spells it: header names are case-insensitive. */
const CAMPAIGN_LOWER = { 'x-campaign': 'spring-recall' };

/**
 * A generated archive, at detail full so that the header query has values. This week (Mar 8 to 15): 6 delivered,
 * 3 opened, 3 temporary and 2 permanent failures (one to two domains at once), one event archived twice, and one
 * event after the end. The week before: 2 delivered and 1 permanent failure. One event before both.
 */
function events(): { event: RelayEvent; archivedAt: string }[] {
  const at = (time: string, lateDays = 0) => new Date(Date.parse(time) + lateDays * 86_400_000).toISOString();
  const list: [RelayEvent, number?][] = [
    [archiveEvent(1, 'delivered', '2026-03-08T00:00:00.000Z', { headers: CAMPAIGN })],
    [archiveEvent(2, 'delivered', '2026-03-09T10:00:00.000Z', { headers: CAMPAIGN })],
    [archiveEvent(3, 'delivered', '2026-03-10T10:00:00.000Z')],
    [archiveEvent(4, 'delivered', '2026-03-11T10:00:00.000Z', { sender: 'billing@billing.example.com' })],
    [archiveEvent(5, 'delivered', '2026-03-12T10:00:00.000Z', { recipients: ['patient1@patients.example.org'] })],
    [archiveEvent(6, 'delivered', '2026-03-14T23:59:59.999Z')],
    [archiveEvent(7, 'opened', '2026-03-10T11:00:00.000Z', { recipients: ['patient3@patients.example.org'] })],
    [archiveEvent(8, 'opened', '2026-03-11T11:00:00.000Z')],
    [archiveEvent(9, 'opened', '2026-03-12T11:00:00.000Z')],
    [
      archiveEvent(10, 'temporary_failure', '2026-03-09T12:00:00.000Z', {
        recipients: ['a@inbox.example.net'],
        headers: CAMPAIGN_LOWER,
      }),
    ],
    [archiveEvent(11, 'temporary_failure', '2026-03-10T12:00:00.000Z', { recipients: ['b@inbox.example.net'] }), 1],
    [
      archiveEvent(12, 'temporary_failure', '2026-03-13T12:00:00.000Z', {
        recipients: ['c@mail.example.com'],
        sender: 'billing@billing.example.com',
      }),
    ],
    [
      archiveEvent(13, 'permanent_failure', '2026-03-11T12:00:00.000Z', {
        recipients: ['d@inbox.example.net', 'e@mail.example.com'],
        headers: CAMPAIGN,
      }),
    ],
    [archiveEvent(14, 'permanent_failure', '2026-03-14T22:00:00.000Z', { recipients: ['f@inbox.example.net'] })],
    // Archived again the next day (an at-least-once redelivery): still one event.
    [archiveEvent(14, 'permanent_failure', '2026-03-14T22:00:00.000Z', { recipients: ['f@inbox.example.net'] }), 1],
    [archiveEvent(15, 'delivered', '2026-03-15T00:00:00.000Z')],
    [archiveEvent(20, 'delivered', '2026-03-02T10:00:00.000Z')],
    [archiveEvent(21, 'delivered', '2026-03-03T10:00:00.000Z')],
    [archiveEvent(22, 'permanent_failure', '2026-03-04T10:00:00.000Z', { recipients: ['g@old.example.org'] })],
    [archiveEvent(30, 'permanent_failure', '2026-02-28T23:59:59.999Z')],
  ];
  return list.map(([event, late]) => ({ event, archivedAt: at(event.time, late ?? 0) }));
}

let engine: QueryEngine;

beforeAll(async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'report-queries-')), 'archive');
  let now = new Date();
  const archive = new FileArchive(dir, { detail: 'full', fingerprintKey: 'test-key' }, () => now);
  for (const { event, archivedAt } of events()) {
    now = new Date(archivedAt);
    await archive.append(event);
  }
  engine = await duckDbEngine(dir);
});

afterAll(async () => {
  await engine.close?.();
});

const parameters = rangeParameters(RANGE, 'X-Campaign');

describe('the report queries on DuckDB', () => {
  it('summary: counts by type, unique recipients and bounce rates, for the period and the one before', async () => {
    expect(await engine.run('summary', parameters)).toEqual([
      {
        period: 'current',
        delivered: '6',
        opened: '3',
        temporary_failure: '3',
        permanent_failure: '2',
        // patient1..4, patient6, patient8, patient9, a, b, c, d, e, f: 13 (patient1 and patient3 come back).
        unique_recipients: '13',
        bounce_rate: String(Math.round((5 / 11) * 1e4) / 1e4),
        hard_bounce_rate: String(Math.round((2 / 11) * 1e4) / 1e4),
        soft_bounce_rate: String(Math.round((3 / 11) * 1e4) / 1e4),
      },
      {
        period: 'previous',
        delivered: '2',
        opened: '0',
        temporary_failure: '0',
        permanent_failure: '1',
        unique_recipients: '3',
        bounce_rate: '0.3333',
        hard_bounce_rate: '0.3333',
        soft_bounce_rate: '0',
      },
    ]);
  });

  it('failing-recipient-domains: most failures first, an event in two domains counted in both', async () => {
    expect(await engine.run('failing-recipient-domains', parameters)).toEqual([
      { period: 'current', domain: 'inbox.example.net', failures: '4', permanent_failure: '2' },
      { period: 'current', domain: 'mail.example.com', failures: '2', permanent_failure: '1' },
      { period: 'previous', domain: 'old.example.org', failures: '1', permanent_failure: '1' },
    ]);
  });

  it('failures-by-sender-domain: failures and outcomes of each sender domain', async () => {
    expect(await engine.run('failures-by-sender-domain', parameters)).toEqual([
      {
        period: 'current',
        sender_domain: 'mail.clinic.example.com',
        failures: '4',
        permanent_failure: '2',
        outcomes: '9',
      },
      { period: 'current', sender_domain: 'billing.example.com', failures: '1', permanent_failure: '0', outcomes: '2' },
      {
        period: 'previous',
        sender_domain: 'mail.clinic.example.com',
        failures: '1',
        permanent_failure: '1',
        outcomes: '3',
      },
    ]);
  });

  it('failures-by-header: outcomes by the value of the named header, events without it under null', async () => {
    expect(await engine.run('failures-by-header', parameters)).toEqual([
      { period: 'current', header_value: null, failures: '3', outcomes: '7' },
      { period: 'current', header_value: 'spring-recall', failures: '2', outcomes: '4' },
      { period: 'previous', header_value: null, failures: '1', outcomes: '3' },
    ]);
  });

  it('every query in the repository is run by this file', () => {
    expect([...QUERY_NAMES].sort()).toEqual(
      ['failing-recipient-domains', 'failures-by-header', 'failures-by-sender-domain', 'summary'].sort(),
    );
  });

  it('summarize puts the answers together as report --json prints them', async () => {
    const summary = await summarize(engine, RANGE, 'X-Campaign');
    expect(summary).toMatchObject({
      since: '2026-03-08T00:00:00.000Z',
      until: '2026-03-15T00:00:00.000Z',
      previousSince: '2026-03-01T00:00:00.000Z',
      delivered: 6,
      opened: 3,
      temporary_failure: 3,
      permanent_failure: 2,
      uniqueRecipients: 13,
      bounceRate: 0.4545,
      topFailingRecipientDomains: [
        { domain: 'inbox.example.net', count: 4 },
        { domain: 'mail.example.com', count: 2 },
      ],
      failuresByHeader: {
        header: 'X-Campaign',
        values: [
          { value: null, failures: 3, outcomes: 7 },
          { value: 'spring-recall', failures: 2, outcomes: 4 },
        ],
      },
      previous: {
        delivered: 2,
        permanent_failure: 1,
        bounceRate: 0.3333,
        topFailingRecipientDomains: [{ domain: 'old.example.org', count: 1 }],
      },
    });
  });

  it('answers zeros, not an error, over an archive with no lines yet', async () => {
    const empty = await duckDbEngine(join(mkdtempSync(join(tmpdir(), 'report-empty-')), 'archive'));
    try {
      const summary = await summarize(empty, RANGE);
      expect(summary).toMatchObject({
        delivered: 0,
        opened: 0,
        temporary_failure: 0,
        permanent_failure: 0,
        bounceRate: null,
      });
      expect(summary.topFailingRecipientDomains).toEqual([]);
    } finally {
      await empty.close?.();
    }
  });
});
