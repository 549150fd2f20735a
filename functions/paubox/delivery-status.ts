/**
 * The `deliveryStatus` texts Paubox's message-receipt API is documented to give, longest first so that the longer
 * of two phrases sharing a start wins. At `minimal` detail only these are shown: a status is free text from the
 * receipt, which also holds the recipient and the subject, and no filter for addresses catches every spelling.
 */
const KNOWN_STATUSES = [
  'TLS not offered, sending via Secure Portal',
  'Internal error. Please check back later.',
  'soft bounced - mailbox full',
  'delivered via secure portal',
  'hard bounced',
  'soft bounced',
  'processing',
  'delivered',
  'deferred',
] as const;

export const STATUS_NOT_SHOWN = 'Paubox gave a status not shown at this detail';

/**
 * What `minimal` detail shows of a status (the distinct statuses of a receipt, joined with ", "): each one that
 * begins with a known phrase as that phrase, anything after it dropped; any other status only as "not shown".
 */
export function minimalDeliveryStatus(status: string): string {
  const pieces = status.split(', ');
  const shown: string[] = [];
  let hidden = false;
  for (let i = 0; i < pieces.length; ) {
    const rest = pieces.slice(i).join(', ').trimStart().toLowerCase();
    const phrase = KNOWN_STATUSES.find((known) => rest.startsWith(known.toLowerCase()));
    if (phrase === undefined) {
      hidden = true;
      i += 1;
      continue;
    }
    if (!shown.includes(phrase)) shown.push(phrase);
    i += phrase.split(', ').length;
  }
  if (shown.length === 0) return STATUS_NOT_SHOWN;
  return hidden ? `${shown.join(', ')} (and a status not shown at this detail)` : shown.join(', ');
}
