import { refusalLog } from '../../../functions/local/refusal-log';
import { captureLogger } from '../../support/capture-logger';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('the local log of wrong-token answers', () => {
  it('logs the first at once, then one line a minute with the count and addresses while they go on', () => {
    const logger = captureLogger();
    const log = refusalLog(logger);
    log.refused('192.0.2.7');
    expect(logger.lines.map((l) => l.fields.count)).toEqual([1]);
    for (let i = 0; i < 500; i++) log.refused(i % 2 === 0 ? '192.0.2.7' : '198.51.100.9');
    jest.advanceTimersByTime(59_999);
    expect(logger.lines).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[1]!.fields).toMatchObject({
      status: 401,
      count: 500,
      remoteAddress: '192.0.2.7, 198.51.100.9',
    });
    // A quiet minute ends the window: the next refusal is logged at once again.
    jest.advanceTimersByTime(60_000);
    expect(logger.lines).toHaveLength(2);
    log.refused('203.0.113.5');
    expect(logger.lines).toHaveLength(3);
    log.close();
  });

  it('names five addresses at most, and writes what is counted when closed', () => {
    const logger = captureLogger();
    const log = refusalLog(logger);
    for (let i = 0; i < 9; i++) log.refused(`192.0.2.${i}`);
    log.close();
    expect(logger.lines[1]!.fields).toMatchObject({ count: 8 });
    expect(logger.lines[1]!.fields.remoteAddress).toBe(
      '192.0.2.1, 192.0.2.2, 192.0.2.3, 192.0.2.4, 192.0.2.5 and 3 more',
    );
    expect(jest.getTimerCount()).toBe(0);
  });

  it('says what was refused, and why on the line logged at once', () => {
    const logger = captureLogger();
    const log = refusalLog(logger, 60_000, 'Slack interactivity requests');
    log.refused('192.0.2.7', 'stale');
    log.refused('192.0.2.7', 'replay');
    log.close();
    expect(logger.lines.map((l) => [l.message, l.fields.count, l.fields.reason])).toEqual([
      ['answered 401 to Slack interactivity requests', 1, 'stale'],
      ['answered 401 to Slack interactivity requests', 1, 'at most one such line every 60 s'],
    ]);
  });
});
