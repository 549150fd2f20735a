import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePauboxWebhook, type RelayEvent } from '../../functions/commons/paubox-event';

export type FixtureName = 'permanent_failure' | 'temporary_failure' | 'delivered' | 'opened' | 'legacy_permanent_failure';

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
export function hostileEvent(): RelayEvent {
  const all = HOSTILE_STRINGS.join(' ');
  const base = fixtureEvent('permanent_failure');
  return {
    ...base,
    time: '\u001b]0;retitled\u0007<!here>',
    sender: '<!channel>*bold*@mail.clinic.example.com',
    senderDomain: '<!here>*x*.example',
    recipients: ['jordan.lee@patients.example.org', '<@U123>@patients.example.org', '[click](https://evil.example)@x.org'],
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
