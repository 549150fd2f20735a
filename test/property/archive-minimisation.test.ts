/**
 * Property test: whatever a webhook holds, an archived line (and so an automation event) keeps no more than its
 * level: at minimal no recipient local part, subject or header value; at recipient no subject or header value.
 */
import * as fc from 'fast-check';
import { toArchiveRecord } from '../../functions/archive';
import type { DetailLevel } from '../../functions/config';
import { parsePauboxWebhook } from '../../functions/paubox';

const SEED = Number(process.env.FC_SEED ?? 20261120);
const marker = (prefix: string) => fc.stringMatching(/^[a-z0-9]{12}$/).map((s) => `${prefix}${s}`);

const generated = fc.record({
  type: fc.constantFrom('delivered', 'opened', 'temporary_failure', 'permanent_failure'),
  locals: fc.array(marker('rcpt'), { minLength: 1, maxLength: 5 }),
  subject: marker('subj'),
  headers: fc.array(fc.tuple(marker('name'), marker('hdr')), { maxLength: 5 }),
});

describe('archive lines never hold more than their level', () => {
  it.each(['minimal', 'recipient', 'full'] as DetailLevel[])('at %s', (detail) => {
    // biome-ignore lint/nursery/noFloatingPromises: fc.assert of a synchronous property returns nothing
    fc.assert(
      fc.property(generated, (g) => {
        const parsed = parsePauboxWebhook({
          event_name: `api_mail_log_${g.type}`,
          payload: {
            id: 1,
            from: 'reminders@mail.clinic.example.com',
            to: g.locals.map((l) => `${l}@patients.example.org`).join(','),
            subject: g.subject,
            custom_headers: Object.fromEntries(g.headers),
            time: '2026-11-20T14:03:11.482Z',
          },
        });
        if (parsed.kind !== 'event') throw new Error('generated webhook was ignored');
        const line = JSON.stringify(toArchiveRecord(parsed.event, { detail, fingerprintKey: 'k' }, new Date()));
        const hidden = [
          ...(detail === 'minimal' ? g.locals : []),
          ...(detail !== 'full' ? [g.subject, ...g.headers.flat()] : []),
        ];
        const shown = [
          ...(detail !== 'minimal' ? g.locals : []),
          ...(detail === 'full' ? [g.subject, ...g.headers.flat()] : []),
        ];
        return hidden.every((h) => !line.includes(h)) && shown.every((s) => line.includes(s));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
