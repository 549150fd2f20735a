import { cachedValue } from '../../../functions/aws/cached-value';

describe('cachedValue', () => {
  it('fetches once, then serves the cached value until it is maxAgeMs old', async () => {
    let now = 0;
    let fetches = 0;
    const value = cachedValue(
      async () => `v${++fetches}`,
      1000,
      () => now,
    );
    expect(await value()).toBe('v1');
    now = 999;
    expect(await value()).toBe('v1');
    now = 1000;
    expect(await value()).toBe('v2');
    expect(fetches).toBe(2);
  });

  it('shares one fetch among concurrent callers', async () => {
    let fetches = 0;
    let release: (value: string) => void = () => undefined;
    const value = cachedValue(() => {
      fetches++;
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    }, 1000);
    const callers = [value(), value(), value()];
    release('secret');
    expect(await Promise.all(callers)).toEqual(['secret', 'secret', 'secret']);
    expect(fetches).toBe(1);
  });

  it('caches no failure: the next call fetches again', async () => {
    let fetches = 0;
    const value = cachedValue(async () => {
      fetches++;
      if (fetches === 1) throw new Error('throttled');
      return 'ok';
    }, 1000);
    await expect(value()).rejects.toThrow('throttled');
    expect(await value()).toBe('ok');
    expect(fetches).toBe(2);
  });
});
