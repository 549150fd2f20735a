import { decodeHealthNotice, HEALTH_PREFIX, healthNotice } from '../../../functions/alerts/health-notice';
import { healthText } from '../../../functions/alerts/health-text';
import { renderConsoleHealth, renderSlackHealth, renderTeamsHealth } from '../../../functions/chat';
import { teamsMessageProblems } from '../../support/adaptive-card';
import { teamsCardTexts, unescapeTeams } from '../../support/markup';

const broken = healthNotice({
  state: 'problem',
  part: 'destination',
  subject: 'slack-ops',
  reason: 'no_service',
  affected: 12,
  since: '2026-11-20T14:03:11.000Z',
});

describe('health notices', () => {
  it('name the destination, the reason, the count and the two commands that fix it', () => {
    const { title, lines, fix } = healthText(broken);
    expect(title).toBe(`${HEALTH_PREFIX} destination slack-ops is broken (no_service)`);
    expect(lines.join(' ')).toContain('12 alerts dead-lettered');
    expect(fix).toEqual(['npx paubox-relay set-destination slack-ops <url>', 'npx paubox-relay redrive slack-ops']);
  });

  it.each([
    [
      'token_revoked',
      'reinstall the Slack app and store its bot token: npx paubox-relay set-destination care-app --bot-token -',
    ],
    ['not_in_channel', 'invite the app to the channel (/invite @<app name>)'],
    ['is_archived', 'set "channel" to a live channel\'s id'],
    [
      'channel_not_found',
      'npx paubox-relay set-destination care-app <url> (a Slack app: set "channel" to a live channel\'s id)',
    ],
  ])('of a Slack app answering %s name the app’s own fix', (reason, first) => {
    const { fix } = healthText(healthNotice({ ...broken, subject: 'care-app', reason }));
    expect(fix).toEqual([first, 'npx paubox-relay redrive care-app']);
  });

  it('have one key per change of state: the same problem twice is one key, another state another', () => {
    const again = healthNotice({ ...broken, affected: 40 });
    const resolved = healthNotice({ ...broken, state: 'resolved' });
    expect(again.key).toBe(broken.key);
    expect(resolved.key).not.toBe(broken.key);
    expect(broken.key).toMatch(/^health-[0-9a-f]{24}$/);
  });

  it('carry only checked names and codes: anything else becomes relay / a code', () => {
    const hostile = healthNotice({ ...broken, subject: '<!channel> Jo', reason: 'Dear <@U1>, jo@x.org' });
    expect(hostile.subject).toBe('relay');
    expect(hostile.reason).toMatch(/^[a-z0-9_]+$/);
    expect(JSON.stringify(renderSlackHealth(hostile))).not.toMatch(/<!channel>|<@U1>|@x\.org/);
  });

  it('round-trip through a queue body, and a forged body is not a notice', () => {
    expect(decodeHealthNotice(JSON.stringify(broken))).toEqual(broken);
    expect(decodeHealthNotice(JSON.stringify({ ...broken, subject: '<!here>' }))).toBeUndefined();
    expect(decodeHealthNotice(JSON.stringify({ ...broken, key: 'x' }))).toBeUndefined();
    expect(decodeHealthNotice('{"key":"k","type":"permanent_failure"}')).toBeUndefined();
    expect(decodeHealthNotice('not json')).toBeUndefined();
  });

  it('render for Slack with the prefix in the top-level text and the commands in plain text', () => {
    const message = renderSlackHealth(broken);
    expect(message.text.startsWith(HEALTH_PREFIX)).toBe(true);
    expect(message.text).toContain('no_service');
    const body = JSON.stringify(message.blocks);
    expect(body).toContain('npx paubox-relay set-destination slack-ops <url>');
    expect(body).toContain('npx paubox-relay redrive slack-ops');
    expect(body).not.toContain('mrkdwn');
  });

  it('render for Teams as a valid card whose title begins with the prefix', () => {
    const message = renderTeamsHealth(broken);
    expect(teamsMessageProblems(message)).toEqual([]);
    const texts = teamsCardTexts(message).map(unescapeTeams);
    expect(texts[0]!.startsWith(HEALTH_PREFIX)).toBe(true);
    expect(texts).toContain('npx paubox-relay redrive slack-ops');
    expect(texts.join('\n')).toContain('no_service');
  });

  it('render for the console on a few lines', () => {
    const text = renderConsoleHealth(broken);
    expect(text.split('\n')[0]).toContain(`${HEALTH_PREFIX} destination slack-ops is broken (no_service)`);
    expect(text).toContain('then npx paubox-relay redrive slack-ops');
  });
});
