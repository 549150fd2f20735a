import { checkDestinationUrl } from '../../../functions/chat/destination-url';
import { PLATFORM_LIST } from '../../../functions/chat/platforms';
import { DestinationUrlError } from '../../../functions/config';

const SLACK = 'https://hooks.slack.com/services/T000/B000/XXXXXXXX';
const TEAMS =
  'https://prod-12.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SIG';

describe('checkDestinationUrl', () => {
  const deployed = { allowLoopbackHttp: false };

  it.each([
    [SLACK, 'slack'],
    [TEAMS, 'teams'],
    [
      'https://default1234.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/x/triggers/manual/paths/invoke?sig=s',
      'teams',
    ],
    ['https://flow.microsoft.com/x', 'teams'],
  ])('detects %s as %s', (url, kind) => {
    expect(checkDestinationUrl(url, deployed)).toBe(kind);
  });

  it.each([
    ['https://hooks.slack.com.evil.test/services/x', /neither Slack/],
    ['https://evilhooks.slack.com/services/x', /neither Slack/],
    ['https://logic.azure.com/workflows/x', /neither Slack/],
    ['https://outlook.office.com/webhook/x', /retired Office 365 connector/],
    ['http://127.0.0.1:3000/hook', /must use https$/],
    ['https://user:pw@hooks.slack.com/services/x', /user name or password/],
    ['not a url', /is not a URL/],
  ])('refuses %s', (url, message) => {
    expect(() => checkDestinationUrl(url, deployed)).toThrow(DestinationUrlError);
    expect(() => checkDestinationUrl(url, deployed)).toThrow(message);
  });

  it('refuses a URL of the other platform than the configured kind', () => {
    expect(() => checkDestinationUrl(SLACK, { kind: 'teams', allowLoopbackHttp: false })).toThrow(
      "is a slack URL but the destination's kind is teams",
    );
  });

  it('never puts the path or query (the credential) in its messages', () => {
    const messages = [SLACK.replace('https', 'http'), 'https://example.com/services/SECRETPATH?sig=SECRETSIG'].map(
      (url) => {
        try {
          checkDestinationUrl(url, deployed);
        } catch (error) {
          return (error as Error).message;
        }
        throw new Error('expected the URL to be refused');
      },
    );
    expect(messages.join(' ')).not.toMatch(/SECRET|XXXXXXXX|T000/);
  });

  it('detects every host of every platform in the registry, and any subdomain of its suffixes', () => {
    for (const platform of PLATFORM_LIST) {
      for (const host of platform.hosts) expect(checkDestinationUrl(`https://${host}/x`, deployed)).toBe(platform.kind);
      for (const suffix of platform.hostSuffixes) {
        expect(checkDestinationUrl(`https://tenant${suffix}/x`, deployed)).toBe(platform.kind);
        expect(() => checkDestinationUrl(`https://${suffix.slice(1)}/x`, deployed)).toThrow(/neither Slack/);
      }
    }
  });
});
