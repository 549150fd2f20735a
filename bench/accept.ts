import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postWebhooks } from '../test/support/post-webhooks';
import { startBareAcceptServer } from './bare/accept-server';
import { BenchError } from './processes';
import { median } from './stats';
import { medianStorm, stormBodies, stormFigure, warmUpBodies, type StormFigure } from './storm-figure';

/*
 * The accept figure and its baseline: the local relay's storm (which also gives the accept rate) beside a bare
 * server that appends and fsyncs each body, group-committed, fed the same webhooks at the same concurrency, in
 * turn, so that whatever else loads the machine falls on both.
 */

export const STORM_EVENTS = 2000;
export const STORM_CONCURRENCY = 100;

export interface BareAccept {
  /** Webhooks answered 202 per second, from the first sent to the last answered: the median run. */
  readonly acceptedPerSecond: number;
  readonly runs: readonly number[];
}

export interface AcceptFigures {
  readonly storm: StormFigure;
  readonly bare: BareAccept;
  /** The relay's median accept rate over the bare server's. */
  readonly ratio: number;
}

/** One run of the bare server: warmed up as the relay is, then the storm's webhooks. */
async function bareAcceptRun(events: number, concurrency: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bare-accept-'));
  const server = await startBareAcceptServer(dir);
  try {
    await postWebhooks(server.url, warmUpBodies(), concurrency);
    const bodies = stormBodies(events);
    const started = Date.now();
    const statuses = await postWebhooks(server.url, bodies, concurrency);
    const answeredAt = Date.now();
    const refused = statuses.filter((s) => s !== 202).length;
    if (refused > 0) throw new BenchError(`the bare accept server answered ${refused} webhooks with other than 202`);
    return events / Math.max(0.001, (answeredAt - started) / 1000);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureAccept(runs = 3): Promise<AcceptFigures> {
  const storms: StormFigure[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await bareAcceptRun(STORM_EVENTS, STORM_CONCURRENCY));
    storms.push(await stormFigure(STORM_EVENTS, STORM_CONCURRENCY));
  }
  const storm = medianStorm(storms);
  const bareMedian = median(bare);
  return {
    storm,
    bare: { acceptedPerSecond: bareMedian, runs: bare.map(Math.round) },
    ratio: storm.acceptedPerSecond / bareMedian,
  };
}
