import { DestinationCredentialsError } from '../../../../functions/config';
import {
  perDestinationVariable,
  readSlackAppSecret,
  slackAppCredentials,
} from '../../../../functions/chat/slack/app-credentials';

const destination = { name: 'care-team', channel: 'C0123ABCDEF' };

describe('slackAppCredentials', () => {
  it('reads the per-destination variable before the shared one, and the API base URL', () => {
    expect(perDestinationVariable('RELAY_SLACK_BOT_TOKEN', 'care-team')).toBe('RELAY_SLACK_BOT_TOKEN_CARE_TEAM');
    const env = {
      RELAY_SLACK_BOT_TOKEN: 'xoxb-shared',
      RELAY_SLACK_BOT_TOKEN_CARE_TEAM: 'xoxb-own',
      RELAY_SLACK_SIGNING_SECRET: 'signing',
      SLACK_API_BASE_URL: 'http://127.0.0.1:1234/api',
    };
    expect(slackAppCredentials(destination, { env })).toEqual({
      botToken: 'xoxb-own',
      channel: 'C0123ABCDEF',
      apiBaseUrl: 'http://127.0.0.1:1234/api/',
      signingSecret: 'signing',
    });
    expect(slackAppCredentials({ name: 'other', channel: 'C0123ABCDEF' }, { env })).toMatchObject({
      botToken: 'xoxb-shared',
    });
    expect(slackAppCredentials(destination, { env: { RELAY_SLACK_BOT_TOKEN: 'x' } }).apiBaseUrl).toBe(
      'https://slack.com/api/',
    );
  });

  it('says which variable or command sets a missing token', () => {
    expect(() => slackAppCredentials(destination, { env: {} })).toThrow(DestinationCredentialsError);
    expect(() => slackAppCredentials(destination, { env: {} })).toThrow(
      /RELAY_SLACK_BOT_TOKEN_CARE_TEAM or RELAY_SLACK_BOT_TOKEN/,
    );
    expect(() => slackAppCredentials(destination, { secret: 'https://hooks.slack.com/services/T/B/X' })).toThrow(
      /set-destination care-team --bot-token -/,
    );
  });

  it("reads the deployed secret's JSON fields, and nothing from a secret that is a URL", () => {
    const secret = JSON.stringify({ botToken: 'xoxb-1', signingSecret: 's3', other: 1 });
    expect(slackAppCredentials(destination, { secret })).toEqual({
      botToken: 'xoxb-1',
      channel: 'C0123ABCDEF',
      apiBaseUrl: 'https://slack.com/api/',
      signingSecret: 's3',
    });
    expect(readSlackAppSecret('https://hooks.slack.com/services/T/B/X')).toEqual({});
    expect(readSlackAppSecret('[1]')).toEqual({});
    expect(readSlackAppSecret('{"botToken": 5}')).toEqual({});
  });
});
