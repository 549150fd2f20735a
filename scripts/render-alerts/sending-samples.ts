import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recipientFingerprint, toAlertView } from '../../functions/alerts';
import type { RateNotice, SilenceEndNotice } from '../../functions/alerts';
import { parsePauboxWebhook } from '../../functions/paubox';
import type { ChatView } from '../../functions/alerts';

/** The messages about a sender: a bounce-rate alert, its reminder and resolution, a silence's end, and advice. */

const KEY = 'render-alerts-example-key';

const rate: RateNotice = {
  sending: 'rate',
  key: 'rate-3f2a9c01b7d4e6a8c0f1e2d3',
  state: 'problem',
  level: 'alert',
  senderDomain: 'mail.clinic.example.com',
  hard: 61,
  total: 1000,
  soft: 14,
  windowHours: 24,
  previousRate: 0.031,
  topRecipientDomains: [
    { domain: 'patients.example.org', count: 38 },
    { domain: 'mail.example.net', count: 15 },
    { domain: 'health.example.com', count: 8 },
  ],
  since: '2026-11-20T14:03:00.000Z',
  at: '2026-11-20T14:03:00.000Z',
};

const silence: SilenceEndNotice = {
  sending: 'silence',
  key: 'silence-9c01b7d4e6a8c0f1e2d33f2a',
  id: 's-4e6a8c0f',
  match: { event: 'temporary_failure', recipientDomain: 'patients.example.org' },
  reason: 'patients.example.org mail servers down (their status page, ticket 4411)',
  startedAt: '2026-11-20T09:00:00.000Z',
  endedAt: '2026-11-20T13:00:00.000Z',
  hidden: [
    { type: 'temporary_failure', domain: 'patients.example.org', count: 212 },
    { type: 'temporary_failure', domain: 'mx2.patients.example.org', count: 9 },
  ],
};

export function sendingSamples(): { readonly name: string; readonly view: ChatView }[] {
  const path = join(__dirname, '..', '..', 'test', 'fixtures', 'paubox', 'permanent_failure.json');
  const parsed = parsePauboxWebhook(JSON.parse(readFileSync(path, 'utf8')));
  if (parsed.kind !== 'event') throw new Error('fixture permanent_failure is not an event');
  const hard = parsed.event;
  const fingerprint = recipientFingerprint(hard.recipients[0]!, KEY);
  const options = { destination: 'clinic-ops', detail: 'minimal' as const, fingerprintKey: KEY, timeZone: 'UTC' };
  return [
    { name: 'rate-alert', view: rate },
    {
      name: 'rate-reminder',
      view: {
        ...rate,
        key: 'rate-0c1d2e3f4a5b6c7d8e9f0a1b',
        state: 'reminder',
        reminder: 2,
        hard: 64,
        previousRate: 0.061,
      },
    },
    {
      name: 'rate-resolved',
      view: { ...rate, key: 'rate-1d2e3f4a5b6c7d8e9f0a1b2c', state: 'resolved', hard: 12, previousRate: 0.064 },
    },
    { name: 'silence-ended', view: silence },
    {
      name: 'advice',
      view: toAlertView(hard, options, {
        failureCounts: new Map([[fingerprint, 2]]),
        advised: [{ fingerprint, count: 3, windowDays: 30 }],
      }),
    },
  ];
}
