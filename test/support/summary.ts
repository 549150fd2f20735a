import type { DeliverabilitySummary } from '../../functions/reports';

/** A report summary for card and notifier tests; `domain` fills every domain and header value. */
export function sampleSummary(domain = 'inbox.example.net'): DeliverabilitySummary {
  return {
    since: '2026-03-08T00:00:00.000Z',
    until: '2026-03-15T00:00:00.000Z',
    previousSince: '2026-03-01T00:00:00.000Z',
    delivered: 1234,
    opened: 600,
    temporary_failure: 30,
    permanent_failure: 12,
    uniqueRecipients: 1100,
    bounceRate: 0.0333,
    hardBounceRate: 0.0094,
    softBounceRate: 0.0237,
    topFailingRecipientDomains: [
      { domain, count: 20 },
      { domain: 'mail.example.com', count: 7 },
    ],
    failuresBySenderDomain: [{ domain, failures: 42, permanent_failure: 12, outcomes: 1276 }],
    previous: {
      delivered: 1000,
      opened: 500,
      temporary_failure: 10,
      permanent_failure: 2,
      uniqueRecipients: 900,
      bounceRate: 0.0118,
      hardBounceRate: 0.002,
      softBounceRate: 0.0098,
      topFailingRecipientDomains: [{ domain: 'old.example.org', count: 3 }],
    },
    failuresByHeader: {
      header: 'X-Campaign',
      values: [
        { value: domain, failures: 9, outcomes: 300 },
        { value: null, failures: 33, outcomes: 976 },
      ],
    },
  };
}
