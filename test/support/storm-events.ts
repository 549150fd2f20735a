import { createHash } from 'node:crypto';
import type { EventType, RelayEvent } from '../../functions/paubox';
import { fixtureEvent, HOSTILE_STRINGS } from './events';

export interface StormEventOptions {
  /** Sender domains to spread the events over. @default ['mail.clinic.example.com'] */
  readonly senderDomains?: readonly string[];
  /** Recipient domains to spread the events over. @default three */
  readonly recipientDomains?: readonly string[];
  /** Share of temporary failures; the rest are permanent. @default 0.2 */
  readonly temporaryShare?: number;
  /** Time of the first event (ms); each next one `spacingMs` later. */
  readonly start?: number;
  readonly spacingMs?: number;
  /** Distinguishes the keys of two storms with the same shape. @default 'storm' */
  readonly seed?: string;
}

const hex = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * `count` failure events as a bounce storm produces them: distinct keys, recipients and Message-IDs, deterministic.
 * Event `i` is a temporary failure when `i * temporaryShare` crosses a whole number, so the shares are exact.
 */
export function stormEvents(count: number, options: StormEventOptions = {}): RelayEvent[] {
  const base = fixtureEvent('permanent_failure');
  const senderDomains = options.senderDomains ?? ['mail.clinic.example.com'];
  const recipientDomains = options.recipientDomains ?? [
    'patients.example.org',
    'mail.example.net',
    'health.example.com',
  ];
  const share = options.temporaryShare ?? 0.2;
  const start = options.start ?? Date.parse('2026-11-20T14:00:00.000Z');
  const spacing = options.spacingMs ?? 6;
  const seed = options.seed ?? 'storm';
  return Array.from({ length: count }, (_, i): RelayEvent => {
    const senderDomain = senderDomains[i % senderDomains.length]!;
    const recipientDomain = recipientDomains[i % recipientDomains.length]!;
    const type: EventType =
      Math.floor((i + 1) * share) > Math.floor(i * share) ? 'temporary_failure' : 'permanent_failure';
    const recipient = `patient${i}@${recipientDomain}`;
    return {
      ...base,
      key: hex(`${seed}-${i}`),
      type,
      time: new Date(start + i * spacing).toISOString(),
      pauboxId: String(100_000 + i),
      messageId: `<m${i}.${hex(seed).slice(0, 8)}@${senderDomain}>`,
      sender: `appointments@${senderDomain}`,
      senderDomain,
      recipients: [recipient],
      recipientDomains: [recipientDomain],
      subject: `Your lab results ${i}`,
      customHeaders: { 'X-Patient-Ref': `P-${i}` },
    };
  });
}

/**
 * `count` events in which every untrusted field is long and hostile, and different in every event, so that each
 * list of a digest is as long as it can be.
 */
export function hostileStormEvents(count: number): RelayEvent[] {
  const hostile = HOSTILE_STRINGS.join(' ');
  const long = (i: number, n: number): string => `${i} ${hostile} ${'\\'.repeat(n)}`;
  return stormEvents(count).map((event, i) => ({
    ...event,
    time: i % 2 === 0 ? event.time : `${long(i, 50)}`,
    sender: `${long(i, 3000)}@<!channel>.example`,
    senderDomain: `${i % 3}-${long(i, 3000)}`,
    recipients: [`${long(i, 500)}@<!here>.example`, `b${i}@x.example`],
    recipientDomains: [`${long(i, 3000)}.example`, `${i}.<!everyone>.example`],
    messageId: `<${long(i, 5000)}>`,
    subject: long(i, 5000),
    customHeaders: { [long(i, 100)]: long(i, 1000) },
  }));
}
