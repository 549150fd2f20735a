import type { RelayEvent, EventType } from '../../functions/paubox';

/** A made-up event for archive and report tests: no real address, every field chosen by the test. */
export function archiveEvent(
  n: number,
  type: EventType,
  time: string,
  options: { sender?: string; recipients?: string[]; headers?: Record<string, string>; subject?: string } = {},
): RelayEvent {
  const sender = options.sender ?? 'reminders@mail.clinic.example.com';
  const recipients = options.recipients ?? [`patient${n}@patients.example.org`];
  return {
    key: `k-${n}`,
    type,
    time,
    pauboxId: String(1000 + n),
    messageId: `<m-${n}@mail.clinic.example.com>`,
    sender,
    senderDomain: sender.slice(sender.indexOf('@') + 1),
    recipients,
    recipientDomains: [...new Set(recipients.map((r) => r.slice(r.indexOf('@') + 1)))],
    subject: options.subject ?? `Appointment reminder ${n}`,
    customHeaders: options.headers ?? {},
  };
}
