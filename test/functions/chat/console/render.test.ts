import { recipientFingerprint, toAlertView, type AlertView, GUIDANCE } from '../../../../functions/alerts';
import { DETAIL_LEVELS, type DetailLevel } from '../../../../functions/config';
import type { RelayEvent } from '../../../../functions/paubox';
import { renderConsole } from '../../../../functions/chat/console/render';
import { everyField, FIXTURE_NAMES, fixtureEvent, HOSTILE_STRINGS, hostileEvent } from '../../../support/events';

const KEY = 'test-fingerprint-key';
const ADDRESS = 'jordan.lee@patients.example.org';

function viewOf(event: RelayEvent, detail: DetailLevel = 'full'): AlertView {
  return toAlertView(event, { destination: 'local-console', detail, fingerprintKey: KEY });
}

// Any C0 or C1 control other than the line feeds the renderer itself puts between lines.
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;

describe('renderConsole', () => {
  it('prints a headline, then one indented line per fact', () => {
    const event = fixtureEvent('permanent_failure');
    expect(renderConsole(viewOf(event, 'full')).split('\n')).toEqual([
      '[2026-11-20 14:03 UTC] Message failed to send → local-console (permanent failure)',
      `  What to do: ${GUIDANCE.permanent_failure}`,
      '  Event: Permanent failure (hard bounce)',
      '  Sender: appointments@mail.clinic.example.com',
      '  Recipient domain: patients.example.org',
      `  Recipient fingerprint: ${recipientFingerprint(ADDRESS, KEY)}`,
      `  Recipient: ${ADDRESS}`,
      '  Paubox id: 7300000101',
      '  Source tracking id: c0ffee00-1234-4abc-8def-0000000000a1',
      '  Message-ID: <7f3c2a10-5b1e-4c2d-9a8e-0000000000a1@mail.clinic.example.com>',
      '  Subject: Your appointment on Tuesday',
      '  Custom headers: X-Clinic-Location: north',
      `  Relay: detail full, key ${event.key.slice(0, 12)}…`,
    ]);
  });

  it('prints times in the configured zone', () => {
    const view = toAlertView(fixtureEvent('permanent_failure'), {
      destination: 'local-console',
      detail: 'minimal',
      fingerprintKey: KEY,
      timeZone: 'America/Chicago',
    });
    expect(renderConsole(view).split('\n')[0]).toMatch(/^\[2026-11-20 08:03 CST\] /);
  });

  it.each([
    ['temporary_failure', '[2026-11-20 14:05 UTC] Message not delivered yet → local-console (temporary failure)'],
    ['delivered', '[2026-11-20 14:06 UTC] Message delivered → local-console (delivered)'],
    ['opened', '[2026-11-20 15:41 UTC] Message opened → local-console (opened)'],
    ['legacy_permanent_failure', '[2026-11-20 16:00 UTC] Message failed to send → local-console (permanent failure)'],
  ] as const)('%s: headline', (name, headline) => {
    expect(renderConsole(viewOf(fixtureEvent(name))).split('\n')[0]).toBe(headline);
  });

  it.each(DETAIL_LEVELS)('%s: shows only what the level allows', (detail) => {
    const text = renderConsole(viewOf(fixtureEvent('permanent_failure'), detail));
    expect(text).toContain('patients.example.org');
    expect(text).toContain(recipientFingerprint(ADDRESS, KEY));
    expect(text.includes(ADDRESS)).toBe(detail !== 'minimal');
    expect(text.includes('Your appointment on Tuesday')).toBe(detail === 'full');
    expect(text.includes('north')).toBe(detail === 'full');
    expect(text).toContain(`detail ${detail}`);
  });

  it.each(FIXTURE_NAMES.flatMap((name) => DETAIL_LEVELS.map((detail) => [name, detail] as const)))(
    '%s at %s: only printable text',
    (name, detail) => expect(renderConsole(viewOf(fixtureEvent(name), detail))).not.toMatch(CONTROL),
  );

  it.each(DETAIL_LEVELS)('%s: hostile input cannot send terminal escapes or forge lines', (detail) => {
    const view = { ...viewOf(hostileEvent(), detail), destination: 'ops\u001b[2J\nfake line' };
    const text = renderConsole(view);
    expect(text).not.toMatch(CONTROL);
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u009b');
    expect(text).not.toMatch(/[\u2028\u2029\u202A-\u202E\u2066-\u2069]/);
    const lines = text.split('\n');
    // Headline, what to do, facts (less the time, which is in the headline) and the relay line: input adds no line.
    const facts = detail === 'minimal' ? 7 : detail === 'recipient' ? 8 : 10;
    expect(lines).toHaveLength(1 + 1 + facts + 1);
    expect(lines.slice(1).every((line) => /^ {2}[A-Z][A-Za-z -]*: /.test(line))).toBe(true);
    expect(lines[0]).toBe('[]0;retitled<!here>] Message failed to send → ops[2J fake line (permanent failure)');
  });

  it.each(HOSTILE_STRINGS)('each hostile string alone, in every field: %j', (hostile) => {
    const event: RelayEvent = everyField(hostile);
    const text = renderConsole({ ...viewOf(event, 'full'), destination: hostile });
    expect(text).not.toMatch(CONTROL);
    expect(text.split('\n')).toHaveLength(13);
  });

  it('cuts long values and lists', () => {
    const long = 'x'.repeat(100_000);
    const many = Array.from({ length: 40 }, (_, i) => `r${i}@patients.example.org`);
    const event: RelayEvent = {
      ...fixtureEvent('permanent_failure'),
      subject: long,
      recipients: many,
      customHeaders: Object.fromEntries(many.map((r) => [r, long])),
    };
    const text = renderConsole(viewOf(event, 'full'));
    expect(text.length).toBeLessThan(5_000);
    expect(text).toMatch(/^ {2}Subject: x+…$/m);
    expect(text).toContain('  Recipients: r0@patients.example.org, r1@patients.example.org, r2@patients.example.org, ');
    expect(text).toMatch(/^ {2}Recipients: .*, \+35 more$/m);
    expect(text).toMatch(/^ {2}Custom headers: .*; \+35 more$/m);
  });
});
