import { fixtureEvent } from '../../support/events';
import {
  hiddenCounts,
  isActive,
  type Silence,
  silenceEndNotice,
  silenceProblems,
  silences,
} from '../../../functions/sending/silence';

const event = {
  ...fixtureEvent('temporary_failure'),
  senderDomain: 'mail.clinic.example.com',
  recipientDomains: ['mx.patients.example.org'],
};
const none = () => [];

describe('silence matching', () => {
  it('matches every field given, domains with their subdomains', () => {
    expect(silences({ event: 'temporary_failure' }, event, none)).toBe(true);
    expect(silences({ event: 'permanent_failure' }, event, none)).toBe(false);
    expect(silences({ senderDomain: 'clinic.example.com' }, event, none)).toBe(true);
    expect(silences({ senderDomain: 'other.example.com' }, event, none)).toBe(false);
    expect(silences({ recipientDomain: 'patients.example.org' }, event, none)).toBe(true);
    expect(silences({ recipientDomain: 'example.org.evil' }, event, none)).toBe(false);
    expect(silences({ event: 'temporary_failure', recipientDomain: 'elsewhere.example' }, event, none)).toBe(false);
  });

  it('asks for fingerprints only when the silence names one', () => {
    const fingerprints = jest.fn(() => ['r-0011aabb']);
    expect(silences({ event: 'temporary_failure' }, event, fingerprints)).toBe(true);
    expect(fingerprints).not.toHaveBeenCalled();
    expect(silences({ fingerprint: 'r-0011aabb' }, event, fingerprints)).toBe(true);
    expect(silences({ fingerprint: 'r-99999999' }, event, fingerprints)).toBe(false);
  });

  it('refuses a silence that would match everything, one without a reason, and one of more than 30 days', () => {
    expect(silenceProblems({}, 'x', 3_600_000)).toHaveLength(1);
    expect(silenceProblems({ event: 'opened' }, ' ', 3_600_000)).toHaveLength(1);
    expect(silenceProblems({ event: 'opened' }, 'x', 31 * 86_400_000)).toHaveLength(1);
    expect(silenceProblems({ senderDomain: 'Not A Domain' }, 'x', 1)).toHaveLength(1);
  });
});

describe('a silence ending', () => {
  const silence: Silence = {
    id: 's-0123abcd',
    match: { event: 'temporary_failure' },
    reason: 'known outage',
    createdAt: '2026-12-01T00:00:00.000Z',
    endsAt: '2026-12-01T04:00:00.000Z',
    hidden: { ops: { 'temporary_failure a.example': 3, 'temporary_failure b.example': 0 }, audit: {} },
  };

  it('holds until its end, or until ended early', () => {
    expect(isActive(silence, Date.parse('2026-12-01T03:59:59.999Z'))).toBe(true);
    expect(isActive(silence, Date.parse('2026-12-01T04:00:00.000Z'))).toBe(false);
    expect(isActive({ ...silence, endedAt: '2026-12-01T01:00:00.000Z' }, Date.parse('2026-12-01T00:30:00Z'))).toBe(
      false,
    );
  });

  it('tells only the destinations where it hid something, with counts by type and domain', () => {
    expect(hiddenCounts(silence.hidden.ops)).toEqual([{ type: 'temporary_failure', domain: 'a.example', count: 3 }]);
    expect(silenceEndNotice(silence, 'audit')).toBeUndefined();
    const notice = silenceEndNotice(silence, 'ops')!;
    expect(notice.endedAt).toBe(silence.endsAt);
    expect(notice.key).not.toBe(
      silenceEndNotice({ ...silence, hidden: { other: { 'opened x.example': 1 } } }, 'other')!.key,
    );
  });
});
