import { periodLabel, toReportView } from '../../../functions/alerts';
import type { DetailLevel } from '../../../functions/config';
import { renderConsoleView } from '../../../functions/chat/console/render';
import type { SlackMessage } from '../../../functions/chat/slack/render';
import { renderSlackView } from '../../../functions/chat/slack/render-view';
import { TEAMS_MAX_BYTES } from '../../../functions/chat/teams/render';
import { renderTeamsView } from '../../../functions/chat/teams/render-view';
import { decodeQueuedReport, encodeQueuedReport } from '../../../functions/reports';
import { teamsMessageProblems } from '../../support/adaptive-card';
import { HOSTILE_STRINGS } from '../../support/events';
import { slackFieldPairs, slackParsedTexts, teamsCardTexts, unescapedTeamsMarkdown } from '../../support/markup';
import { sampleSummary } from '../../support/summary';

const view = (detail: DetailLevel, domain?: string) =>
  toReportView(sampleSummary(domain), { key: 'report-week-2026-03-15T00:00:00.000Z', destination: 'ops', detail });

describe('the report card', () => {
  it("shows each figure beside the previous period's, and the failing domains with their counts (Slack)", () => {
    const message: SlackMessage = renderSlackView(view('minimal'));
    expect(message.text).toBe('Deliverability: last 7 days: 12 permanent and 30 temporary failures, bounce rate 3.3%');
    const fields = slackFieldPairs(message);
    expect(Object.fromEntries(fields)).toEqual({
      Period: '2026-03-08 to 2026-03-15 (UTC)',
      Delivered: '1,234 (previous 1,000)',
      Opened: '600 (previous 500)',
      'Temporary failures': '30 (previous 10)',
      'Permanent failures': '12 (previous 2)',
      'Bounce rate': '3.3% (previous 1.2%)',
      'Hard / soft bounces': '0.9% / 2.4%',
      'Unique recipients': '1,100 (previous 900)',
      'Top failing recipient domains': 'inbox.example.net: 20\nmail.example.com: 7',
      'Failures by sender domain': 'inbox.example.net: 42',
    });
  });

  it('shows failures by header value to full destinations only', () => {
    expect(view('recipient').summary.failuresByHeader).toBeUndefined();
    expect(JSON.stringify(renderTeamsView(view('recipient')))).not.toContain('X-Campaign');
    const full = slackFieldPairs(renderSlackView(view('full')));
    expect(full.get('Failures by X-Campaign')).toBe('inbox.example.net: 9\n(no value): 33');
  });

  it.each(HOSTILE_STRINGS)('keeps a hostile archived value inert on every platform: %j', (hostile) => {
    for (const detail of ['minimal', 'full'] as const) {
      const slack = renderSlackView(view(detail, hostile));
      // Values are plain_text; what Slack parses holds our own words and counts only.
      for (const text of slackParsedTexts(slack)) expect(text).not.toMatch(/<[!@#]|<https?:/);
      const teams = renderTeamsView(view(detail, hostile));
      expect(teamsMessageProblems(teams)).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify(teams))).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
      for (const text of teamsCardTexts(teams))
        expect({ text, found: unescapedTeamsMarkdown(text) }).toEqual({ text, found: [] });
      const console = renderConsoleView(view(detail, hostile));
      expect(console).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      expect(console.split('\n').length).toBe(detail === 'full' ? 13 : 12);
    }
  });

  it('names its period by length', () => {
    expect(periodLabel({ since: '2026-03-14T00:00:00.000Z', until: '2026-03-15T00:00:00.000Z' })).toBe('last 24 hours');
    expect(periodLabel({ since: '2026-03-01T00:00:00.000Z', until: '2026-03-15T00:00:00.000Z' })).toBe('last 14 days');
  });
});

describe('a report on a queue', () => {
  it('round-trips, and a message that is not a well-formed report is refused', () => {
    const body = encodeQueuedReport('report-day-x', sampleSummary());
    expect(decodeQueuedReport(body)).toEqual({
      kind: 'paubox-relay-report',
      key: 'report-day-x',
      summary: sampleSummary(),
    });
    const broken = JSON.parse(body) as { summary: Record<string, unknown> };
    for (const field of ['delivered', 'topFailingRecipientDomains', 'previous', 'since']) {
      const copy = structuredClone(broken);
      copy.summary[field] = field === 'since' ? 42 : 'x';
      expect({ field, decoded: decodeQueuedReport(JSON.stringify(copy)) }).toEqual({ field, decoded: undefined });
    }
    expect(decodeQueuedReport('not json')).toBeUndefined();
    expect(decodeQueuedReport(JSON.stringify({ kind: 'other', key: 'k', summary: sampleSummary() }))).toBeUndefined();
  });
});
