/**
 * Property test: addresses written as RFC 5322 allows (display names plain or quoted, comments nested or not,
 * quoted local parts, angle brackets, groups, lists separated by `,` or `;`) all parse, to exactly their addr-specs,
 * in order, each with its lower-case domain.
 */
import * as fc from 'fast-check';
import { parseAddressList } from '../../functions/paubox';

const SEED = Number(process.env.FC_SEED ?? 20261120);

const chars = (alphabet: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((c) => c.join(''));
const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ATEXT = `${ALPHA}!#$%&'*+-/=?^_\`{|}~`;
/** Printable ASCII but `"` and `\`: what a quoted string holds as is (space, `@`, `,`, `;`, `<`, `(` included). */
const QTEXT = " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
const CTEXT = QTEXT.replace(/[()]/g, '"');

const atom = chars(ATEXT, 1, 8);
const quotedPair = fc.constantFrom('\\"', '\\\\');
const quoted = fc
  .array(fc.oneof({ weight: 4, arbitrary: chars(QTEXT, 1, 6) }, quotedPair), { minLength: 1, maxLength: 4 })
  .map((parts) => `"${parts.join('')}"`);
const localPart = fc.oneof(
  fc.array(atom, { minLength: 1, maxLength: 3 }).map((a) => a.join('.')),
  quoted,
);
const label = fc.tuple(chars(ALPHA, 1, 1), chars(`${ALPHA}-_`, 0, 8), chars(ALPHA, 0, 1)).map(([a, b, c]) => a + b + c);
const domain = fc.record({
  labels: fc.array(label, { minLength: 1, maxLength: 4 }),
  trailingDot: fc.boolean(),
});

/** `(…)`, maybe holding a nested comment. */
const comment: fc.Arbitrary<string> = fc
  .tuple(chars(CTEXT, 0, 8), fc.option(chars(CTEXT, 0, 5), { nil: undefined }), chars(CTEXT, 0, 4))
  .map(([a, nested, b]) => `(${a}${nested === undefined ? '' : `(${nested})`}${b})`);
const maybe = (arbitrary: fc.Arbitrary<string>) => fc.option(arbitrary, { nil: '' });
const displayName = fc.oneof(
  fc.array(atom, { minLength: 1, maxLength: 3 }).map((a) => a.join(' ')),
  quoted,
);

interface Mailbox {
  readonly text: string;
  readonly address: string;
  readonly domain: string;
}

const mailbox: fc.Arbitrary<Mailbox> = fc
  .record({
    local: localPart,
    domain,
    angled: fc.boolean(),
    name: maybe(displayName),
    before: maybe(comment),
    after: maybe(comment),
  })
  .map(({ local, domain: d, angled, name, before, after }) => {
    const host = d.labels.join('.');
    const spec = `${local}@${host}${d.trailingDot ? '.' : ''}`;
    const text = angled ? `${name} ${before} <${spec}> ${after}` : `${before} ${spec} ${after}`;
    return { text: text.trim(), address: `${local}@${host}`, domain: host.toLowerCase() };
  });

const list = fc.record({
  mailboxes: fc.array(mailbox, { minLength: 1, maxLength: 4 }),
  separator: fc.constantFrom(', ', ',', '; ', ';', ' ,\t'),
  group: maybe(fc.array(atom, { minLength: 1, maxLength: 2 }).map((a) => a.join(' '))),
});

describe('RFC 5322 address lists', () => {
  it('parse to exactly their addr-specs and lower-case domains', () => {
    // biome-ignore lint/nursery/noFloatingPromises: fc.assert of a synchronous property returns nothing
    fc.assert(
      fc.property(list, ({ mailboxes, separator, group }) => {
        const joined = mailboxes.map((m) => m.text).join(separator);
        const text = group === '' ? joined : `${group}: ${joined};`;
        expect(parseAddressList(text)).toEqual(mailboxes.map(({ address, domain: d }) => ({ address, domain: d })));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
