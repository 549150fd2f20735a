import { requireEnv } from '../../../functions/aws/require-env';

describe('requireEnv', () => {
  it('returns the value of a set variable', () => {
    expect(requireEnv('TOPIC_ARN', { TOPIC_ARN: 'arn:aws:sns:eu-west-1:1:t' })).toBe('arn:aws:sns:eu-west-1:1:t');
  });

  it.each([{}, { TOPIC_ARN: '' }])('names a missing or empty variable and says what to do: %j', (env) => {
    expect(() => requireEnv('TOPIC_ARN', env)).toThrow(
      'environment variable TOPIC_ARN is not set; the stack sets it, so redeploy',
    );
  });
});
