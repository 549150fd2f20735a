import { minimalDeliveryStatus, STATUS_NOT_SHOWN } from '../../../functions/paubox/delivery-status';

describe('the delivery status shown at minimal detail', () => {
  it.each([
    ['soft bounced - mailbox full', 'soft bounced - mailbox full'],
    ['Soft Bounced', 'soft bounced'],
    ['TLS not offered, sending via Secure Portal', 'TLS not offered, sending via Secure Portal'],
    ['delivered, hard bounced', 'delivered, hard bounced'],
    ['hard bounced - jane.doe said no', 'hard bounced'],
    ['delivered, jane.doe', 'delivered (and a status not shown at this detail)'],
    ['jane.doe', STATUS_NOT_SHOWN],
    ['jane at clinic dot org', STATUS_NOT_SHOWN],
    ['', STATUS_NOT_SHOWN],
  ])('%j → %j', (status, shown) => {
    expect(minimalDeliveryStatus(status)).toBe(shown);
  });
});
