import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { slackSignature, verifySlackSignature } from '../../../functions/interactivity/slack-signature';

// Slack's own example (api.slack.com/authentication/verifying-requests-from-slack).
const SLACK_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const SLACK_TIMESTAMP = '1531420618';
const SLACK_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&' +
  'channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&' +
  'response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&' +
  'trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SLACK_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const NOW = Number(SLACK_TIMESTAMP) * 1000;
const keys = [
  { destination: 'ops', secret: 'another-secret' },
  { destination: 'care', secret: SLACK_SECRET },
];
const check = (signature: string | undefined, timestamp: string | undefined, body = SLACK_BODY, now = NOW) =>
  verifySlackSignature(keys, { signature, timestamp }, Buffer.from(body), now);

describe('verifySlackSignature', () => {
  it("accepts Slack's documented example, naming the destination whose secret signed it", () => {
    expect(slackSignature(SLACK_SECRET, SLACK_TIMESTAMP, SLACK_BODY)).toBe(SLACK_SIGNATURE);
    expect(check(SLACK_SIGNATURE, SLACK_TIMESTAMP)).toEqual({ ok: true, destinations: ['care'], timestampMs: NOW });
  });

  it('refuses a changed body, another secret, and a missing or malformed header', () => {
    expect(check(SLACK_SIGNATURE, SLACK_TIMESTAMP, `${SLACK_BODY}&x=1`)).toEqual({ ok: false, reason: 'mismatch' });
    const other = `v0=${createHmac('sha256', 'nope').update(`v0:${SLACK_TIMESTAMP}:${SLACK_BODY}`).digest('hex')}`;
    expect(check(other, SLACK_TIMESTAMP)).toEqual({ ok: false, reason: 'mismatch' });
    expect(check(undefined, SLACK_TIMESTAMP)).toEqual({ ok: false, reason: 'unsigned' });
    expect(check(SLACK_SIGNATURE, undefined)).toEqual({ ok: false, reason: 'unsigned' });
    expect(check(SLACK_SIGNATURE.toUpperCase(), SLACK_TIMESTAMP)).toEqual({ ok: false, reason: 'unsigned' });
    expect(check(`${SLACK_SIGNATURE}0`, SLACK_TIMESTAMP)).toEqual({ ok: false, reason: 'unsigned' });
    expect(check(SLACK_SIGNATURE, '1531420618.5')).toEqual({ ok: false, reason: 'unsigned' });
  });

  it('refuses a timestamp more than five minutes from now, either way, before comparing', () => {
    expect(check(SLACK_SIGNATURE, SLACK_TIMESTAMP, SLACK_BODY, NOW + 5 * 60_000).ok).toBe(true);
    expect(check(SLACK_SIGNATURE, SLACK_TIMESTAMP, SLACK_BODY, NOW + 5 * 60_000 + 1)).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(check(SLACK_SIGNATURE, SLACK_TIMESTAMP, SLACK_BODY, NOW - 6 * 60_000).ok).toBe(false);
  });

  it('names every destination that shares the signing secret', () => {
    const shared = [
      { destination: 'a', secret: SLACK_SECRET },
      { destination: 'b', secret: SLACK_SECRET },
    ];
    const result = verifySlackSignature(
      shared,
      { signature: SLACK_SIGNATURE, timestamp: SLACK_TIMESTAMP },
      Buffer.from(SLACK_BODY),
      NOW,
    );
    expect(result).toMatchObject({ ok: true, destinations: ['a', 'b'] });
  });

  it('never throws, whatever the headers and body', () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.option(fc.string()), fc.uint8Array(), (signature, timestamp, body) => {
        const result = verifySlackSignature(
          keys,
          { signature: signature ?? undefined, timestamp: timestamp ?? undefined },
          Buffer.from(body),
          NOW,
        );
        return result.ok === false;
      }),
    );
  });
});
