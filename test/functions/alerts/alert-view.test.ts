import { createHmac } from 'node:crypto';
import { recipientFingerprint, toAlertView } from '../../../functions/alerts/alert-view';
import { TEST_TITLE, TEST_TYPE_LABEL } from '../../../functions/alerts/event-labels';
import { fixtureEvent } from '../../support/events';

const KEY = 'test-fingerprint-key';
const event = fixtureEvent('permanent_failure');
const view = (detail: 'minimal' | 'recipient' | 'full') =>
  toAlertView(event, { destination: 'ops', detail, fingerprintKey: KEY });

describe('toAlertView', () => {
  it('at minimal, holds no recipient address, subject or custom header, but a fingerprint per recipient', () => {
    const minimal = view('minimal');
    expect(minimal).not.toHaveProperty('recipients');
    expect(minimal).not.toHaveProperty('subject');
    expect(minimal).not.toHaveProperty('customHeaders');
    expect(JSON.stringify(minimal)).not.toContain('jordan.lee');
    expect(JSON.stringify(minimal)).not.toContain('Your appointment');
    expect(minimal).toMatchObject({
      type: 'permanent_failure',
      title: 'Message failed to send',
      typeLabel: 'Permanent failure (hard bounce)',
      sender: 'appointments@mail.clinic.example.com',
      recipientDomains: ['patients.example.org'],
      recipientFingerprints: [recipientFingerprint('jordan.lee@patients.example.org', KEY)],
      pauboxId: '7300000101',
      key: event.key,
      destination: 'ops',
      detail: 'minimal',
    });
  });

  it('adds the recipients at recipient, and the subject and custom headers only at full', () => {
    expect(view('recipient').recipients).toEqual(['jordan.lee@patients.example.org']);
    expect(view('recipient')).not.toHaveProperty('subject');
    expect(view('full')).toMatchObject({
      recipients: ['jordan.lee@patients.example.org'],
      subject: 'Your appointment on Tuesday',
      customHeaders: { 'X-Clinic-Location': 'north' },
    });
  });

  it('titles a test event as a test, so nobody takes it for a failed message', () => {
    const test = toAlertView({ ...event, test: true }, { destination: 'ops', detail: 'minimal', fingerprintKey: KEY });
    expect(test).toMatchObject({ title: TEST_TITLE, typeLabel: TEST_TYPE_LABEL });
  });
});

describe('recipientFingerprint', () => {
  it('is r- and the first 40 bits of the keyed HMAC of the lower-cased, trimmed address', () => {
    const expected = `r-${createHmac('sha256', KEY).update('jordan.lee@patients.example.org').digest('hex').slice(0, 10)}`;
    expect(recipientFingerprint(' Jordan.Lee@Patients.Example.org ', KEY)).toBe(expected);
    expect(recipientFingerprint('jordan.lee@patients.example.org', 'another-key')).not.toBe(expected);
  });
});
