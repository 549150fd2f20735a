import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePauboxWebhook, type RelayEvent } from '../../functions/paubox';

export type FixtureName =
  | 'permanent_failure'
  | 'temporary_failure'
  | 'delivered'
  | 'opened'
  | 'legacy_permanent_failure';

/** Every Paubox fixture in test/fixtures/paubox. */
export const FIXTURE_NAMES: readonly FixtureName[] = [
  'permanent_failure',
  'temporary_failure',
  'delivered',
  'opened',
  'legacy_permanent_failure',
];

/**
 * Reads and parses a Paubox fixture from test/fixtures/paubox.
 *
 * @throws Error when the parser ignores the fixture (its event name is unknown)
 */
export function fixtureEvent(name: FixtureName): RelayEvent {
  const body: unknown = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'paubox', `${name}.json`), 'utf8'));
  const result = parsePauboxWebhook(body);
  if (result.kind !== 'event') throw new Error(`fixture ${name} was ignored (event name ${result.eventName})`);
  return result.event;
}

/**
 * Strings that would ping a channel, form a link, format text, run a card function or drive a terminal
 * if a renderer passed them through; plus line breaks, bidi overrides, emoji, non-ASCII and a lone surrogate.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U123>',
  '<#C123>',
  '<!subteam^S123>',
  '<https://evil.example|click>',
  '<mailto:x@evil.example|mail>',
  '*bold*',
  '_italic_',
  '~strike~',
  '`code`',
  '```block```',
  '> quote',
  '[click](https://evil.example)',
  '![img](https://evil.example/x.png)',
  '**strong**',
  '<at>Jordan Lee</at>',
  '&lt;!channel&gt;',
  '{{DATE(2017-02-14T06:08:39Z, SHORT)}}',
  '- item',
  '1. item',
  '# heading',
  '\u001b[31mred\u001b[0m',
  '\u001b]0;retitled\u0007',
  '\u009b2J',
  'line\nbreak\r\n- item\u2028next',
  '\u202Eevil\u202C',
  'emoji 🚨👩‍⚕️ :smile:',
  'Müller 日本語 ñ',
  'lone \uD800 surrogate',
];

/**
 * The permanent-failure fixture with every untrusted field replaced by hostile text, built by spreading
 * (so it is not limited by the parser's validation).
 */
/** The fixture permanent failure with `value` in every untrusted field (the console drops nothing either way). */
export function everyField(value: string): RelayEvent {
  return {
    ...fixtureEvent('permanent_failure'),
    time: value,
    sender: value,
    senderDomain: value,
    recipients: [value],
    recipientDomains: [value],
    subject: value,
    customHeaders: { [value]: value },
    pauboxId: value,
    sourceTrackingId: value,
    messageId: value,
  };
}

export function hostileEvent(): RelayEvent {
  const all = HOSTILE_STRINGS.join(' ');
  const base = fixtureEvent('permanent_failure');
  return {
    ...base,
    time: '\u001b]0;retitled\u0007<!here>',
    sender: '<!channel>*bold*@mail.clinic.example.com',
    senderDomain: '<!here>*x*.example',
    recipients: [
      'jordan.lee@patients.example.org',
      '<@U123>@patients.example.org',
      '[click](https://evil.example)@x.org',
    ],
    recipientDomains: ['patients.example.org', '<https://evil.example|click>', '_it_.example', '<!everyone>'],
    subject: all,
    customHeaders: {
      'X-Clinic-Location': 'north',
      '<!everyone>': '<!channel>',
      '[click](https://evil.example)': '*bold* <at>Jordan</at>',
      'X-Terminal': '\u001b[31mred\u001b[0m',
    },
    pauboxId: '<@U123>',
    sourceTrackingId: '{{DATE(2017-02-14T06:08:39Z, SHORT)}}',
    messageId: '<https://evil.example|click>',
  };
}

/** The permanent-failure fixture's time, 2026-11-20T14:03:11.482Z, in milliseconds since the epoch. */
export const PERMANENT_FAILURE_AT = Date.UTC(2026, 10, 20, 14, 3, 11, 482);

/**
 * The facts a chat message shows of `fixtureEvent('permanent_failure')` at `full` detail, label → value, as the
 * reader sees them (Slack and Teams show the same ones); `fingerprint` is the recipient's under the test key,
 * `time` the platform's form of {@link PERMANENT_FAILURE_AT}.
 */
export function permanentFailureFacts(fingerprint: string, time: string): [string, string][] {
  return [
    ['Event', 'Permanent failure (hard bounce)'],
    ['Time', time],
    ['Sender', 'appointments@mail.clinic.example.com'],
    ['Recipient domain', 'patients.example.org'],
    ['Recipient fingerprint', fingerprint],
    ['Recipient', 'jordan.lee@patients.example.org'],
    ['Paubox id', '7300000101'],
    ['Source tracking id', 'c0ffee00-1234-4abc-8def-0000000000a1'],
    ['Message-ID', '<7f3c2a10-5b1e-4c2d-9a8e-0000000000a1@mail.clinic.example.com>'],
    ['Subject', 'Your appointment on Tuesday'],
    ['Custom headers', 'X-Clinic-Location: north'],
  ];
}
