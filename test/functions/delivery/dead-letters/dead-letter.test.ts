import { summarizeDeadLetters } from '../../../../functions/delivery/dead-letters/dead-letter';

describe('summarizeDeadLetters', () => {
  it('counts letters by reason, and nothing else', () => {
    const letters = [{ reason: 'no_service' }, { reason: 'http_503' }, { reason: 'no_service' }];
    expect(summarizeDeadLetters(letters)).toEqual({ no_service: 2, http_503: 1 });
    expect(summarizeDeadLetters([])).toEqual({});
  });
});
