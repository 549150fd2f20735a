import { PLATFORMS } from '../../../../functions/chat';
import { DEFAULT_MESSAGES_PER_SECOND, intervalMsOf } from '../../../../functions/delivery/pacing/pacer';

describe('intervalMsOf', () => {
  it('turns messages per second into whole milliseconds with a 10% margin for network jitter, rounding up', () => {
    expect(intervalMsOf(1)).toBe(1100);
    expect(intervalMsOf(3)).toBe(367);
    expect(intervalMsOf(0.5)).toBe(2200);
  });
});

describe('DEFAULT_MESSAGES_PER_SECOND', () => {
  it("is each chat platform's rate, from the registry: one a second for Slack and Teams", () => {
    expect(DEFAULT_MESSAGES_PER_SECOND).toEqual({ slack: 1, teams: 1 });
    expect(DEFAULT_MESSAGES_PER_SECOND.teams).toBe(PLATFORMS.teams.messagesPerSecond);
  });
});
