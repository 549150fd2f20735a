import type { IncomingWebhookSendArguments } from '@slack/webhook';
import { toDigestView, type DigestView, GUIDANCE, MIXED_FAILURE_GUIDANCE } from '../../../functions/alerts';
import { DETAIL_LEVELS, type DetailLevel } from '../../../functions/config';
import type { RelayEvent } from '../../../functions/paubox';
import { renderConsoleDigest } from '../../../functions/chat/console/render';
import {
  renderSlackDigest,
  slackBlocks,
  SLACK_COLORS,
  slackDate,
  SLACK_LIMITS,
  type SlackMessage,
} from '../../../functions/chat/slack/render';
import { renderSlackView } from '../../../functions/chat/slack/render-view';
import { renderTeamsDigest, teamsDate, TEAMS_MAX_BYTES, type TeamsMessage } from '../../../functions/chat/teams/render';
import { teamsMessageProblems } from '../../support/adaptive-card';
import { fixtureEvent } from '../../support/events';
import { hostileStormEvents, stormEvents } from '../../support/storm-events';
import {
  slackFieldPairs as slackFields,
  slackTextObjects as slackTexts,
  withoutOwnSlackDates,
  withoutOwnTeamsDates,
} from '../../support/markup';

const KEY = 'test-fingerprint-key';
const viewOf = (events: readonly RelayEvent[], detail: DetailLevel = 'minimal', destination = 'ops'): DigestView =>
  toDigestView(events, { destination, detail, fingerprintKey: KEY });

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
  for (const t of slackTexts(message)) expect(t.text.trim().length).toBeGreaterThan(0);
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(3000);
  expect(JSON.stringify(message).length).toBeLessThanOrEqual(SLACK_LIMITS.bodyChars);
  // Untrusted values only in plain_text; our mrkdwn labels and the top-level text hold no mention or link.
  // Our own date tokens aside.
  for (const t of slackTexts(message))
    if (t.type === 'mrkdwn') expect(withoutOwnSlackDates(t.text)).not.toMatch(/[<>]/);
  expect(message.text).not.toMatch(/[<>]/);
}

function teamsCard(message: TeamsMessage) {
  return message.attachments[0].content;
}

function teamsTexts(message: TeamsMessage): string[] {
  return teamsCard(message).body.flatMap((element) =>
    element.type === 'TextBlock' ? [element.text] : element.facts.flatMap((f) => [f.title, f.value]),
  );
}

const ALWAYS_SPECIAL = new Set('\\`*_{}[]()!|<>~&');

/** Markdown an Adaptive Card would act on, paragraph by paragraph (the relay's own breaks are `\n\n`). */
function unescapedMarkdown(text: string): string[] {
  const found: string[] = [];
  for (const paragraph of text.split('\n\n')) {
    for (let i = 0; i < paragraph.length; i++) {
      const c = paragraph[i]!;
      if (c === '\\') {
        if (i + 1 >= paragraph.length) found.push('dangling backslash');
        i++;
      } else if (ALWAYS_SPECIAL.has(c)) found.push(c);
    }
    if (/^\d*[#+.-]/.test(paragraph)) found.push('line-start marker');
    if (/[\r\n\u2028\u2029]/.test(paragraph)) found.push('line break');
  }
  return found;
}

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('digest in Slack', () => {
  const events = stormEvents(1234, { temporaryShare: 0.25 });
  const message = renderSlackDigest(viewOf(events));

  it('is red beside everything under its header, the only colour Block Kit can show', () => {
    expect(message.blocks).toHaveLength(1);
    expect(message.attachments).toEqual([{ color: SLACK_COLORS.error, blocks: expect.any(Array) }]);
    const soft = renderSlackDigest(
      toDigestView(events.filter((e) => e.type === 'temporary_failure').slice(0, 3), {
        destination: 'ops',
        detail: 'minimal',
        fingerprintKey: KEY,
      }),
    );
    expect(soft.attachments?.[0].color).toBe(SLACK_COLORS.warning);
  });

  it('is one message that @slack/webhook accepts, with the count in the header and the notification', () => {
    const args: IncomingWebhookSendArguments = message;
    expect(args.blocks).toBe(message.blocks);
    expect(slackBlocks(message)[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '✖ 1,234 messages failed to send', emoji: false },
    });
    // Both failure types: the guidance of each, once.
    expect(slackBlocks(message)[1]).toEqual({
      type: 'section',
      text: { type: 'plain_text', text: `What to do: ${MIXED_FAILURE_GUIDANCE}`, emoji: false },
    });
    expect(message.text).toBe(
      '1,234 messages failed to send from mail.clinic.example.com (926 permanent failures, 308 temporary failures)',
    );
    expect(message).toMatchObject({ unfurl_links: false, unfurl_media: false });
  });

  it('shows counts by type and recipient domain, the time range, the sender and the first Message-IDs', () => {
    const fields = slackFields(message);
    expect(fields.get('Events')).toBe('1,234: 926 permanent failures, 308 temporary failures');
    const [first, last] = [Date.parse(events[0]!.time), Date.parse(events[1233]!.time)];
    expect(fields.get('Time')).toBe(`${slackDate(first, 'UTC')} to ${slackDate(last, 'UTC')}`);
    expect(fields.get('Sender domain')).toBe('mail.clinic.example.com');
    expect(fields.get('Sender')).toBe('appointments@mail.clinic.example.com');
    expect(fields.get('Distinct recipients')).toBe('1,234');
    expect(fields.get('Recipient domains')).toBe(
      'patients.example.org: 412\nmail.example.net: 411\nhealth.example.com: 411',
    );
    // Message-IDs at the message's full width, each on one line: a half-width field would break them in two.
    expect(fields.has('First Message-IDs')).toBe(false);
    const blocks = slackBlocks(message);
    const at = blocks.findIndex((b) => b.type === 'section' && b.text?.text === '*First Message-IDs*');
    expect(blocks[at + 1]).toEqual({
      type: 'section',
      text: {
        type: 'plain_text',
        text: [...events.slice(0, 5).map((e) => e.messageId), 'and 1,229 more Message-IDs'].join('\n'),
        emoji: false,
      },
    });
    // No fingerprint shown, so no note about fingerprints.
    expect(JSON.stringify(message)).not.toContain('r-');
    expect(blocks.at(-1)).toEqual({
      type: 'context',
      elements: [
        {
          type: 'plain_text',
          text: expect.stringMatching(
            /^Paubox alert relay · destination ops · detail minimal · digest d-[0-9a-f]{10}…$/,
          ),
          emoji: false,
        },
      ],
    });
  });

  it('lists senders and sender domains with counts when there are several, ending "and N more"', () => {
    const domains = Array.from({ length: 14 }, (_, i) => `d${i}.example`);
    const fields = slackFields(renderSlackDigest(viewOf(stormEvents(140, { senderDomains: domains }))));
    expect(fields.get('Sender domains')!.split('\n')).toEqual([
      ...domains.slice(0, 10).map((d) => `${d}: 10`),
      'and 4 more sender domains',
    ]);
    expect(fields.get('Senders')!.split('\n')).toHaveLength(11);
    expect(fields.has('Sender domain')).toBe(false);
  });

  it('renders an alert or a digest, whichever it is given', () => {
    expect(renderSlackView(viewOf(events))).toEqual(message);
  });
});

describe('digest in Teams', () => {
  const events = stormEvents(1234, { temporaryShare: 0.25 });
  const message = renderTeamsDigest(viewOf(events));

  it('is a valid Adaptive Card 1.4 with a red title, the counts, and lists of value → count facts', () => {
    expect(teamsMessageProblems(message)).toEqual([]);
    const body = teamsCard(message).body;
    expect(body[0]).toEqual({
      type: 'TextBlock',
      text: '1,234 messages failed to send',
      wrap: true,
      size: 'large',
      weight: 'bolder',
      color: 'attention',
    });
    expect(body[1]).toMatchObject({ type: 'TextBlock', text: `What to do: ${MIXED_FAILURE_GUIDANCE}` });
    const [first, last] = [Date.parse(events[0]!.time), Date.parse(events[1233]!.time)];
    expect(body[2]).toMatchObject({
      type: 'FactSet',
      facts: expect.arrayContaining([
        { title: 'Events', value: '1,234: 926 permanent failures, 308 temporary failures' },
        { title: 'Time', value: `${teamsDate(first)} to ${teamsDate(last)}` },
      ]),
    });
    const domains = body.findIndex((e) => e.type === 'TextBlock' && e.text === 'Recipient domains');
    expect(body[domains + 1]).toEqual({
      type: 'FactSet',
      facts: [
        { title: 'patients.example.org', value: '412' },
        { title: 'mail.example.net', value: '411' },
        { title: 'health.example.com', value: '411' },
      ],
    });
    const ids = body.findIndex((e) => e.type === 'TextBlock' && e.text === 'First Message-IDs');
    expect(body[ids + 1]).toMatchObject({
      type: 'TextBlock',
      text: events
        .slice(0, 5)
        .map((e) => e.messageId!.replace(/[<>]/g, '\\$&'))
        .join('\n\n'),
    });
    expect(body[ids + 2]).toMatchObject({ type: 'TextBlock', text: 'and 1,229 more Message-IDs', isSubtle: true });
  });
});

describe('digest sizes: any number of events, any content', () => {
  const SIZES = [1, 2, 3, 10, 100, 1000, 10_000];
  const hostile = hostileStormEvents(10_000);

  it.each(SIZES)('%i hostile events fit Slack, Teams and the console at every detail level', (n) => {
    const events = hostile.slice(0, n);
    for (const detail of DETAIL_LEVELS) {
      const view = viewOf(events, detail, `ops-${'x'.repeat(200)}`);
      expect(view.count).toBe(n);

      const slack = renderSlackDigest(view);
      expectWithinSlackLimits(slack);
      expect(slackBlocks(slack)[0]).toMatchObject({
        text: { text: `✖ ${n.toLocaleString('en-US')} ${n === 1 ? 'message failed' : 'messages failed'} to send` },
      });

      const teams = renderTeamsDigest(view);
      expect(bytes(teams)).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
      expect(teamsMessageProblems(teams)).toEqual([]);
      for (const text of teamsTexts(teams)) {
        expect(unescapedMarkdown(withoutOwnTeamsDates(text))).toEqual([]);
        expect(text).not.toContain('<at>');
      }

      const text = renderConsoleDigest(view);
      expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
      expect(text.split('\n').length).toBeLessThan(20);
    }
  });

  it('shortens lists rather than exceed a limit, and says how many were left out', () => {
    const view = viewOf(hostile.slice(0, 1000), 'recipient');
    const slack = slackFields(renderSlackDigest(view));
    expect(slack.get('Senders')).toMatch(/\nand [\d,]+ more senders$/);
    const teams = teamsTexts(renderTeamsDigest(view));
    expect(teams.some((t) => /^and [\d,]+ more recipients$/.test(t))).toBe(true);
  });

  it.each(DETAIL_LEVELS)(
    'at %s, shows no subject, no custom header, and recipient addresses only above minimal',
    (detail) => {
      const events = stormEvents(50);
      const rendered = [
        JSON.stringify(renderSlackDigest(viewOf(events, detail))),
        JSON.stringify(renderTeamsDigest(viewOf(events, detail))),
        renderConsoleDigest(viewOf(events, detail)),
      ];
      for (const text of rendered) {
        expect(text).not.toContain('Your lab results');
        expect(text).not.toContain('X-Patient-Ref');
        if (detail === 'minimal') expect(text).not.toMatch(/patient\d+@/);
        else expect(text).toContain('patient0@patients.example.org');
      }
    },
  );

  it('a digest of soft bounces only is a warning, with the soft-bounce guidance once', () => {
    const soft = stormEvents(5, { temporaryShare: 1 });
    expect(soft.every((e) => e.type === 'temporary_failure')).toBe(true);
    const slack = renderSlackDigest(viewOf(soft));
    expect(slackBlocks(slack)[0]).toMatchObject({ text: { text: '⚠ 5 messages failed to send' } });
    expect(JSON.stringify(slack).split(GUIDANCE.temporary_failure)).toHaveLength(2);
    const teams = teamsCard(renderTeamsDigest(viewOf(soft))).body;
    expect(teams[0]).toMatchObject({ color: 'warning' });
    expect(JSON.stringify(teams)).not.toContain('will not retry');
  });

  it('names deliveries and opens in their own words', () => {
    const delivered = [fixtureEvent('delivered'), { ...fixtureEvent('delivered'), key: 'f'.repeat(32) }];
    expect(renderSlackDigest(viewOf(delivered)).text).toMatch(/^2 messages delivered from /);
    expect(teamsCard(renderTeamsDigest(viewOf(delivered))).body[0]).toMatchObject({ color: 'good' });
  });
});
