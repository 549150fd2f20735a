import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const fixture = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'paubox', 'permanent_failure.json'), 'utf8'),
) as {
  event_name: string;
  payload: Record<string, unknown>;
};

/**
 * The body of the i-th bounce of a storm, as Paubox would post it: the permanent-failure fixture with its own
 * id, Message-ID, tracking id, recipient and time, so that every i is a distinct event.
 */
export function stormWebhook(i: number, senderDomain = 'mail.clinic.example.com', temporary = false): string {
  return JSON.stringify({
    event_name: temporary ? 'api_mail_log_temporary_failure' : fixture.event_name,
    payload: {
      ...fixture.payload,
      id: 7_300_000_000 + i,
      header_message_id: `<storm-${i}@${senderDomain}>`,
      source_tracking_id: `c0ffee00-1234-4abc-8def-${String(i).padStart(12, '0')}`,
      from: `appointments@${senderDomain}`,
      to: `patient${i}@patients.example.org`,
      time: new Date(Date.parse('2026-11-20T14:00:00Z') + i * 10).toISOString(),
    },
  });
}
