import { checkDestinationUrl } from '../../../functions/chat';
import { ConfigError } from '../../../functions/config/errors';
import { DEFAULT_DEPLOY_CONFIG, DEFAULT_LOCAL_CONFIG } from '../../../functions/config/defaults';
import { parseRelayConfig, unroutedDestinations } from '../../../functions/config/parse-relay-config';
import type { ConfigMode } from '../../../functions/config/relay-config';

const SLACK = 'https://hooks.slack.com/services/T000/B000/XXXXXXXX';
const TEAMS =
  'https://prod-12.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SIG';

function problems(raw: unknown, mode: ConfigMode): string[] {
  try {
    parseRelayConfig(raw, mode, checkDestinationUrl);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const oneDestination = (destination: Record<string, unknown>) => ({
  destinations: [{ name: 'ops', ...destination }],
  routes: [{ events: ['permanent_failure'], to: ['ops'] }],
});

describe('parseRelayConfig', () => {
  it('resolves defaults: detail minimal, kind from the URL, no batching window locally', () => {
    const config = parseRelayConfig(oneDestination({ url: TEAMS }), 'local', checkDestinationUrl);
    expect(config.destinations[0]).toEqual({
      name: 'ops',
      kind: 'teams',
      detail: 'minimal',
      url: TEAMS,
      // No SQS locally: a run takes every pending event, so a backlog goes out in a few posts.
      digest: { windowSeconds: 0, batchSize: 10_000, minGroupSize: 2 },
    });
  });

  it('batches deployed destinations for 10 s by default, in batches of up to 10,000', () => {
    const config = parseRelayConfig(oneDestination({ kind: 'slack' }), 'deploy');
    expect(config.destinations[0]!.digest).toEqual({ windowSeconds: 10, batchSize: 10_000, minGroupSize: 2 });
    expect(config.destinations[0]!.messagesPerSecond).toBeUndefined();
  });

  it('takes a digest window, batch size, group size and rate limit per destination', () => {
    const config = parseRelayConfig(
      oneDestination({
        kind: 'slack',
        url: SLACK,
        digest: { windowSeconds: 20, batchSize: 2000, minGroupSize: 3 },
        rateLimit: { messagesPerSecond: 0.5 },
      }),
      'local',
      checkDestinationUrl,
    );
    expect(config.destinations[0]).toMatchObject({
      digest: { windowSeconds: 20, batchSize: 2000, minGroupSize: 3 },
      messagesPerSecond: 0.5,
    });
    // Without a window SQS hands over at most 10 records, so that is the default and the limit.
    expect(
      parseRelayConfig(oneDestination({ digest: { windowSeconds: 0 } }), 'deploy').destinations[0]!.digest.batchSize,
    ).toBe(10);
  });

  it('explains every bad digest or rate limit value', () => {
    expect(
      problems(
        oneDestination({ digest: { windowSeconds: 301, minGroupSize: 1 }, rateLimit: { messagesPerSecond: 0 } }),
        'deploy',
      ),
    ).toEqual([
      'destinations[0].digest.windowSeconds: expected a whole number of seconds from 0 to 300',
      'destinations[0].digest.minGroupSize: expected a whole number from 2 to 10000 (a digest covers at least 2 events)',
      'destinations[0].rateLimit.messagesPerSecond: expected a number above 0 and at most 1000 (Slack allows 1)',
    ]);
    expect(problems(oneDestination({ digest: { windowSeconds: 0, batchSize: 100 } }), 'deploy')).toEqual([
      'destinations[0].digest.batchSize: expected a whole number from 1 to 10 (above 10 SQS needs a windowSeconds of 1 or more)',
    ]);
    expect(problems(oneDestination({ digest: { window: 5 } }), 'deploy')[0]).toBe(
      'destinations[0].digest: unknown key "window"; allowed: windowSeconds, batchSize, minGroupSize',
    );
    expect(problems(oneDestination({ digest: { windowSeconds: '20' } }), 'deploy')[0]).toBe(
      'destinations[0].digest.windowSeconds: expected a number',
    );
    expect(problems(oneDestination({ kind: 'console', rateLimit: { messagesPerSecond: 1 } }), 'local')).toEqual([
      'destinations[0].rateLimit: a console destination is not rate limited; remove it',
    ]);
  });

  it('accepts the built-in defaults in their own modes', () => {
    expect(parseRelayConfig(DEFAULT_LOCAL_CONFIG, 'local', checkDestinationUrl)).toEqual(DEFAULT_LOCAL_CONFIG);
    expect(parseRelayConfig(DEFAULT_DEPLOY_CONFIG, 'deploy')).toEqual(DEFAULT_DEPLOY_CONFIG);
  });

  it('reads the alarms block: an e-mail address, an SNS topic, the delay threshold', () => {
    const alarms = {
      email: 'oncall@clinic.example.com',
      topicArn: 'arn:aws:sns:us-east-1:123456789012:pager',
      endToEndDelaySeconds: 120,
    };
    expect(parseRelayConfig({ ...oneDestination({}), alarms }, 'deploy').alarms).toEqual(alarms);
    expect(parseRelayConfig({ ...oneDestination({}), alarms: {} }, 'deploy').alarms).toEqual({});
    expect(parseRelayConfig(oneDestination({}), 'deploy').alarms).toBeUndefined();
  });

  it('reports every problem of the alarms block at once, saying what to write', () => {
    const alarms = {
      email: 'oncall at clinic',
      topicArn: 'arn:aws:sqs:us-east-1:123456789012:q',
      endToEndDelaySeconds: 1.5,
      phone: '1',
    };
    expect(problems({ ...oneDestination({}), alarms }, 'deploy')).toEqual([
      'alarms: unknown key "phone"; allowed: email, topicArn, endToEndDelaySeconds',
    ]);
    delete (alarms as Partial<typeof alarms>).phone;
    expect(problems({ ...oneDestination({}), alarms }, 'deploy')).toEqual([
      'alarms.email: expected one e-mail address such as oncall@example.com',
      'alarms.topicArn: expected an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:relay-alarms',
      'alarms.endToEndDelaySeconds: expected a whole number of seconds from 10 to 86400, got 1.5',
    ]);
    expect(
      problems(
        { ...oneDestination({}), alarms: { topicArn: 'arn:aws:sns:eu-west-1:123456789012:pager.fifo' } },
        'deploy',
      ),
    ).toEqual(['alarms.topicArn: CloudWatch alarms cannot notify a FIFO topic; give a standard topic']);
    expect(problems({ ...oneDestination({}), alarms: { endToEndDelaySeconds: '120' } }, 'deploy')).toEqual([
      'alarms.endToEndDelaySeconds: expected a number',
    ]);
  });

  it('refuses inline URLs when deploying, saying where URLs go instead', () => {
    const [problem] = problems(oneDestination({ url: SLACK }), 'deploy');
    expect(problem).toMatch(/^destinations\[0\]\.url: inline URLs are refused when deploying/);
    expect(problem).toMatch(/secret/);
    expect(problem).not.toContain('XXXXXXXX');
  });

  it('accepts plain http for loopback hosts in local mode only, with an explicit kind', () => {
    expect(
      parseRelayConfig(
        oneDestination({ kind: 'slack', url: 'http://127.0.0.1:9999/hook' }),
        'local',
        checkDestinationUrl,
      ).destinations[0]!.kind,
    ).toBe('slack');
    expect(problems(oneDestination({ url: 'http://127.0.0.1:9999/hook' }), 'local')[0]).toMatch(/set "kind"/);
    expect(problems(oneDestination({ kind: 'slack', url: 'http://hooks.slack.com/services/x' }), 'local')[0]).toMatch(
      /must use https/,
    );
    expect(problems(oneDestination({ kind: 'slack', url: 'http://10.0.0.5/hook' }), 'local')[0]).toMatch(
      /must use https/,
    );
  });

  it('refuses a retired Office 365 connector and says how to make a Workflows URL', () => {
    const [problem] = problems(
      oneDestination({ url: 'https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/def' }),
      'local',
    );
    expect(problem).toMatch(/retired Office 365 connector/);
    expect(problem).toMatch(/Workflows/);
    expect(problem).toMatch(/Send webhook alerts to a channel/);
  });

  it('accepts chat destinations without a URL in local mode: the local relay previews them on the console', () => {
    const config = parseRelayConfig(
      {
        destinations: [{ name: 'ops', kind: 'teams' }, { name: 'care-team' }],
        routes: [{ events: ['opened'], to: ['ops', 'care-team'] }],
      },
      'local',
      checkDestinationUrl,
    );
    expect(config.destinations.map((d) => [d.name, d.kind, d.url])).toEqual([
      ['ops', 'teams', undefined],
      ['care-team', undefined, undefined],
    ]);
  });

  it('reports schema and cross-field problems in one pass, with the key or name each probably meant', () => {
    expect(
      problems(
        {
          destinations: [{ name: 'ops', kind: 'slack', detial: 'full', url: SLACK }],
          routes: [{ events: ['permanent_failure'], to: ['ops', 'opz', 'pager'] }],
        },
        'deploy',
      ),
    ).toEqual([
      'destinations[0]: unknown key "detial"; did you mean "detail"?',
      expect.stringMatching(
        /^destinations\[0\]\.url: inline URLs .* npx paubox-relay set-destination ops - \(paste the URL/,
      ),
      'routes[0].to[1]: no destination is named "opz"; did you mean "ops"? (defined: ops)',
      'routes[0].to[2]: no destination is named "pager" (defined: ops)',
    ]);
  });

  it('says "is required" for missing fields and suggests the likely value among the allowed ones', () => {
    expect(
      problems(
        {
          destinations: [{ kind: 'slak', detail: 'recipent', digest: { windowSeconds: 5 } }],
          routes: [{ events: ['permanent_failur'] }],
          alarm: {},
        },
        'deploy',
      ),
    ).toEqual([
      'destinations[0].name: is required',
      'destinations[0].kind: expected one of "slack", "teams", "console"; did you mean "slack"?',
      'destinations[0].detail: expected one of "minimal", "recipient", "full"; did you mean "recipient"?',
      'routes[0].events[0]: expected one of "delivered", "opened", "temporary_failure", "permanent_failure"; ' +
        'did you mean "permanent_failure"?',
      'routes[0].to: is required',
      '(top level): unknown key "alarm"; did you mean "alarms"?',
    ]);
    expect(problems({}, 'deploy')).toEqual(['destinations: is required', 'routes: is required']);
    expect(problems([], 'deploy')).toEqual(['(top level): expected an object']);
  });

  it('checks a valid part of the file across fields even when another part is malformed', () => {
    expect(
      problems(
        {
          destinations: [
            { name: 'ops', kind: 'slack', url: SLACK },
            { name: 'ops', colour: 'red' },
          ],
          routes: 'all',
          alarms: { email: 'not an address' },
        },
        'deploy',
      ),
    ).toEqual([
      'destinations[1]: unknown key "colour"; allowed: name, kind, detail, url, channel, digest, rateLimit',
      'routes: expected a list',
      expect.stringMatching(/^destinations\[0\]\.url: inline URLs are refused when deploying/),
      'destinations[1].name: "ops" is used twice; names must be unique',
      'alarms.email: expected one e-mail address such as oncall@example.com',
    ]);
  });

  it('lists every problem with its path', () => {
    const found = problems(
      {
        destinations: [
          { name: 'Ops Team', kind: 'sms', detail: 'everything' },
          { name: 'b', colour: 'red' },
        ],
        routes: [{ events: ['bounced'], to: [] }],
      },
      'deploy',
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^destinations\[0\]\.name: expected a name of lower-case letters/),
        'destinations[0].kind: expected one of "slack", "teams", "console"',
        'destinations[0].detail: expected one of "minimal", "recipient", "full"',
        'destinations[1]: unknown key "colour"; allowed: name, kind, detail, url, channel, digest, rateLimit',
        expect.stringMatching(/^routes\[0\]\.events\[0\]: expected one of "delivered", "opened"/),
        'routes[0].to: must not be empty',
      ]),
    );
  });

  it('catches routes to unknown destinations and duplicate names', () => {
    const found = problems(
      {
        destinations: [
          { name: 'ops', kind: 'console' },
          { name: 'ops', kind: 'console' },
        ],
        routes: [{ events: ['opened'], to: ['ops', 'opss'] }],
      },
      'local',
    );
    expect(found).toEqual([
      'destinations[1].name: "ops" is used twice; names must be unique',
      'routes[0].to[1]: no destination is named "opss"; did you mean "ops"? (defined: ops)',
    ]);
  });

  it('refuses routes that exceed the SNS filter policy limit', () => {
    const senderDomains = Array.from({ length: 40 }, (_, i) => `d${i}.example.com`);
    const found = problems(
      {
        destinations: [{ name: 'ops', kind: 'console' }],
        routes: [{ events: ['opened', 'delivered'], senderDomains, to: ['ops'] }],
      },
      'local',
    );
    expect(found[0]).toMatch(/160 filter combinations, more than the 150 SNS allows/);
  });

  it('reports destinations that no route names', () => {
    const config = parseRelayConfig(
      {
        destinations: [
          { name: 'a', kind: 'console' },
          { name: 'b', kind: 'console' },
        ],
        routes: [{ events: ['opened'], to: ['a'] }],
      },
      'local',
      checkDestinationUrl,
    );
    expect(unroutedDestinations(config)).toEqual(['b']);
  });
});

describe('parseRelayConfig: ingest', () => {
  const base = oneDestination({ kind: 'console' });

  it('defaults to no signatures, a 72-hour overlap, rotation on demand and no reserved concurrency', () => {
    expect(parseRelayConfig(base, 'local', checkDestinationUrl).ingest).toEqual({
      verifySignatures: false,
      tokenOverlapHours: 72,
    });
  });

  it('takes every ingest setting', () => {
    const ingest = {
      verifySignatures: true,
      tokenOverlapHours: 12,
      tokenRotationDays: 90,
      reservedConcurrency: 20,
      accountConcurrency: 1000,
    };
    expect(parseRelayConfig({ ...base, ingest }, 'deploy').ingest).toEqual(ingest);
  });

  it('says what is wrong with each ingest setting', () => {
    expect(
      problems(
        {
          ...base,
          ingest: {
            tokenOverlapHours: -1,
            tokenRotationDays: 0,
            reservedConcurrency: 1.5,
            verifySignatures: 'yes',
            other: 1,
          },
        },
        'deploy',
      ),
    ).toEqual(
      expect.arrayContaining([
        'ingest.tokenOverlapHours: must be at least 0',
        'ingest.tokenRotationDays: must be at least 1',
        'ingest.verifySignatures: expected a boolean',
        'ingest: unknown key "other"; allowed: verifySignatures, tokenOverlapHours, tokenRotationDays, reservedConcurrency, accountConcurrency',
      ]),
    );
  });
});

describe('parseRelayConfig: Slack app mode', () => {
  it.each<ConfigMode>(['local', 'deploy'])('reads a channel id as app mode, of kind slack (%s)', (mode) => {
    const config = parseRelayConfig(oneDestination({ channel: 'C0123ABCDEF' }), mode, checkDestinationUrl);
    expect(config.destinations[0]).toMatchObject({ name: 'ops', kind: 'slack', channel: 'C0123ABCDEF' });
    expect(config.destinations[0]!.url).toBeUndefined();
  });

  it('refuses a channel name, a channel beside a url, and a channel on a Teams destination', () => {
    expect(problems(oneDestination({ channel: '#alerts' }), 'local')).toEqual([
      expect.stringMatching(
        /^destinations\[0\]\.channel: expected a Slack channel id such as C0123ABCDEF .*not its name$/,
      ),
    ]);
    const withUrl = problems(oneDestination({ channel: 'C0123ABCDEF', url: SLACK }), 'local');
    expect(withUrl).toEqual([
      expect.stringMatching(/^destinations\[0\]\.url: a destination with a "channel" .* takes no url/),
    ]);
    // The webhook URL is a credential: never repeated.
    expect(withUrl.join()).not.toContain('XXXXXXXX');
    expect(problems(oneDestination({ channel: 'C0123ABCDEF', kind: 'teams' }), 'deploy')).toEqual([
      expect.stringMatching(/only a Slack destination posts as an app/),
    ]);
  });

  it('refuses a misspelt key with the likely one', () => {
    expect(problems(oneDestination({ chanel: 'C0123ABCDEF' }), 'local')[0]).toMatch(/unknown key "chanel".*"channel"/);
  });
});
