import { durablePublisher } from '../../../functions/ingest/event-publisher';
import type { RelayEvent } from '../../../functions/paubox/relay-event';
import { captureLogger } from '../../support/capture-logger';

describe('durablePublisher', () => {
  const event = {} as RelayEvent;
  const attributes = { event_type: 'permanent_failure', sender_domain: 'x.example' };

  it('keeps the event in the fallback when the topic refuses it, and counts it', async () => {
    const kept: RelayEvent[] = [];
    const metrics: string[] = [];
    const publisher = durablePublisher(
      { publish: async () => Promise.reject(new Error('down')) },
      { publish: async (e) => void kept.push(e) },
      captureLogger(),
      (name, value) => metrics.push(`${name}=${value}`),
    );
    await publisher.publish(event, attributes);
    expect(kept).toEqual([event]);
    expect(metrics).toEqual(['FallbackUsed=1']);
  });

  it('rejects only when neither kept the event', async () => {
    const down = { publish: async () => Promise.reject(new Error('down')) };
    await expect(durablePublisher(down, down, captureLogger()).publish(event, attributes)).rejects.toThrow('down');
  });
});
