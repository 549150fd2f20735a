import { classifyHttpFailure, classifyNoReply } from '../../../functions/chat/classify-failure';
import { DeliveryError, PostFailure } from '../../../functions/chat/errors';

describe('classifyHttpFailure', () => {
  afterEach(() => jest.restoreAllMocks());

  it('keeps a 429 for later, with the seconds of its Retry-After', () => {
    const error = classifyHttpFailure(429, 'rate_limited', '30');
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ reason: 'rate_limited', retryable: true, status: 429, retryAfterSeconds: 30 });
    expect(classifyHttpFailure(429, '', '0.5').retryAfterSeconds).toBe(0.5);
  });

  it('reads a Retry-After given as an HTTP date, and never waits a negative time', () => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-20T14:00:00Z'));
    expect(classifyHttpFailure(429, '', 'Fri, 20 Nov 2026 14:00:45 GMT').retryAfterSeconds).toBe(45);
    expect(classifyHttpFailure(429, '', 'Fri, 20 Nov 2026 13:59:00 GMT').retryAfterSeconds).toBe(0);
  });

  it.each([null, 'soon'])('leaves the wait to the retry policy when Retry-After is %p', (header) => {
    expect(classifyHttpFailure(429, '', header).retryAfterSeconds).toBeUndefined();
  });

  it.each([500, 502, 503, 504, 408])('keeps a %i for later', (status) => {
    expect(classifyHttpFailure(status, '', '1')).toMatchObject({
      retryable: true,
      status,
      retryAfterSeconds: undefined,
    });
  });

  it.each([400, 403, 404, 410])('gives up on a %i: it will never succeed', (status) => {
    expect(classifyHttpFailure(status, 'no_service', null)).toMatchObject({
      reason: 'no_service',
      retryable: false,
      status,
    });
  });

  it('keeps a platform code as the reason, cut to 64 characters, and nothing that is not one', () => {
    expect(classifyHttpFailure(404, ' channel_is_archived\n', null).reason).toBe('channel_is_archived');
    expect(classifyHttpFailure(400, '<html>https://hooks.slack.com/services/T0/B0/SECRET</html>', null).reason).toBe(
      'http_400',
    );
    expect(classifyHttpFailure(400, `${'x'.repeat(64)}_more`, null).reason).toBe('x'.repeat(64));
    expect(classifyHttpFailure(503, '', null).reason).toBe('http_503');
    expect(classifyHttpFailure(404, 'invalid_token', null).message).toBe('delivery failed: invalid_token (HTTP 404)');
  });
});

describe('classifyNoReply', () => {
  it('tells a timeout after the request left (maybe posted) from one before it left (not posted)', () => {
    expect(classifyNoReply(new PostFailure('timeout', true))).toMatchObject({ reason: 'timeout', retryable: true });
    expect(classifyNoReply(new PostFailure('timeout', false))).toMatchObject({
      reason: 'connect_timeout',
      retryable: true,
    });
  });

  it.each([new PostFailure('network_error', true), new Error('ECONNRESET'), 'odd'])(
    'calls anything else a network error: %p',
    (error) => {
      expect(classifyNoReply(error)).toMatchObject({ reason: 'network_error', retryable: true, status: undefined });
    },
  );
});
