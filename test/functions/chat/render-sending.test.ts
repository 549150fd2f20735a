import type { RateNotice, SilenceEndNotice } from '../../../functions/alerts';
import { renderConsoleView } from '../../../functions/chat';
import { renderSlackView } from '../../../functions/chat';
import { renderTeamsView } from '../../../functions/chat';
import { teamsMessageProblems } from '../../support/adaptive-card';
import { HOSTILE_STRINGS } from '../../support/events';
import { slackFieldPairs, slackParsedTexts, teamsCardTexts, unescapedTeamsMarkdown } from '../../support/markup';

/** Sending notices on every platform: the same words, and untrusted values (domains, a reason) inert everywhere. */

const rate = (domain: string): RateNotice => ({
  sending: 'rate',
  key: 'rate-0123456789abcdef01234567',
  state: 'problem',
  level: 'alert',
  senderDomain: domain,
  hard: 61,
  total: 1000,
  soft: 3,
  windowHours: 24,
  topRecipientDomains: [{ domain, count: 61 }],
  since: '2026-12-01T09:00:00.000Z',
  at: '2026-12-01T09:00:00.000Z',
});

const silence = (text: string): SilenceEndNotice => ({
  sending: 'silence',
  key: 'silence-0123456789abcdef01234567',
  id: 's-0123abcd',
  match: { recipientDomain: text, event: 'temporary_failure' },
  reason: text,
  startedAt: '2026-12-01T09:00:00.000Z',
  endedAt: '2026-12-01T13:00:00.000Z',
  hidden: [{ type: 'temporary_failure', domain: text, count: 4 }],
});

describe('sending notices', () => {
  it('say the rate the same way on Slack, Teams and the console', () => {
    const title = 'Bounce rate 6.1 % for mail.clinic.example.com: 61 of 1,000 in 24 h';
    expect(renderSlackView(rate('mail.clinic.example.com')).text).toBe(title);
    expect(teamsCardTexts(renderTeamsView(rate('mail.clinic.example.com')))[0]).toBe(title);
    expect(renderConsoleView(rate('mail.clinic.example.com'))).toContain(title);
    const fields = slackFieldPairs(renderSlackView(rate('mail.clinic.example.com')));
    expect(fields.get('Soft bounces')).toBe('3 (not counted in the rate)');
    expect(fields.get('Trend')).toBe('first alert for this domain');
  });

  it.each(HOSTILE_STRINGS)('keep a hostile domain or reason inert: %j', (hostile) => {
    for (const notice of [rate(hostile), silence(hostile)]) {
      const slack = renderSlackView(notice);
      // Slack parses only these: none may hold a mention, a link or formatting from the value.
      for (const text of slackParsedTexts(slack)) expect(text).not.toMatch(/<[!@#]|<https?:|<mailto:/);
      const teams = renderTeamsView(notice);
      expect(teamsMessageProblems(teams)).toEqual([]);
      for (const text of teamsCardTexts(teams)) expect(unescapedTeamsMarkdown(text)).toEqual([]);
      // No terminal escape reaches the console.
      expect(renderConsoleView(notice)).not.toMatch(/\u001b/);
    }
  });
});
