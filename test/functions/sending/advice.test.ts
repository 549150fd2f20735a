import { adviceOf, bounceEntry, bouncesWithin } from '../../../functions/sending';
import { ADVICE_DETAIL_TYPE, adviceEntry } from '../../../functions/sending';
import { AUTOMATION_SOURCE } from '../../../functions/archive';

const DAY = 86_400_000;
const T = Date.UTC(2026, 11, 1);
const settings = { hardBounces: 3, windowMs: 30 * DAY };

describe('repeat-bounce advice', () => {
  it('counts a bounce once, whatever the times it is recorded', () => {
    expect(bounceEntry('key-1', T)).toBe(bounceEntry('key-1', T + 999));
  });

  it('advises at the third hard bounce within the window, not when one is older than it', () => {
    const two = [bounceEntry('a', T), bounceEntry('b', T + DAY)];
    expect(adviceOf('r-1', 'x.example', two, T + DAY, settings, undefined).advice).toBeUndefined();
    const three = [...two, bounceEntry('c', T + 2 * DAY)];
    const result = adviceOf('r-1', 'x.example', three, T + 2 * DAY, settings, undefined);
    expect(result).toEqual({
      isNew: true,
      advice: {
        fingerprint: 'r-1',
        recipientDomain: 'x.example',
        firstAt: new Date(T).toISOString(),
        lastAt: new Date(T + 2 * DAY).toISOString(),
        count: 3,
        advisedAt: new Date(T + 2 * DAY).toISOString(),
      },
    });
    // The first bounce has left the window 30 days on.
    expect(bouncesWithin(three, T + 30 * DAY, settings.windowMs)).toHaveLength(2);
  });

  it('is new only once', () => {
    const three = [bounceEntry('a', T), bounceEntry('b', T + 1000), bounceEntry('c', T + 2000)];
    const first = adviceOf('r-1', 'x.example', three, T + 2000, settings, undefined).advice!;
    const again = adviceOf('r-1', 'x.example', [...three, bounceEntry('d', T + 3000)], T + 3000, settings, first);
    expect(again.isNew).toBe(false);
    expect(again.advice).toMatchObject({ count: 4, advisedAt: first.advisedAt, firstAt: first.firstAt });
  });

  it('is put on the bus as RecipientSuppressionAdvised, with no address', () => {
    const advice = adviceOf('r-1', 'x.example', ['1:a', '2:b', '3:c'], 3000, settings, undefined).advice!;
    const entry = adviceEntry(advice, 'bus');
    expect(entry).toMatchObject({ Source: AUTOMATION_SOURCE, DetailType: ADVICE_DETAIL_TYPE, EventBusName: 'bus' });
    expect(JSON.parse(entry.Detail)).toEqual(advice);
  });
});
