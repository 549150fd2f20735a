/**
 * Property tests of what a signed Slack request is read as: whatever the payload, the click parser never throws,
 * gives only ids of Slack's shapes (nothing that could form a mention or a link when written back), and a button
 * value the relay did not encode is never decoded into an action.
 */
import * as fc from 'fast-check';
import { decodeSlackAction, encodeSlackAction, SLACK_ACTION_IDS } from '../../functions/chat';
import { parseSlackClick } from '../../functions/interactivity';
import { HOSTILE_STRINGS } from '../support/events';

const SEED = Number(process.env.FC_SEED ?? 20261208);
const text = fc.oneof(fc.string(), fc.constantFrom(...HOSTILE_STRINGS), fc.constantFrom('U0PERSON1', 'C0FAKECHAN1'));
const form = (payload: unknown) => Buffer.from(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());

/** Mostly `good`, sometimes anything: enough payloads are clicks for the property to say something. */
const mostly = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: good, weight: 5 }, { arbitrary: fc.anything() as fc.Arbitrary<unknown>, weight: 1 });
const id = (valid: string) => fc.oneof({ arbitrary: fc.constant(valid), weight: 3 }, { arbitrary: text, weight: 1 });

/** A block_actions payload whose fields are mostly well-formed and sometimes anything at all. */
const payload = fc.record({
  type: fc.constantFrom('block_actions', 'block_actions', 'view_submission'),
  user: mostly(fc.record({ id: id('U0PERSON1') })),
  team: mostly(fc.record({ id: id('T0FAKE') })),
  container: mostly(fc.record({ channel_id: id('C0FAKECHAN1'), message_ts: id('1700000000.000100') })),
  channel: mostly(fc.record({ id: text })),
  message: mostly(fc.record({ ts: text, blocks: fc.anything() })),
  actions: mostly(fc.array(fc.record({ action_id: text, value: text }), { minLength: 1, maxLength: 1 })),
});

describe('a signed Slack request, read', () => {
  it('never throws, and a click holds only ids of the shapes Slack gives', () => {
    let clicks = 0;
    // biome-ignore lint/nursery/noFloatingPromises: fc.assert of a synchronous property returns nothing
    fc.assert(
      fc.property(fc.oneof(payload, fc.anything()), (p) => {
        const click = parseSlackClick(form(p));
        if (click === undefined) return true;
        clicks += 1;
        return (
          /^[UW][A-Z0-9]{2,20}$/.test(click.userId) &&
          /^[CGD][A-Z0-9]{2,20}$/.test(click.channelId) &&
          /^\d{1,12}\.\d{1,8}$/.test(click.messageTs) &&
          (click.teamId === undefined || /^[TE][A-Z0-9]{2,20}$/.test(click.teamId))
        );
      }),
      { seed: SEED, numRuns: 500 },
    );
    // Not vacuous: some payloads were read as clicks.
    expect(clicks).toBeGreaterThan(5);
    expect(parseSlackClick(Buffer.from('payload=%E0%A4%A'))).toBeUndefined();
    expect(parseSlackClick(Buffer.from('not a form at all'))).toBeUndefined();
  });

  it("decodes only what the relay encodes: any other value of the relay's own button ids is refused", () => {
    let decoded = 0;
    const fields = fc.record(
      {
        m: fc.oneof(text, fc.anything()),
        f: fc.oneof(fc.constant('r-0123abcd'), text),
        d: fc.oneof(fc.constant('a.example'), text),
        s: fc.oneof(fc.constant('s-0123abcd'), text),
      },
      { requiredKeys: [] },
    );
    // biome-ignore lint/nursery/noFloatingPromises: fc.assert of a synchronous property returns nothing
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(SLACK_ACTION_IDS)),
        fc.oneof(
          text,
          fc.json(),
          fields.map((f) => JSON.stringify(f)),
        ),
        (id, value) => {
          const action = decodeSlackAction(id, value);
          if (action !== undefined) decoded += 1;
          // Whatever was decoded encodes back to a value that decodes to the same action: nothing beyond the codec.
          return (
            action === undefined ||
            JSON.stringify(decodeSlackAction(id, encodeSlackAction(action))) === JSON.stringify(action)
          );
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
    expect(decoded).toBeGreaterThan(50);
  });
});
