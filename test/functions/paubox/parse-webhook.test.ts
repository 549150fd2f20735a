import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PayloadError } from '../../../functions/paubox/errors';
import { parsePauboxWebhook } from '../../../functions/paubox/parse-webhook';
import type { RelayEvent } from '../../../functions/paubox/relay-event';

const fixture = (name: string): { event_name: string; payload: Record<string, unknown> } =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'paubox', `${name}.json`), 'utf8'));

function parsedEvent(body: unknown): RelayEvent {
  const result = parsePauboxWebhook(body);
  if (result.kind !== 'event') throw new Error(`expected an event, got ${result.kind}`);
  return result.event;
}

function payloadError(body: unknown): PayloadError {
  try {
    parsePauboxWebhook(body);
  } catch (error) {
    if (error instanceof PayloadError) return error;
    throw error;
  }
  throw new Error('expected a PayloadError');
}

describe('parsePauboxWebhook: fixtures', () => {
  it.each([
    ['permanent_failure', 'permanent_failure', 'jordan.lee@patients.example.org'],
    ['temporary_failure', 'temporary_failure', 'sam.rivera@inbox.example.net'],
    ['delivered', 'delivered', 'alex.kim@patients.example.org'],
    ['opened', 'opened', 'alex.kim@patients.example.org'],
    ['legacy_permanent_failure', 'permanent_failure', 'pat.morgan@patients.example.org'],
  ])('%s normalizes to %s', (name, type, recipient) => {
    const body = fixture(name);
    const event = parsedEvent(body);
    expect(event.type).toBe(type);
    expect(event.recipients).toEqual([recipient]);
    expect(event.recipientDomains).toEqual([recipient.split('@')[1]]);
    expect(event.sender).toBe(body.payload.from);
    expect(event.senderDomain).toBe(String(body.payload.from).split('@')[1]);
    expect(event.pauboxId).toBe(String(body.payload.id));
    expect(event.sourceTrackingId).toBe(body.payload.source_tracking_id);
    expect(event.messageId).toBe(body.payload.header_message_id);
    expect(event.subject).toBe(body.payload.subject);
    expect(event.time).toBe(body.payload.time);
    expect(event.key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps custom headers and an absent set as an empty object', () => {
    expect(parsedEvent(fixture('permanent_failure')).customHeaders).toEqual({ 'X-Clinic-Location': 'north' });
    expect(parsedEvent(fixture('legacy_permanent_failure')).customHeaders).toEqual({});
  });
});

describe('parsePauboxWebhook: de-duplication key', () => {
  it('is the same for the same body, parsed twice or at another time', () => {
    const a = parsedEvent(fixture('permanent_failure'));
    const b = parsePauboxWebhook(fixture('permanent_failure'), new Date('2030-01-01T00:00:00Z'));
    expect(b.kind === 'event' && b.event.key).toBe(a.key);
  });

  it('differs between event types of one message and between messages', () => {
    const failure = fixture('permanent_failure');
    const sameMessageOtherType = { ...failure, event_name: 'api_mail_log_temporary_failure' };
    const otherMessage = { ...failure, payload: { ...failure.payload, id: 1 } };
    const keys = [failure, sameMessageOtherType, otherMessage].map((b) => parsedEvent(b).key);
    expect(new Set(keys).size).toBe(3);
  });

  it('maps legacy and current names of the same event to the same key', () => {
    const current = fixture('legacy_permanent_failure');
    current.event_name = 'api_mail_log_permanent_failure';
    expect(parsedEvent(current).key).toBe(parsedEvent(fixture('legacy_permanent_failure')).key);
  });
});

describe('parsePauboxWebhook: lenient where Paubox may vary', () => {
  const base = fixture('permanent_failure');
  const withPayload = (changes: Record<string, unknown>): unknown => ({
    ...base,
    payload: { ...base.payload, ...changes },
  });

  it('reads a display-name address and lower-cases the domains', () => {
    const event = parsedEvent(
      withPayload({ from: 'Clinic <Appointments@Mail.Clinic.Example.COM>', to: 'Jo <JO@X.Example.org>' }),
    );
    expect(event.sender).toBe('Appointments@Mail.Clinic.Example.COM');
    expect(event.senderDomain).toBe('mail.clinic.example.com');
    expect(event.recipientDomains).toEqual(['x.example.org']);
  });

  it('splits a comma-separated `to` and de-duplicates recipient domains', () => {
    const event = parsedEvent(withPayload({ to: 'a@one.example, b@two.example, c@one.example' }));
    expect(event.recipients).toEqual(['a@one.example', 'b@two.example', 'c@one.example']);
    expect(event.recipientDomains).toEqual(['one.example', 'two.example']);
  });

  it('uses the receive time when Paubox sends none, and a numeric-string id', () => {
    const { time: _time, ...payload } = base.payload;
    const event = parsePauboxWebhook({ ...base, payload: { ...payload, id: '42' } }, new Date('2026-11-20T10:00:00Z'));
    expect(event.kind === 'event' && [event.event.time, event.event.pauboxId]).toEqual([
      '2026-11-20T10:00:00.000Z',
      '42',
    ]);
  });

  it('ignores unknown payload fields and cuts oversized values', () => {
    const event = parsedEvent(withPayload({ extra: { deep: [1, 2, 3] }, subject: 'x'.repeat(10_000) }));
    expect(event.subject!.length).toBeLessThanOrEqual(2000);
    expect(event).not.toHaveProperty('extra');
  });

  it('reads a quoted display name holding a comma as one recipient', () => {
    const event = parsedEvent(withPayload({ to: '"Doe, John" <john.doe@patients.example.org>' }));
    expect(event.recipients).toEqual(['john.doe@patients.example.org']);
    expect(event.recipientDomains).toEqual(['patients.example.org']);
  });

  it('reads an address list with quoted names, escapes and comments', () => {
    const to = '"Doe, John" <a@one.example>, "Lee \\"J, L\\"" <b@two.example>, c@three.example (Dr. X, Y)';
    expect(parsedEvent(withPayload({ to })).recipients).toEqual(['a@one.example', 'b@two.example', 'c@three.example']);
  });

  it('splits on every comma when a quote, bracket or comment is left open', () => {
    expect(parsedEvent(withPayload({ to: '( <a@one.example>, "x <b@two.example>' })).recipients).toEqual([
      'a@one.example',
      'b@two.example',
    ]);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'treats the Object.prototype key %s as an unknown event name',
    (name) => {
      expect(parsePauboxWebhook({ event_name: name, payload: base.payload })).toEqual({
        kind: 'ignored',
        eventName: name,
      });
    },
  );

  it('accepts an unknown event_name in a valid envelope as ignored', () => {
    expect(parsePauboxWebhook({ event_name: 'api_mail_log_clicked', payload: {} })).toEqual({
      kind: 'ignored',
      eventName: 'api_mail_log_clicked',
    });
  });
});

describe('parsePauboxWebhook: invalid bodies', () => {
  const base = fixture('permanent_failure');
  const withPayload = (changes: Record<string, unknown>): unknown => ({
    ...base,
    payload: { ...base.payload, ...changes },
  });
  const without = (field: string): unknown => {
    const payload = { ...base.payload };
    delete payload[field];
    return { ...base, payload };
  };

  it.each<[string, unknown, string, RegExp]>([
    ['a JSON array', [], '', /object/],
    ['null', null, '', /object/],
    ['no event_name', { payload: base.payload }, 'event_name', /string/],
    ['a numeric event_name', { ...base, event_name: 7 }, 'event_name', /string/],
    ['no payload', { event_name: base.event_name }, 'payload', /object/],
    ['a string payload', { ...base, payload: 'x' }, 'payload', /object/],
    ['a payload string of JSON that is no object', { ...base, payload: '[1]' }, 'payload', /object/],
    ['an id that is an object', withPayload({ id: { a: 1 } }), 'payload.id', /number or a non-empty string/],
    ['no from', without('from'), 'payload.from', /string/],
    [
      'a from that is not an address',
      withPayload({ from: 'jordan.lee.patients.example.org' }),
      'payload.from',
      /e-mail address/,
    ],
    ['no to and no recipients', without('to'), 'payload.to', /recipient/],
    ['a to that is not an address', withPayload({ to: 'jordan.lee@' }), 'payload.to', /e-mail address/],
    [
      'a recipients entry of the wrong type',
      { ...base, payload: { ...(without('to') as { payload: object }).payload, recipients: [5] } },
      'payload.recipients[0]',
      /string/,
    ],
  ])('rejects %s, naming the field and what was expected', (_label, body, field, expected) => {
    const error = payloadError(body);
    expect(error.field).toBe(field);
    expect(error.expected).toMatch(expected);
    expect(error.message).toBe(`${field}: expected ${error.expected}`);
  });

  it('rejects a payload with no identifier at all', () => {
    const { id: _a, source_tracking_id: _b, header_message_id: _c, ...payload } = base.payload;
    expect(payloadError({ ...base, payload }).field).toBe('payload.id');
  });

  it('never echoes payload values or header names in its message', () => {
    const secret = 'jordan.secret@patients.example.org';
    const bodies = [
      withPayload({ to: `${secret}@ <` }),
      withPayload({ to: 'not-an-address-jordan.secret' }),
      withPayload({ from: 'X-Patient-Name', time: secret }),
      withPayload({ from: `<${secret}..>` }),
      withPayload({ to: { secret } }),
    ];
    for (const body of bodies) {
      const error = payloadError(body);
      expect(error.message).not.toMatch(/jordan|secret|Patient/i);
    }
  });
});
