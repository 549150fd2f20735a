import { SignatureError, SigningSecretError } from '../../../functions/paubox/errors';
import { parseSigningSecret, signWebhook, verifyWebhookSignature } from '../../../functions/paubox/signature';

// The example of the Standard Webhooks reference implementations.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = '1614265330';
const BODY = Buffer.from('{"test": 2432232314}');
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
const AT = Number(TIMESTAMP) * 1000;
const key = parseSigningSecret(SECRET);
const headers = (overrides: Record<string, string | undefined> = {}) => ({
  'webhook-id': ID,
  'webhook-timestamp': TIMESTAMP,
  'webhook-signature': SIGNATURE,
  ...overrides,
});

function rejection(run: () => void): SignatureError {
  try {
    run();
  } catch (error) {
    if (error instanceof SignatureError) return error;
    throw error;
  }
  throw new Error('expected a SignatureError');
}

describe('Standard Webhooks signatures', () => {
  it('computes the reference signature', () => {
    expect(`v1,${signWebhook(key, ID, TIMESTAMP, BODY)}`).toBe(SIGNATURE);
  });

  it('accepts the reference message, also among other signatures and within 5 minutes of its time', () => {
    expect(() => verifyWebhookSignature(headers(), BODY, key, AT)).not.toThrow();
    expect(() =>
      verifyWebhookSignature(headers({ 'webhook-signature': `v1,bm9wZQ== v2,x ${SIGNATURE}` }), BODY, key, AT),
    ).not.toThrow();
    expect(() => verifyWebhookSignature(headers(), BODY, key, AT + 300_000)).not.toThrow();
    expect(() => verifyWebhookSignature(headers(), BODY, key, AT - 300_000)).not.toThrow();
  });

  it.each([
    ['a changed body', headers(), Buffer.from('{"test": 2432232315}'), AT, 'does not match'],
    ['another id', headers({ 'webhook-id': 'msg_other' }), BODY, AT, 'does not match'],
    [
      'a signature of another version',
      headers({ 'webhook-signature': SIGNATURE.replace('v1,', 'v2,') }),
      BODY,
      AT,
      'does not match',
    ],
    ['a missing signature', headers({ 'webhook-signature': undefined }), BODY, AT, 'missing'],
    ['a missing id', headers({ 'webhook-id': undefined }), BODY, AT, 'missing'],
    ['a timestamp over 5 minutes old', headers(), BODY, AT + 301_000, 'more than 5 minutes'],
    ['a timestamp over 5 minutes ahead', headers(), BODY, AT - 301_000, 'more than 5 minutes'],
    ['a timestamp that is not a number', headers({ 'webhook-timestamp': '2021-02-25' }), BODY, AT, 'whole seconds'],
    [
      'an oversized signature header',
      headers({ 'webhook-signature': `v1,${'A'.repeat(2000)}` }),
      BODY,
      AT,
      'longer than',
    ],
  ])('refuses %s with a message that says what is wrong', (_label, h, body, now, expected) => {
    const error = rejection(() => verifyWebhookSignature(h, body, key, now));
    expect(error.message).toContain(expected);
    expect(error.message).not.toContain(ID.slice(4));
    expect(error.message).not.toContain('2432232314');
  });

  it('refuses a signing secret that is not whsec_ and base64, without echoing it', () => {
    for (const raw of ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_', 'whsec_not base64!', 'whsec_c2hvcnQ=']) {
      expect(() => parseSigningSecret(raw)).toThrow(SigningSecretError);
      try {
        parseSigningSecret(raw);
      } catch (error) {
        if (raw.length > 6) expect((error as Error).message).not.toContain(raw.slice(6));
      }
    }
  });
});
