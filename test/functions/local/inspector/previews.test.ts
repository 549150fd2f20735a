import { toAlertView } from '../../../../functions/alerts';
import { renderSlackView, renderTeamsView } from '../../../../functions/chat';
import {
  alertPreview,
  displayDetailOf,
  eventFacts,
  HIDDEN,
  maskAbove,
} from '../../../../functions/local/inspector/previews';
import { fixtureEvent } from '../../../support/events';

const KEY = 'preview-fingerprint-key';
const event = fixtureEvent('permanent_failure');
const RECIPIENT = 'jordan.lee@patients.example.org';
const SUBJECT = 'Your appointment on Tuesday';

describe('displayDetailOf', () => {
  it('is the most detailed level of any destination, minimal when there is none', () => {
    expect(displayDetailOf([])).toBe('minimal');
    expect(displayDetailOf([{ detail: 'minimal' }, { detail: 'recipient' }])).toBe('recipient');
    expect(displayDetailOf([{ detail: 'full' }, { detail: 'minimal' }])).toBe('full');
  });
});

describe('alertPreview', () => {
  it('is byte for byte the body the sender posts, at or below the display level', () => {
    for (const [kind, render] of [
      ['slack', renderSlackView],
      ['teams', renderTeamsView],
    ] as const) {
      const { body, masked } = alertPreview(event, {
        destination: 'ops',
        kind,
        detail: 'recipient',
        cap: 'full',
        fingerprintKey: KEY,
      });
      expect(masked).toBe(false);
      expect(JSON.stringify(body.body)).toBe(
        JSON.stringify(render(toAlertView(event, { destination: 'ops', detail: 'recipient', fingerprintKey: KEY }))),
      );
    }
  });

  it('shows the layout of a more detailed level without what no destination may see', () => {
    const { body, masked } = alertPreview(event, {
      destination: 'ops',
      kind: 'slack',
      detail: 'full',
      cap: 'minimal',
      fingerprintKey: KEY,
    });
    const text = JSON.stringify(body);
    expect(masked).toBe(true);
    expect(text).not.toContain(RECIPIENT);
    expect(text).not.toContain(SUBJECT);
    expect(text).not.toContain('X-Clinic-Location');
    expect(text).not.toContain('north');
    expect(text).toContain(HIDDEN);
    expect(text).toContain('patients.example.org');

    const recipientCap = JSON.stringify(
      alertPreview(event, { destination: 'ops', kind: 'teams', detail: 'full', cap: 'recipient', fingerprintKey: KEY })
        .body,
    );
    expect(recipientCap).toContain(RECIPIENT);
    expect(recipientCap).not.toContain(SUBJECT);
  });

  it('renders console destinations as their terminal lines', () => {
    const { body } = alertPreview(event, {
      destination: 'term',
      kind: 'console',
      detail: 'minimal',
      cap: 'minimal',
      fingerprintKey: KEY,
    });
    expect(body.kind).toBe('console');
    expect(body.body).toContain('Message failed to send → term');
  });
});

describe('maskAbove', () => {
  it('leaves a view at or below the cap as it is', () => {
    const view = toAlertView(event, { destination: 'ops', detail: 'recipient', fingerprintKey: KEY });
    expect(maskAbove(view, 'recipient')).toEqual({ view, masked: false });
  });
});

describe('eventFacts', () => {
  it('holds what the display level allows and nothing more', () => {
    const minimal = eventFacts(event, 'minimal', KEY);
    expect(minimal.map((f) => f.label)).toEqual(expect.arrayContaining(['Event', 'Sender', 'Recipient domain']));
    expect(JSON.stringify(minimal)).not.toContain(RECIPIENT);
    expect(JSON.stringify(eventFacts(event, 'recipient', KEY))).toContain(RECIPIENT);
    expect(JSON.stringify(eventFacts(event, 'recipient', KEY))).not.toContain(SUBJECT);
    expect(JSON.stringify(eventFacts(event, 'full', KEY))).toContain(SUBJECT);
  });
});
