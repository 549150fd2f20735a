import { notifierEnvironment } from '../../support/notifier-env';

/** Loads a handler module afresh with `env` as its whole environment (beside the test run's own settings). */
function coldStart(handler: string, env: Record<string, string>): () => void {
  return () => {
    const saved = process.env;
    const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: quiet } = saved;
    process.env = {
      ...env,
      ...(quiet !== undefined ? { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: quiet } : {}),
    };
    try {
      jest.isolateModules(() => {
        require(`../../../functions/handlers/${handler}`);
      });
    } finally {
      process.env = saved;
    }
  };
}

describe('a handler whose environment is wrong fails at cold start, naming the variable', () => {
  it('loads with what the construct gives it', () => {
    expect(coldStart('notify-destination', notifierEnvironment())).not.toThrow();
  });

  it('fails on a missing variable', () => {
    const { DEDUP_TABLE_NAME: _, ...env } = notifierEnvironment();
    expect(coldStart('notify-destination', env)).toThrow('environment variable DEDUP_TABLE_NAME is not set');
  });

  it('fails on a malformed one', () => {
    expect(coldStart('notify-destination', notifierEnvironment({ MAX_RECEIVE_COUNT: '0' }))).toThrow(
      'environment variable MAX_RECEIVE_COUNT must be a whole number of at least 1, not "0"',
    );
    expect(coldStart('rotate-token', { TOKEN_OVERLAP_HOURS: '-1' })).toThrow(
      'environment variable TOKEN_OVERLAP_HOURS must be a number of at least 0, not "-1"',
    );
  });
});
