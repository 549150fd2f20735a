import { decodeQueuedEvent } from '../../../functions/paubox/relay-event';
import { fixtureEvent } from '../../support/events';

describe('decodeQueuedEvent', () => {
  const event = fixtureEvent('permanent_failure');

  it('reads back an event as the ingest published it, test flag included', () => {
    expect(decodeQueuedEvent(JSON.stringify(event))).toEqual(event);
    expect(decodeQueuedEvent(JSON.stringify({ ...event, test: true }))?.test).toBe(true);
  });

  it.each([
    ['not JSON', '{"key":'],
    ['not an object', '"text"'],
    ['null', 'null'],
    ['an unknown type', JSON.stringify({ ...event, type: 'bounced' })],
    ['recipients that are not strings', JSON.stringify({ ...event, recipients: [1] })],
    ['custom headers as a list', JSON.stringify({ ...event, customHeaders: ['x'] })],
    ['a header value that is not a string', JSON.stringify({ ...event, customHeaders: { a: 1 } })],
    ['a subject that is not a string', JSON.stringify({ ...event, subject: 5 })],
    ['a test flag that is not a boolean', JSON.stringify({ ...event, test: 'yes' })],
    ['no key', JSON.stringify({ ...event, key: undefined })],
  ])('refuses %s, so the record is dead-lettered as malformed', (_what, body) => {
    expect(decodeQueuedEvent(body)).toBeUndefined();
  });
});
