/**
 * Property tests: thousands of generated webhooks, full of hostile text, go through ingest and the notifier
 * exactly as in production, and what reaches chat bodies and log lines is checked at every detail level.
 */
import * as fc from 'fast-check';
import { MemoryDedupStore, DEFAULT_RETRY_POLICY, notifyBatch } from '../../functions/delivery';
import { DETAIL_LEVELS, type DetailLevel } from '../../functions/config';
import { handleWebhook } from '../../functions/ingest';
import type { RelayEvent } from '../../functions/paubox';
import { renderConsoleView, renderSlack, renderSlackView, renderTeams, renderTeamsView } from '../../functions/chat';
import { captureLogger } from '../support/capture-logger';
import { HOSTILE_STRINGS } from '../support/events';
import { slackParsedTexts, teamsCardTexts, unescapedTeamsMarkdown } from '../support/markup';

const TOKEN = 'Pr0pertyT0kenPr0pertyT0kenPr0pertyT0kenPr0pertyT0k';
const SEED = Number(process.env.FC_SEED ?? 20261120);

/** Hostile fragments, arbitrary Unicode (lone surrogates and controls included), and very long runs. */
const hostileText = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '*',
          '_',
          '~',
          '`',
          '<',
          '>',
          '&',
          '|',
          '[',
          ']',
          '(',
          ')',
          '\\',
          '#',
          '-',
          '1.',
          '\n',
        ),
      },
      {
        weight: 1,
        arbitrary: fc.string({ unit: fc.constantFrom('<', '!', '@', 'x', '*'), minLength: 500, maxLength: 2500 }),
      },
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

/** A unique marker, so a leak is found whatever cleaning, escaping or cutting did to the text around it. */
const marker = (prefix: string) => fc.stringMatching(/^[a-z0-9]{12}$/).map((s) => `${prefix}${s}`);
const domain = fc.constantFrom(
  'patients.example.org',
  'inbox.example.net',
  'mail.example.com',
  'xn--mller-kva.example',
);

interface GeneratedWebhook {
  readonly body: string;
  readonly recipientLocalParts: readonly string[];
  readonly subjectMarker: string;
  readonly headerMarkers: readonly string[];
}

const webhook: fc.Arbitrary<GeneratedWebhook> = fc
  .record({
    eventName: fc.constantFrom(
      'api_mail_log_permanent_failure',
      'api_mail_log_temporary_failure',
      'message_permanent_failure',
      'api_mail_log_delivered',
    ),
    recipients: fc.array(fc.record({ local: marker('rcpt'), domain }), { minLength: 1, maxLength: 7 }),
    legacyRecipients: fc.boolean(),
    subjectMarker: marker('subj'),
    subjectAround: fc.tuple(hostileText, hostileText),
    headers: fc.array(fc.record({ name: hostileText, value: hostileText, marker: marker('hdr') }), { maxLength: 8 }),
    displayName: hostileText,
    extra: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    id: fc.oneof(fc.integer({ min: 1 }), fc.stringMatching(/^[A-Za-z0-9-]{1,40}$/)),
  })
  .map((g) => {
    const addresses = g.recipients.map((r) => `${r.local}@${r.domain}`);
    const customHeaders = Object.fromEntries(
      g.headers.map((h, i) => [`X-${i}-${h.marker}-${h.name}`, `${h.value}${h.marker}${h.value}`]),
    );
    const payload: Record<string, unknown> = {
      ...g.extra,
      id: g.id,
      subject: `${g.subjectAround[0]}${g.subjectMarker}${g.subjectAround[1]}`,
      header_message_id: `<${g.id}@mail.clinic.example.com>`,
      time: '2026-11-20T14:03:11.482Z',
      from: 'alerts@mail.clinic.example.com',
      custom_headers: customHeaders,
      ...(g.legacyRecipients
        ? { recipients: addresses }
        : { to: addresses.map((a) => `${g.displayName.replace(/[<>,]/g, '')} <${a}>`).join(', ') }),
    };
    return {
      body: JSON.stringify({ event_name: g.eventName, payload }),
      recipientLocalParts: g.recipients.map((r) => r.local),
      subjectMarker: g.subjectMarker,
      headerMarkers: g.headers.map((h) => h.marker),
    };
  });

/**
 * Ingest then the notifier, in process, with chat senders that keep what they would post. With `digest`, the
 * webhooks' events reach the notifier as one batch, and those of one sender domain become one digest.
 */
async function relay(webhooks: readonly GeneratedWebhook[], detail: DetailLevel, digest = false) {
  const logger = captureLogger();
  const published: RelayEvent[] = [];
  const responses = [];
  for (const generated of webhooks) {
    responses.push(
      await handleWebhook(
        { token: TOKEN, body: generated.body, receivedAt: new Date('2026-11-20T14:03:12Z') },
        {
          expectedTokens: async () => [TOKEN],
          publisher: { publish: async (event) => void published.push(event) },
          logger,
        },
      ),
    );
  }
  const bodies: string[] = [];
  const { outcomes } = await notifyBatch(
    published.map((event, i) => ({ id: `m-${i}`, body: JSON.stringify(event), receiveCount: 1 })),
    {
      destination: { name: 'ops', detail },
      platform: {
        sender: async () => ({
          kind: 'slack',
          send: async (view) => {
            bodies.push(
              JSON.stringify(renderSlackView(view)),
              JSON.stringify(renderTeamsView(view)),
              renderConsoleView(view),
            );
          },
        }),
        fingerprintKey: async () => 'fingerprint-key',
      },
      stores: { dedup: new MemoryDedupStore(), deadLetters: { put: async () => undefined } },
      delivery: {
        policy: DEFAULT_RETRY_POLICY,
        remainingMs: () => 60_000,
        sendTimeoutMs: 1000,
        sleep: async () => undefined,
        random: () => 0,
        maxReceiveCount: 5,
        leaseMs: 60_000,
      },
      observability: { logger },
      ...(digest ? { digest: { minGroupSize: 2 } } : {}),
    },
  );
  return { responses, published, outcomes, bodies, logs: logger.text() };
}

describe('PHI minimisation, over generated hostile webhooks', () => {
  it.each(DETAIL_LEVELS.map((d) => [d]))(
    'at %s detail, chat bodies and log lines hold only what the level allows',
    async (detail) => {
      await fc.assert(
        fc.asyncProperty(webhook, async (generated) => {
          const {
            responses: [response],
            published,
            bodies,
            logs,
          } = await relay([generated], detail);
          expect(response!.statusCode).toBe(202);
          expect(published).toHaveLength(1);
          expect(bodies).toHaveLength(3);
          const chat = bodies.join('\n');

          // Logs never hold PHI or the token, whatever the detail level.
          for (const secret of [
            ...generated.recipientLocalParts,
            generated.subjectMarker,
            ...generated.headerMarkers,
            TOKEN,
          ]) {
            expect(logs).not.toContain(secret);
          }
          const recipientsShown = detail !== 'minimal';
          const contentShown = detail === 'full';
          // A recipient list is cut at 5 in chat; at least the first must show when recipients are allowed.
          expect(chat.includes(generated.recipientLocalParts[0]!)).toBe(recipientsShown);
          for (const local of generated.recipientLocalParts) if (!recipientsShown) expect(chat).not.toContain(local);
          if (!contentShown) {
            expect(chat).not.toContain(generated.subjectMarker);
            for (const h of generated.headerMarkers) expect(chat).not.toContain(h);
          }
        }),
        { numRuns: 400, seed: SEED },
      );
    },
  );

  it.each(DETAIL_LEVELS.map((d) => [d]))(
    'at %s detail, digests and their log lines hold only what the level allows',
    async (detail) => {
      // Failures only, so that the batch's events share a kind (and, all sent from one domain, a digest).
      const failure = webhook.filter((w) =>
        (JSON.parse(w.body) as { event_name: string }).event_name.includes('failure'),
      );
      let digestRuns = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(failure, { minLength: 2, maxLength: 6 }), async (webhooks) => {
          const { published, outcomes, bodies, logs } = await relay(webhooks, detail, true);
          expect(published).toHaveLength(webhooks.length);
          // Events with the same key (same generated id and time) are one event: posted once, as one alert.
          expect(outcomes.every((o) => o.result === 'posted' || o.result === 'duplicate')).toBe(true);
          const posted = outcomes.filter((o) => o.result === 'posted');
          // One sender domain, one kind: two or more distinct events always make one digest.
          if (posted.length >= 2) expect(new Set(posted.map((o) => o.digestKey)).size).toBe(1);
          if (posted.length >= 2) expect(posted[0]!.digestKey).toBeDefined();
          if (posted.some((o) => o.digestKey !== undefined)) digestRuns++;
          const chat = bodies.join('\n');
          for (const generated of webhooks) {
            for (const secret of [
              ...generated.recipientLocalParts,
              generated.subjectMarker,
              ...generated.headerMarkers,
              TOKEN,
            ]) {
              expect(logs).not.toContain(secret);
            }
            if (detail === 'minimal')
              for (const local of generated.recipientLocalParts) expect(chat).not.toContain(local);
            // A digest never shows subjects or custom headers, at any level; a lone alert only at `full`.
            if (detail !== 'full' || outcomes.some((o) => o.digestKey !== undefined)) {
              expect(chat).not.toContain(generated.subjectMarker);
              for (const h of generated.headerMarkers) expect(chat).not.toContain(h);
            }
          }
        }),
        { numRuns: 150, seed: SEED },
      );
      // The runs did make digests: the checks above were about digests, not lone alerts.
      expect(digestRuns).toBeGreaterThan(100);
    },
  );
});

/** Views of generated events: every untrusted field hostile, at every detail level. */
const hostileEvent: fc.Arbitrary<RelayEvent> = fc.record({
  key: fc.stringMatching(/^[0-9a-f]{32}$/),
  type: fc.constantFrom('permanent_failure', 'temporary_failure', 'delivered', 'opened'),
  time: hostileText,
  pauboxId: fc.option(hostileText, { nil: undefined }),
  sourceTrackingId: fc.option(hostileText, { nil: undefined }),
  messageId: fc.option(hostileText, { nil: undefined }),
  sender: hostileText,
  senderDomain: hostileText,
  recipients: fc.array(hostileText, { minLength: 1, maxLength: 8 }),
  recipientDomains: fc.array(hostileText, { minLength: 1, maxLength: 8 }),
  subject: fc.option(hostileText, { nil: undefined }),
  customHeaders: fc.dictionary(hostileText, hostileText, { maxKeys: 8 }),
});

describe('hostile text in chat bodies', () => {
  const { toAlertView } = require('../../functions/alerts') as typeof import('../../functions/alerts');
  const views = fc
    .tuple(hostileEvent, fc.constantFrom(...DETAIL_LEVELS))
    .map(([event, detail]) => toAlertView(event, { destination: 'ops', detail, fingerprintKey: 'k' }));

  it('no Slack text that Slack parses can form a mention, a link or formatting from input', () => {
    // biome-ignore lint/nursery/noFloatingPromises: fc.assert of a synchronous property returns nothing
    fc.assert(
      fc.property(views, (view) => {
        const message = renderSlack(view);
        expect(JSON.stringify(message)).not.toContain('link_names');
        for (const text of slackParsedTexts(message)) {
          // Mentions (`<!channel>`, `<@U…>`) and links only form from `<…>`; our own labels hold neither.
          expect(text).not.toMatch(/[<>]/);
        }
        // The notification text holds no mrkdwn formatting characters either.
        expect(message.text).not.toMatch(/[*_~`]/);
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  it('no Teams card text holds unescaped markdown, link or mention syntax from input', () => {
    // biome-ignore lint/nursery/noFloatingPromises: fc.assert of a synchronous property returns nothing
    fc.assert(
      fc.property(views, (view) => {
        const message = renderTeams(view);
        for (const text of teamsCardTexts(message)) expect(unescapedTeamsMarkdown(text)).toEqual([]);
        expect(JSON.stringify(message)).not.toContain('msteams');
      }),
      { numRuns: 1000, seed: SEED },
    );
  });
});
