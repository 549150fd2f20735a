/**
 * Property tests: with well-formed event times, Slack and Teams get date tokens and functions the renderers
 * build from an epoch number. Those are the only Slack mrkdwn and Teams syntax not made of our own labels
 * or escaped input, at every detail level, for alerts and digests.
 */
import * as fc from 'fast-check';
import { toAlertView, toDigestView } from '../../functions/alerts';
import { DETAIL_LEVELS } from '../../functions/config';
import type { RelayEvent } from '../../functions/paubox';
import { renderSlackView, renderTeamsView } from '../../functions/chat';
import { HOSTILE_STRINGS } from '../support/events';
import {
  slackParsedTexts,
  teamsCardTexts,
  unescapedTeamsMarkdown,
  withoutOwnSlackDates,
  withoutOwnTeamsDates,
} from '../support/markup';

const SEED = Number(process.env.FC_SEED ?? 20261120);
const text = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 30 }));
// From 1970 to 2100, with or without milliseconds and offsets.
const isoTime = fc
  .tuple(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.boolean())
  .map(([ms, fraction]) => new Date(ms).toISOString().replace(fraction ? /$/ : /\.\d{3}Z$/, fraction ? '' : 'Z'));

const failure: fc.Arbitrary<RelayEvent> = fc.record({
  key: fc.stringMatching(/^[0-9a-f]{32}$/),
  type: fc.constantFrom('permanent_failure', 'temporary_failure'),
  time: isoTime,
  sender: text,
  senderDomain: text,
  recipients: fc.array(text, { minLength: 1, maxLength: 4 }),
  recipientDomains: fc.array(text, { minLength: 1, maxLength: 4 }),
  subject: text,
  customHeaders: fc.dictionary(text, text, { maxKeys: 3 }),
  sourceTrackingId: text,
  messageId: text,
});
const zone = fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham');

describe('own date tokens', () => {
  it('are the only angle brackets of Slack mrkdwn, and the only unescaped syntax of Teams cards', () => {
    let tokens = 0;
    // biome-ignore lint/nursery/noFloatingPromises: fc.assert of a synchronous property returns nothing
    fc.assert(
      fc.property(
        fc.array(failure, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...DETAIL_LEVELS),
        zone,
        text,
        (events, detail, timeZone, status) => {
          const options = { destination: 'ops', detail, fingerprintKey: 'k', timeZone };
          const counts = new Map([['r-0000000000', 3]]);
          const view =
            events.length === 1
              ? toAlertView(events[0]!, options, { deliveryStatus: status, failureCounts: counts })
              : toDigestView(events, options, () => ({ failureCounts: counts }));
          const slack = renderSlackView(view);
          for (const parsed of slackParsedTexts(slack)) {
            if (parsed.includes('<!date^')) tokens++;
            expect(withoutOwnSlackDates(parsed)).not.toMatch(/[<>]/);
          }
          expect(slack.text).not.toMatch(/[*_~`]/);
          // A digest's lists are paragraphs of their own, each escaped on its own.
          for (const t of teamsCardTexts(renderTeamsView(view)).flatMap((t) => t.split('\n\n'))) {
            expect(unescapedTeamsMarkdown(withoutOwnTeamsDates(t))).toEqual([]);
          }
        },
      ),
      { numRuns: 500, seed: SEED },
    );
    // The property was about date tokens: they were there.
    expect(tokens).toBeGreaterThan(400);
  });
});
