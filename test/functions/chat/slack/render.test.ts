import type { IncomingWebhookSendArguments } from '@slack/webhook';
import {
  recipientFingerprint,
  toAlertView,
  type AlertView,
  FINGERPRINT_NOTE,
  GUIDANCE,
} from '../../../../functions/alerts';
import { DETAIL_LEVELS, type DetailLevel } from '../../../../functions/config';
import type { RelayEvent } from '../../../../functions/paubox';
import {
  renderSlack,
  slackBlocks,
  SLACK_COLORS,
  slackDate,
  SLACK_LIMITS,
  type SlackMessage,
} from '../../../../functions/chat/slack/render';
import {
  everyField,
  FIXTURE_NAMES,
  PERMANENT_FAILURE_AT,
  permanentFailureFacts,
  fixtureEvent,
  HOSTILE_STRINGS,
  hostileEvent,
} from '../../../support/events';
import { slackFieldPairs as fieldPairs, slackTextObjects as textObjects } from '../../../support/markup';

const KEY = 'test-fingerprint-key';
const ADDRESS = 'jordan.lee@patients.example.org';

function viewOf(event: RelayEvent, detail: DetailLevel = 'full'): AlertView {
  return toAlertView(event, { destination: 'ops-slack', detail, fingerprintKey: KEY });
}

/** Asserts every Block Kit limit of the spec, and that no text object is empty. */
function expectWithinSlackLimits(message: SlackMessage): void {
  expect(slackBlocks(message).length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const block of slackBlocks(message)) {
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (block.type === 'section') {
      expect((block.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.sectionFields);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    }
    if (block.type === 'context') expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
  }
  for (const t of textObjects(message)) expect(t.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(3000);
  // "Well below" the ~13,000 characters at which Slack refuses blocks.
  expect(JSON.stringify(message).length).toBeLessThan(10_000);
}

describe('renderSlack: layout', () => {
  const event = fixtureEvent('permanent_failure');
  const message = renderSlack(viewOf(event, 'full'));

  it('is accepted by @slack/webhook', () => {
    const args: IncomingWebhookSendArguments = message; // fails `tsc` if the shape drifts
    expect(args.blocks).toBe(message.blocks);
    expect(message).toMatchObject({ unfurl_links: false, unfurl_media: false });
    expect(message).not.toHaveProperty('link_names');
  });

  it('starts with a plain-text header holding the title, then what to do; ends with the fingerprint note', () => {
    expect(slackBlocks(message)[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '✖ Message failed to send', emoji: false },
    });
    expect(slackBlocks(message)[1]).toEqual({
      type: 'section',
      text: { type: 'plain_text', text: `What to do: ${GUIDANCE.permanent_failure}`, emoji: false },
    });
    expect(slackBlocks(message).at(-1)).toEqual({
      type: 'context',
      elements: [
        { type: 'plain_text', text: FINGERPRINT_NOTE, emoji: false },
        {
          type: 'plain_text',
          // The key cut to 12 characters: enough to find it in the logs, which hold it whole.
          text: `Paubox alert relay · destination ops-slack · detail full · key ${event.key.slice(0, 12)}…`,
          emoji: false,
        },
      ],
    });
  });

  it('shows the time as a Slack date token from the epoch number, with a UTC fallback', () => {
    expect(slackDate(PERMANENT_FAILURE_AT, 'UTC')).toBe(
      '<!date^1795183391^{date_short_pretty} {time}|2026-11-20 14:03 UTC>',
    );
    expect(slackDate(PERMANENT_FAILURE_AT, 'America/New_York')).toBe(
      '<!date^1795183391^{date_short_pretty} {time}|2026-11-20 09:03 EST>',
    );
    expect(fieldPairs(message).get('Time')).toBe(slackDate(PERMANENT_FAILURE_AT, 'UTC'));
  });

  it('lays out every fact as a bold label next to its plain-text value', () => {
    // Angle brackets are safe in plain_text (Slack) and escaped for Teams, so the Message-ID reads exactly.
    expect([...fieldPairs(message)]).toEqual(
      permanentFailureFacts(recipientFingerprint(ADDRESS, KEY), slackDate(PERMANENT_FAILURE_AT, 'UTC')),
    );
    const sections = slackBlocks(message).filter((b) => b.type === 'section');
    expect(sections.map((s) => s.fields?.length)).toEqual([undefined, 10, 10, 2]);
  });

  it('sends a fallback text with the title, the type and the domains only', () => {
    expect(message.text).toBe(
      'Message failed to send: permanent failure from mail.clinic.example.com to patients.example.org',
    );
  });

  it.each([
    [
      'temporary_failure',
      '⚠ Message not delivered yet',
      'Message not delivered yet: temporary failure from mail.clinic.example.com to inbox.example.net',
    ],
    ['delivered', 'ℹ Message delivered', 'Message delivered from mail.clinic.example.com to patients.example.org'],
    ['opened', 'ℹ Message opened', 'Message opened from mail.clinic.example.com to patients.example.org'],
    [
      'legacy_permanent_failure',
      '✖ Message failed to send',
      'Message failed to send: permanent failure from billing.example.com to patients.example.org',
    ],
  ] as const)('%s: header %j and fallback text', (name, title, text) => {
    const rendered = renderSlack(viewOf(fixtureEvent(name)));
    expect(rendered.text).toBe(text);
    expect(slackBlocks(rendered)[0]).toMatchObject({ type: 'header', text: { text: title } });
    expectWithinSlackLimits(rendered);
  });

  it('shows a hard bounce red, a soft bounce yellow and a delivery green: the bar of the attachment under the header', () => {
    expect(message.blocks).toEqual([slackBlocks(message)[0]]);
    expect(message.attachments).toEqual([{ color: SLACK_COLORS.error, blocks: slackBlocks(message).slice(1) }]);
    expect(renderSlack(viewOf(fixtureEvent('temporary_failure'))).attachments?.[0].color).toBe(SLACK_COLORS.warning);
    expect(renderSlack(viewOf(fixtureEvent('delivered'))).attachments?.[0].color).toBe(SLACK_COLORS.good);
    expect(renderSlack(viewOf(fixtureEvent('opened'))).attachments?.[0].color).toBe(SLACK_COLORS.info);
  });

  it('a soft bounce has a warning header of its own and says Paubox may still deliver it', () => {
    const rendered = renderSlack(viewOf(fixtureEvent('temporary_failure')));
    expect(slackBlocks(rendered)[0]).toMatchObject({ text: { text: '⚠ Message not delivered yet' } });
    expect(JSON.stringify(slackBlocks(rendered)[1])).toContain('Paubox may still deliver this message');
    expect(JSON.stringify(rendered)).not.toContain('will not retry');
  });

  it('leaves out facts the event does not have', () => {
    const { pauboxId: _p, messageId: _m, subject: _s, ...rest } = event;
    const pairs = fieldPairs(renderSlack(viewOf({ ...rest, customHeaders: {} }, 'full')));
    expect(pairs.has('Paubox id')).toBe(false);
    expect(pairs.has('Message-ID')).toBe(false);
    expect(pairs.has('Subject')).toBe(false);
    expect(pairs.has('Custom headers')).toBe(false);
    expect(pairs.has('Source tracking id')).toBe(true);
  });
});

describe('renderSlack: detail levels', () => {
  const fingerprint = recipientFingerprint(ADDRESS, KEY);

  it.each(DETAIL_LEVELS)('%s: shows only what the level allows', (detail) => {
    const message = renderSlack(viewOf(fixtureEvent('permanent_failure'), detail));
    const body = JSON.stringify(message);
    expect(body).toContain('patients.example.org');
    expect(body).toContain(fingerprint);
    expect(body).toContain('appointments@mail.clinic.example.com');
    expect(body.includes(ADDRESS)).toBe(detail !== 'minimal');
    expect(body.includes('Your appointment on Tuesday')).toBe(detail === 'full');
    expect(body.includes('north')).toBe(detail === 'full');
    expect(body.includes('X-Clinic-Location')).toBe(detail === 'full');
    // Notifications show only `text`: never an address or a subject, at any level.
    expect(message.text).not.toContain('@');
    expect(message.text).not.toContain('jordan');
    expect(message.text).not.toContain('appointment');
    expectWithinSlackLimits(message);
  });

  it.each(FIXTURE_NAMES.flatMap((name) => DETAIL_LEVELS.map((detail) => [name, detail] as const)))(
    '%s at %s: within Slack limits',
    (name, detail) => expectWithinSlackLimits(renderSlack(viewOf(fixtureEvent(name), detail))),
  );
});

describe('renderSlack: hostile input', () => {
  const MENTION_OR_LINK = /<[!@#]|<https?:|<mailto:/i;

  function expectSafe(message: SlackMessage): void {
    for (const t of textObjects(message)) {
      if (t.type === 'mrkdwn') {
        // The only mrkdwn is our own bold labels: no input ever reaches a parsed text object.
        expect(t.text).toMatch(/^\*[A-Z][A-Za-z -]*\*$/);
      } else {
        expect(t.emoji).toBe(false);
      }
      // No control characters, no line breaks we did not add, no lone surrogates.
      expect(t.text).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E]/);
      expect(t.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    // `text` is parsed as mrkdwn: no raw angle bracket at all, so no mention or link; no formatting character.
    expect(message.text).not.toMatch(/[<>]/);
    expect(message.text).not.toMatch(MENTION_OR_LINK);
    expect(message.text).not.toMatch(/[*_~`]/);
    expect(message.text).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
  }

  it.each(DETAIL_LEVELS)('%s: untrusted values never reach mrkdwn or `text` unescaped', (detail) => {
    const message = renderSlack(viewOf(hostileEvent(), detail));
    expectSafe(message);
    expectWithinSlackLimits(message);
  });

  it('still shows hostile values, as plain text', () => {
    const pairs = fieldPairs(renderSlack(viewOf(hostileEvent(), 'full')));
    expect(pairs.get('Paubox id')).toBe('<@U123>');
    expect(pairs.get('Message-ID')).toBe('<https://evil.example|click>');
    expect(pairs.get('Sender')).toBe('<!channel>*bold*@mail.clinic.example.com');
    expect(pairs.get('Custom headers')).toBe(
      'X-Clinic-Location: north; <!everyone>: <!channel>; [click](https://evil.example): *bold* <at>Jordan</at>; X-Terminal: [31mred[0m',
    );
    // ESC and BEL removed, the rest of the terminal sequence is harmless text.
    expect(pairs.get('Time')).toBe(']0;retitled<!here>');
    expect(pairs.get('Subject')).toMatch(/^<!channel> <!here> <!everyone> <@U123> <#C123> /);
  });

  it.each([
    ['line\nbreak\r\n- item\u2028next', 'line break - item next'],
    ['\u202Eevil\u202C \u200Bhidden', 'evil hidden'],
    ['emoji 🚨👩‍⚕️ :smile:', 'emoji 🚨👩‍⚕️ :smile:'],
    ['Müller 日本語 ñ', 'Müller 日本語 ñ'],
    ['lone \uD800 surrogate', 'lone \uFFFD surrogate'],
    ['\u001b[31mred\u001b[0m \u009b2J', '[31mred[0m 2J'],
    ['\u0000\u001b\u0007', '(empty)'],
  ])('cleans %j to %j', (subject, shown) => {
    const pairs = fieldPairs(renderSlack(viewOf({ ...fixtureEvent('permanent_failure'), subject }, 'full')));
    expect(pairs.get('Subject')).toBe(shown);
  });

  it('escapes domains in the fallback text and neutralises mrkdwn formatting there', () => {
    expect(renderSlack(viewOf(hostileEvent(), 'minimal')).text).toBe(
      'Message failed to send: permanent failure from &lt;!here&gt;\u2217x\u2217.example to ' +
        'patients.example.org, &lt;https://evil.example|click&gt;, \uFF3Fit\uFF3F.example, +1 more',
    );
  });

  it.each(HOSTILE_STRINGS)('each hostile string alone, in every field: %j', (hostile) => {
    const event: RelayEvent = everyField(hostile);
    for (const detail of DETAIL_LEVELS) {
      const message = renderSlack(viewOf(event, detail));
      expectSafe(message);
      expectWithinSlackLimits(message);
    }
  });
});

describe('renderSlack: size', () => {
  const big = (unit: string): string => unit.repeat(Math.ceil(100_000 / unit.length));

  // Characters that cost the most once serialized (`\` and `"` double in JSON, `&` grows in `text`).
  it.each([
    ['\\', /…$/],
    ['"', /…$/],
    ['&', /…$/],
    ['<!channel>', /…$/],
    ['🚨', /…$/],
    ['日', /…$/],
    ['a b', /…$/],
    // Nothing left once control characters are removed.
    ['\u001b', /^\(empty\)$/],
  ])('100k-character values of %j', (unit, subjectPattern) => {
    const value = big(unit);
    const many = Array.from({ length: 1000 }, (_, i) => `${i}${value.slice(0, 1000)}`);
    const event: RelayEvent = {
      ...fixtureEvent('permanent_failure'),
      time: value,
      sender: value,
      senderDomain: value,
      recipients: many,
      recipientDomains: many,
      subject: value,
      customHeaders: Object.fromEntries(many.map((name) => [name, value])),
      pauboxId: value,
      sourceTrackingId: value,
      messageId: value,
    };
    const message = renderSlack({ ...viewOf(event, 'full'), destination: value });
    expectWithinSlackLimits(message);
    const pairs = fieldPairs(message);
    expect(pairs.get('Recipients')).toMatch(/, \+995 more$/);
    expect(pairs.get('Custom headers')).toMatch(/; \+995 more$/);
    expect(pairs.get('Subject')).toMatch(subjectPattern);
  });

  it('never splits an emoji when cutting', () => {
    const event = { ...fixtureEvent('permanent_failure'), subject: `x${'🚨'.repeat(1000)}` };
    const subject = fieldPairs(renderSlack(viewOf(event, 'full'))).get('Subject') ?? '';
    expect(subject).toMatch(/^x(🚨)+…$/u);
  });
});
