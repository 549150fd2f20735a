import { CHAT_KINDS, isChatKind } from '../../../functions/chat/kinds';
import { DESTINATION_KINDS } from '../../../functions/config/destination-kinds';

describe('destination kinds', () => {
  it('are the chat platforms and the console', () => {
    expect(DESTINATION_KINDS).toEqual([...CHAT_KINDS, 'console']);
  });

  it.each([
    ['slack', true],
    ['teams', true],
    ['console', false],
    ['auto', false],
    ['Slack', false],
  ])('isChatKind(%j) is %p', (value, expected) => {
    expect(isChatKind(value)).toBe(expected);
  });
});
