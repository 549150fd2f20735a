import {
  recipientFingerprint,
  toAlertView,
  type AlertView,
  FINGERPRINT_NOTE,
  GUIDANCE,
} from '../../../../functions/alerts';
import { DETAIL_LEVELS, type DetailLevel } from '../../../../functions/config';
import type { RelayEvent } from '../../../../functions/paubox';
import { renderTeams, teamsDate, TEAMS_MAX_BYTES, type TeamsMessage } from '../../../../functions/chat/teams/render';
import { adaptiveCardProblems, teamsMessageProblems } from '../../../support/adaptive-card';
import {
  everyField,
  FIXTURE_NAMES,
  PERMANENT_FAILURE_AT,
  permanentFailureFacts,
  fixtureEvent,
  HOSTILE_STRINGS,
  hostileEvent,
} from '../../../support/events';
import {
  unescapeTeams,
  unescapedTeamsMarkdown as unescapedMarkdown,
  withoutOwnTeamsDates,
} from '../../../support/markup';

const KEY = 'test-fingerprint-key';
const ADDRESS = 'jordan.lee@patients.example.org';

function viewOf(event: RelayEvent, detail: DetailLevel = 'full'): AlertView {
  return toAlertView(event, { destination: 'ops-teams', detail, fingerprintKey: KEY });
}

function card(message: TeamsMessage) {
  return message.attachments[0].content;
}

/** Every markdown-parsed text of a card: TextBlock texts, fact titles and fact values. */
function cardTexts(message: TeamsMessage): string[] {
  return card(message).body.flatMap((element) =>
    element.type === 'TextBlock' ? [element.text] : element.facts.flatMap((f) => [f.title, f.value]),
  );
}

function facts(message: TeamsMessage): Map<string, string> {
  const factSet = card(message).body.find((e) => e.type === 'FactSet');
  if (factSet?.type !== 'FactSet') throw new Error('no FactSet');
  return new Map(factSet.facts.map((f) => [unescapeTeams(f.title), unescapeTeams(f.value)]));
}

function bytes(message: TeamsMessage): number {
  return Buffer.byteLength(JSON.stringify(message), 'utf8');
}

describe('renderTeams: layout', () => {
  const event = fixtureEvent('permanent_failure');
  const message = renderTeams(viewOf(event));

  it('wraps an Adaptive Card 1.4 in the Workflows envelope', () => {
    expect(message).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: expect.objectContaining({
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
          }),
        },
      ],
    });
    // Survives JSON: contentUrl is an explicit null, not a dropped undefined.
    expect(JSON.stringify(message)).toContain('"contentUrl":null');
  });

  it('has a large bold title, what to do, a FactSet and small subtle notes, all wrapping', () => {
    const [title, guidance, factSet, note, context] = card(message).body;
    expect(title).toEqual({
      type: 'TextBlock',
      text: 'Message failed to send',
      wrap: true,
      size: 'large',
      weight: 'bolder',
      color: 'attention',
    });
    expect(guidance).toMatchObject({ type: 'TextBlock', wrap: true });
    expect(guidance?.type === 'TextBlock' && unescapeTeams(guidance.text)).toBe(
      `What to do: ${GUIDANCE.permanent_failure}`,
    );
    expect(factSet?.type).toBe('FactSet');
    expect(note).toMatchObject({ type: 'TextBlock', size: 'small', isSubtle: true });
    expect(note?.type === 'TextBlock' && unescapeTeams(note.text)).toBe(FINGERPRINT_NOTE);
    expect(context).toEqual({
      type: 'TextBlock',
      // The key cut to 12 characters: enough to find it in the logs, which hold it whole.
      text: `Paubox alert relay · destination ops-teams · detail full · key ${event.key.slice(0, 12)}…`,
      wrap: true,
      size: 'small',
      isSubtle: true,
    });
  });

  it("shows the time with DATE() and TIME(), which Teams renders in the reader's zone", () => {
    expect(teamsDate(PERMANENT_FAILURE_AT)).toBe(
      '{{DATE(2026-11-20T14:03:11Z, SHORT)}} {{TIME(2026-11-20T14:03:11Z)}}',
    );
  });

  it('shows the same facts as Slack', () => {
    // Angle brackets are safe in plain_text (Slack) and escaped for Teams, so the Message-ID reads exactly.
    expect([...facts(message)]).toEqual(
      permanentFailureFacts(recipientFingerprint(ADDRESS, KEY), teamsDate(PERMANENT_FAILURE_AT)),
    );
    // The Message-ID's angle brackets are escaped, so Teams shows them instead of reading a tag.
    expect(cardTexts(message)).toContain('\\<7f3c2a10-5b1e-4c2d-9a8e-0000000000a1@mail.clinic.example.com\\>');
  });

  it.each([
    ['permanent_failure', 'Message failed to send', 'attention'],
    // A soft bounce is a warning, not an error.
    ['temporary_failure', 'Message not delivered yet', 'warning'],
    ['legacy_permanent_failure', 'Message failed to send', 'attention'],
    ['delivered', 'Message delivered', 'good'],
    ['opened', 'Message opened', undefined],
  ] as const)('%s: title %j in colour %s', (name, text, color) => {
    const title = card(renderTeams(viewOf(fixtureEvent(name)))).body[0];
    expect(title).toMatchObject({ type: 'TextBlock', text });
    expect(title?.type === 'TextBlock' ? title.color : 'not a TextBlock').toBe(color);
  });
});

describe('renderTeams: detail levels', () => {
  it.each(DETAIL_LEVELS)('%s: shows only what the level allows', (detail) => {
    const message = renderTeams(viewOf(fixtureEvent('permanent_failure'), detail));
    const body = JSON.stringify(message);
    expect(body).toContain('patients.example.org');
    expect(body).toContain(recipientFingerprint(ADDRESS, KEY));
    expect(body.includes(ADDRESS)).toBe(detail !== 'minimal');
    expect(body.includes('Your appointment on Tuesday')).toBe(detail === 'full');
    expect(body.includes('north')).toBe(detail === 'full');
    expect(body.includes('X-Clinic-Location')).toBe(detail === 'full');
    expect(teamsMessageProblems(message)).toEqual([]);
  });

  it.each(FIXTURE_NAMES.flatMap((name) => DETAIL_LEVELS.map((detail) => [name, detail] as const)))(
    '%s at %s: a valid card',
    (name, detail) => {
      const message = renderTeams(viewOf(fixtureEvent(name), detail));
      expect(teamsMessageProblems(message)).toEqual([]);
      // Our own DATE/TIME functions are the only unescaped syntax.
      for (const text of cardTexts(message)) expect(unescapedMarkdown(withoutOwnTeamsDates(text))).toEqual([]);
    },
  );
});

describe('renderTeams: hostile input', () => {
  it.each(DETAIL_LEVELS)('%s: no markdown, link, function or tag forms from input', (detail) => {
    const message = renderTeams(viewOf(hostileEvent(), detail));
    expect(teamsMessageProblems(message)).toEqual([]);
    for (const text of cardTexts(message)) {
      expect(unescapedMarkdown(text)).toEqual([]);
      expect(text).not.toContain('<at>');
      expect(text).not.toContain('{{');
      expect(text).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
    }
  });

  it('still shows hostile values, as text', () => {
    const shown = facts(renderTeams(viewOf(hostileEvent(), 'full')));
    expect(shown.get('Paubox id')).toBe('<@U123>');
    expect(shown.get('Source tracking id')).toBe('{{DATE(2017-02-14T06:08:39Z, SHORT)}}');
    expect(shown.get('Custom headers')).toBe(
      'X-Clinic-Location: north; <!everyone>: <!channel>; [click](https://evil.example): *bold* <at>Jordan</at>; X-Terminal: [31mred[0m',
    );
    expect(shown.get('Subject')).toMatch(/^<!channel> <!here> <!everyone> <@U123> /);
  });

  it.each(HOSTILE_STRINGS)('each hostile string alone, in every field: %j', (hostile) => {
    const event: RelayEvent = everyField(hostile);
    for (const detail of DETAIL_LEVELS) {
      const message = renderTeams({ ...viewOf(event, detail), destination: hostile });
      expect(teamsMessageProblems(message)).toEqual([]);
      for (const text of cardTexts(message)) expect(unescapedMarkdown(text)).toEqual([]);
    }
  });

  it('the markdown check itself catches unescaped syntax', () => {
    expect(unescapedMarkdown('[click](https://evil.example)')).toEqual(['[', ']', '(', ')']);
    expect(unescapedMarkdown('**bold**')).toEqual(['*', '*', '*', '*']);
    expect(unescapedMarkdown('- item')).toEqual(['line-start marker']);
    expect(unescapedMarkdown('1. item')).toEqual(['line-start marker']);
    expect(unescapedMarkdown('a\\')).toEqual(['dangling backslash']);
    expect(unescapedMarkdown('\\\\[x\\]')).toEqual(['[']);
    expect(unescapedMarkdown('x\n\ny')).toEqual(['line break']);
  });
});

describe('renderTeams: size', () => {
  const big = (unit: string): string => unit.repeat(Math.ceil(100_000 / unit.length));

  // `\` is the costliest character: escaped to `\\`, then doubled again by JSON: 4 bytes each.
  it.each(['\\', '"', '&', '[x](y)', '🚨', '日', 'a b', '\u001b'])('100k-character values of %j', (unit) => {
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
    const message = renderTeams({ ...viewOf(event, 'full'), destination: value });
    expect(bytes(message)).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    expect(teamsMessageProblems(message)).toEqual([]);
    expect(facts(message).get('Recipients')).toMatch(/, \+995 more$/);
    for (const text of cardTexts(message)) expect(unescapedMarkdown(text)).toEqual([]);
  });
});

describe('adaptiveCardProblems: the validation can fail', () => {
  const valid = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: 'Title', wrap: true, weight: 'bolder', size: 'large', color: 'attention' },
      { type: 'FactSet', facts: [{ title: 'a', value: 'b' }] },
    ],
  };
  const withBody = (...body: unknown[]) => ({ ...valid, body });

  it('accepts a valid card', () => {
    expect(adaptiveCardProblems(valid)).toEqual([]);
  });

  it.each([
    [
      'an unknown element type',
      withBody({ type: 'Bogus', text: 'x' }),
      /UnknownElementType: Unknown element type "Bogus"/,
    ],
    ['a 1.5 element (Table)', withBody({ type: 'Table', columns: [], rows: [] }), /Unknown element type "Table"/],
    ['an unsupported version', { ...valid, version: '9.9' }, /UnsupportedCardVersion/],
    ['version 1.5 where Workflows needs 1.4', { ...valid, version: '1.5' }, /version is "1.5", expected "1.4"/],
    ['no card type', { ...valid, type: 'Nope' }, /MissingCardType/],
    [
      'an invalid colour',
      withBody({ type: 'TextBlock', text: 'x', color: 'purple' }),
      /Invalid value "purple" for property "color"/,
    ],
    [
      'an invalid size',
      withBody({ type: 'TextBlock', text: 'x', size: 'huge' }),
      /Invalid value "huge" for property "size"/,
    ],
    [
      'a property newer than 1.4',
      withBody({ type: 'TextBlock', text: 'x', style: 'heading' }),
      /supported in version 1.5/,
    ],
    [
      'a misspelt property',
      withBody({ type: 'TextBlock', text: 'x', wrapp: true }),
      /TextBlock: unknown property "wrapp"/,
    ],
    ['an unknown root property', { ...valid, bodyy: [] }, /AdaptiveCard: unknown property "bodyy"/],
    ['an empty TextBlock', withBody({ type: 'TextBlock', text: ' ' }), /TextBlock: text must be a non-empty string/],
    ['an empty FactSet', withBody({ type: 'FactSet', facts: [] }), /FactSet: facts must be a non-empty array/],
    [
      'a fact without value',
      withBody({ type: 'FactSet', facts: [{ title: 'a' }] }),
      /facts\[0\]\.value must be a non-empty string/,
    ],
    [
      'a fact with an unknown property',
      withBody({ type: 'FactSet', facts: [{ title: 'a', value: 'b', x: 1 }] }),
      /facts\[0\]: unknown property "x"/,
    ],
    ['an empty body', withBody(), /body must be a non-empty array/],
    ['not an object', 'card', /not a JSON object/],
  ])('reports %s', (_, broken, problem) => {
    expect(adaptiveCardProblems(broken)).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });

  it('reports a broken envelope and an oversized body', () => {
    const message = renderTeams(viewOf(fixtureEvent('permanent_failure')));
    expect(teamsMessageProblems(message)).toEqual([]);
    const attachment = message.attachments[0];
    expect(teamsMessageProblems({ ...message, type: 'card' })).toEqual(['message: type must be "message"']);
    expect(teamsMessageProblems({ ...message, attachments: [{ ...attachment, contentUrl: undefined }] })).toEqual([
      'attachments[0]: contentUrl must be null',
    ]);
    expect(teamsMessageProblems({ ...message, attachments: [{ ...attachment, contentType: 'text/plain' }] })).toEqual([
      'attachments[0]: contentType must be application/vnd.microsoft.card.adaptive',
    ]);
    const huge = {
      ...attachment.content,
      body: [{ type: 'TextBlock', text: 'x'.repeat(TEAMS_MAX_BYTES), wrap: true }],
    };
    expect(teamsMessageProblems({ ...message, attachments: [{ ...attachment, content: huge }] })).toEqual([
      expect.stringMatching(/^message: \d+ bytes, more than 20000$/),
    ]);
  });
});
