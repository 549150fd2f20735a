import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type EventExtras,
  recipientFingerprint,
  toAlertView,
  type ChatView,
  toDigestView,
} from '../../functions/alerts';
import { DETAIL_LEVELS, type DetailLevel } from '../../functions/config';
import { parsePauboxWebhook, type RelayEvent } from '../../functions/paubox';
import { sendingSamples } from './sending-samples';

/** The alerts the pictures show: every kind, at every detail level, built from the documented fixtures. */

export const FINGERPRINT_KEY = 'render-alerts-example-key';

export function fixture(name: string): RelayEvent {
  const path = join(__dirname, '..', '..', 'test', 'fixtures', 'paubox', `${name}.json`);
  const result = parsePauboxWebhook(JSON.parse(readFileSync(path, 'utf8')));
  if (result.kind !== 'event') throw new Error(`fixture ${name} is not an event`);
  return result.event;
}

function countsFor(event: RelayEvent, count: number): EventExtras['failureCounts'] {
  return new Map(event.recipients.map((r) => [recipientFingerprint(r, FINGERPRINT_KEY), count]));
}

/** A bounce storm of one clinic: 40 hard and 12 soft bounces over four minutes, a few recipients twice. */
function storm(): { events: RelayEvent[]; extras: Map<string, EventExtras> } {
  const base = fixture('permanent_failure');
  const domains = ['patients.example.org', 'mail.example.net', 'health.example.com'];
  const events: RelayEvent[] = [];
  const extras = new Map<string, EventExtras>();
  for (let i = 0; i < 52; i++) {
    // The last five are second failures of the first five recipients.
    const domain = domains[(i % 47) % 3]!;
    const recipient = `patient${i % 47}@${domain}`;
    const event: RelayEvent = {
      ...base,
      key: `${i.toString(16).padStart(4, '0')}${base.key.slice(4)}`,
      type: i % 4 === 3 ? 'temporary_failure' : 'permanent_failure',
      time: new Date(Date.parse(base.time) + i * 4700).toISOString(),
      recipients: [recipient],
      recipientDomains: [domain],
      messageId: `<${i.toString(16).padStart(8, '0')}-5b1e-4c2d@mail.clinic.example.com>`,
    };
    events.push(event);
    extras.set(event.key, { failureCounts: countsFor(event, i >= 47 ? 2 : 1) });
  }
  return { events, extras };
}

export interface Sample {
  /** File name without extension, e.g. `single-permanent-failure-minimal`. */
  readonly name: string;
  readonly view: ChatView;
}

export function samples(): Sample[] {
  const hard = fixture('permanent_failure');
  const soft = fixture('temporary_failure');
  const delivered = fixture('delivered');
  const { events, extras } = storm();
  const perLevel = DETAIL_LEVELS.flatMap((detail: DetailLevel): Sample[] => {
    const options = { destination: 'clinic-ops', detail, fingerprintKey: FINGERPRINT_KEY, timeZone: 'UTC' };
    return [
      {
        name: `single-permanent-failure-${detail}`,
        view: toAlertView(hard, options, { deliveryStatus: 'hard bounced', failureCounts: countsFor(hard, 3) }),
      },
      {
        name: `single-temporary-failure-${detail}`,
        view: toAlertView(soft, options, {
          deliveryStatus: 'soft bounced - mailbox full',
          failureCounts: countsFor(soft, 2),
        }),
      },
      { name: `single-delivered-${detail}`, view: toAlertView(delivered, options) },
      { name: `digest-failures-${detail}`, view: toDigestView(events, options, (e) => extras.get(e.key)) },
    ];
  });
  return [...perLevel, ...sendingSamples()];
}
