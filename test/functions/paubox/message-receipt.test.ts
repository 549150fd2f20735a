import { cachedLookup, deliveryStatusOf } from '../../../functions/paubox/message-receipt';

const receipt = (...statuses: unknown[]) => ({
  data: {
    message: {
      message_deliveries: statuses.map((deliveryStatus) => ({ recipient: 'x@y.org', status: { deliveryStatus } })),
    },
  },
});

describe('deliveryStatusOf', () => {
  it('reads the distinct delivery statuses, and nothing else', () => {
    expect(deliveryStatusOf(receipt('soft bounced - mailbox full'))).toBe('soft bounced - mailbox full');
    expect(deliveryStatusOf(receipt('hard bounced', 'delivered', 'hard bounced'))).toBe('hard bounced, delivered');
  });

  it('leaves out what could be an address, and answers nothing for other shapes', () => {
    expect(deliveryStatusOf(receipt('bounced for jordan@patients.example.org'))).toBeUndefined();
    for (const odd of [null, 'x', {}, { data: { message: {} } }, receipt(42, '', null)]) {
      expect(deliveryStatusOf(odd)).toBeUndefined();
    }
  });
});

describe('cachedLookup', () => {
  it('asks once per id, failures included, until the entry is old or pushed out', async () => {
    let now = 0;
    const asked: string[] = [];
    const lookup = cachedLookup(
      async (id) => {
        asked.push(id);
        if (id === 'bad') throw new Error('down');
        return `status of ${id}`;
      },
      { maxEntries: 2, maxAgeMs: 1000, now: () => now },
    );
    expect(await lookup('a')).toBe('status of a');
    expect(await lookup('a')).toBe('status of a');
    await expect(lookup('bad')).rejects.toThrow('down');
    await expect(lookup('bad')).rejects.toThrow('down');
    expect(asked).toEqual(['a', 'bad']);
    await lookup('c'); // pushes 'a' out
    await lookup('a');
    now = 2000;
    await lookup('a');
    expect(asked).toEqual(['a', 'bad', 'c', 'a', 'a']);
  });
});
