import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimulatedClock } from '../../bench/simulated-clock';

/* The storm benchmark's figures are only as good as its clock: check that it keeps time as a real one would. */

describe('SimulatedClock', () => {
  it('wakes sleepers in time order, each at its own time, without waiting in real time', async () => {
    const clock = new SimulatedClock(1000);
    const woke: [string, number][] = [];
    const sleeper = async (name: string, ms: number) => {
      await clock.sleep(ms);
      woke.push([name, clock.now()]);
    };
    const started = Date.now();
    await clock.run(Promise.all([sleeper('late', 3_600_000), sleeper('early', 500), sleeper('zero', 0)]));
    expect(woke).toEqual([
      ['zero', 1000],
      ['early', 1500],
      ['late', 3_601_000],
    ]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stands still while tracked real I/O is under way, so a request and its answer share one instant', async () => {
    const clock = new SimulatedClock(0);
    const seen: number[] = [];
    const server = createServer((_, res) => {
      seen.push(clock.now());
      setTimeout(() => res.end('ok'), 50);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      // A timer due meanwhile must not fire while the request is in flight.
      const ticker = clock.sleep(10).then(() => clock.now());
      const request = clock.track(async () => {
        const response = await fetch(url);
        await response.text();
        return clock.now();
      });
      const [answeredAt, tickedAt] = await clock.run(Promise.all([request, ticker]));
      expect(seen).toEqual([0]);
      expect(answeredAt).toBe(0);
      expect(tickedAt).toBe(10);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('reports a run that can never finish', async () => {
    const clock = new SimulatedClock(0);
    await expect(clock.run(new Promise(() => undefined))).rejects.toThrow('simulation stalled');
  });
});
