/**
 * Property tests: whatever body arrives, the parser fails only with its typed error, and ingest answers
 * 202, 400 or 413 (never 5xx) without echoing anything from the body.
 */
import * as fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PayloadError, parsePauboxWebhook } from '../../functions/paubox';
import { handleWebhook, MAX_BODY_BYTES } from '../../functions/ingest';
import { captureLogger } from '../support/capture-logger';
import { HOSTILE_STRINGS } from '../support/events';

const TOKEN = 'T0talityT0kenT0talityT0kenT0talityT0kenT0talityT0';
const SEED = Number(process.env.FC_SEED ?? 20261120);
const FIXTURE = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'paubox', 'permanent_failure.json'), 'utf8'),
) as {
  event_name: string;
  payload: Record<string, unknown>;
};
const FIELDS = [
  'id',
  'subject',
  'header_message_id',
  'source_tracking_id',
  'outbound_queue_id',
  'time',
  'from',
  'to',
  'recipients',
  'custom_headers',
];

/** A value that carries a marker wherever it holds text, so an echo of it can be found. */
const markedValue = (mark: string) =>
  fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => (typeof v === 'string' ? `${v}${mark}` : v)),
    fc.constantFrom(...HOSTILE_STRINGS).map((s) => `${s}${mark}`),
    fc.constant(`${mark}@x.example`),
    fc.constant([`${mark}@x.example`, 5]),
    fc.constant({ [`X-${mark}`]: { nested: mark } }),
    fc.string({ unit: 'binary', maxLength: 30 }).map((s) => `${s}${mark}`),
  );

/** The fixture with some fields replaced, removed, or added, and sometimes another envelope. */
const nearlyValid = fc
  .record({
    mark: fc.stringMatching(/^[a-z]{6}[0-9]{6}$/),
    replaced: fc.subarray(FIELDS),
    removed: fc.subarray(FIELDS, { maxLength: 3 }),
    eventName: fc.oneof(
      fc.constant(FIXTURE.event_name),
      fc.constantFrom('message_opened', 'api_mail_log_clicked', '', '(marked)'),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    wrapPayload: fc.constantFrom('object', 'array', 'string', 'missing'),
  })
  .chain((g) =>
    fc.tuple(
      fc.constant(g),
      fc.array(markedValue(g.mark), { minLength: g.replaced.length, maxLength: g.replaced.length }),
    ),
  )
  .map(([g, values]) => {
    const payload: Record<string, unknown> = { ...FIXTURE.payload };
    for (const [i, field] of g.replaced.entries()) payload[field] = values[i];
    for (const field of g.removed) delete payload[field];
    payload[`unknown_${g.mark}`] = g.mark;
    const wrapped = { object: payload, array: [payload], string: JSON.stringify(payload), missing: undefined }[
      g.wrapPayload
    ];
    // An unknown event name carrying the marker: it must not reach a log line either.
    const eventName = g.eventName === '(marked)' ? `api_mail_log_${g.mark} <!channel>` : g.eventName;
    return { mark: g.mark, body: { event_name: eventName, payload: wrapped } as unknown };
  });

/** Up to the depth a 64 KB body allows; kept as text too, since JSON.stringify itself overflows on such values. */
const deepNesting = fc.integer({ min: 1, max: 32_000 }).map((depth) => {
  const raw = `{"event_name":"api_mail_log_opened","payload":{"x":${'['.repeat(depth)}"deepmark0001"${']'.repeat(depth)}}}`;
  return { mark: 'deepmark0001', body: JSON.parse(raw) as unknown, raw };
});

describe('parsePauboxWebhook is total', () => {
  it('throws nothing but PayloadError, whose message never holds the input, for any JSON value', () => {
    let thrown = 0;
    // biome-ignore lint/nursery/noFloatingPromises: fc.assert of a synchronous property returns nothing
    fc.assert(
      fc.property(fc.oneof(fc.anything(), nearlyValid, deepNesting), (generated) => {
        const { body, mark } =
          typeof generated === 'object' && generated !== null && 'mark' in generated
            ? (generated as { body: unknown; mark: string })
            : { body: generated, mark: undefined };
        try {
          parsePauboxWebhook(body, new Date('2026-11-20T00:00:00Z'));
        } catch (error) {
          thrown++;
          expect(error).toBeInstanceOf(PayloadError);
          if (mark !== undefined)
            expect(`${(error as PayloadError).field} ${(error as Error).message}`).not.toContain(mark);
        }
      }),
      { numRuns: 3000, seed: SEED },
    );
    // The checks above ran: most generated values are not Paubox notifications.
    expect(thrown).toBeGreaterThan(500);
  });
});

describe('ingest never answers 5xx to a body', () => {
  const run = async (body: string, isBase64Encoded = false) => {
    const logger = captureLogger();
    const response = await handleWebhook(
      { token: TOKEN, body, isBase64Encoded, receivedAt: new Date() },
      { expectedTokens: async () => [TOKEN], publisher: { publish: async () => undefined }, logger },
    );
    return { response, text: JSON.stringify(response), logs: logger.text() };
  };

  it('answers 202 or 400 (413 when too large) to nearly valid and hostile JSON, echoing nothing from it', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearlyValid, deepNesting), async (generated) => {
        const { mark } = generated;
        const { response, text, logs } = await run('raw' in generated ? generated.raw : JSON.stringify(generated.body));
        expect([202, 400, 413]).toContain(response.statusCode);
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        expect(text).not.toContain(mark);
        expect(logs).not.toContain(mark);
      }),
      { numRuns: 1500, seed: SEED },
    );
    // Both accepted and refused bodies were generated, so both paths were checked for echoes (413 has its own test).
    expect(statuses.get(202)).toBeGreaterThan(10);
    expect(statuses.get(400)).toBeGreaterThan(100);
  });

  it('answers 400 or 413 to arbitrary bytes, raw or base64-encoded', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ body: s, b64: false })),
          fc.uint8Array({ maxLength: 300 }).map((a) => ({ body: Buffer.from(a).toString('base64'), b64: true })),
          fc.constantFrom(...HOSTILE_STRINGS).map((s) => ({ body: s, b64: false })),
          fc
            .integer({ min: MAX_BODY_BYTES - 10, max: MAX_BODY_BYTES * 2 })
            .map((n) => ({ body: `{"a":"${'x'.repeat(n)}"}`, b64: false })),
        ),
        async ({ body, b64 }) => {
          const { response } = await run(body, b64);
          expect([400, 413]).toContain(response.statusCode);
        },
      ),
      { numRuns: 1000, seed: SEED },
    );
  });
});
