import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditRecord } from '../../../functions/archive';
import type { SlackWebApi } from '../../../functions/chat';
import {
  type AppDestination,
  FileReplayStore,
  handleInteractivity,
  type InteractivityOutcome,
  slackSignature,
} from '../../../functions/interactivity';
import { silentLogger } from '../../../functions/observability';
import { FileSilenceStore, MemoryRateStore } from '../../../functions/sending';
import { clickBody } from '../../support/slack-clicks';

/** Two app destinations from two Slack apps: a click is acted on only for the destination whose secret signed it. */
const NOW = Date.UTC(2026, 11, 8, 9, 0);
const calls: { destination: string; method: string }[] = [];
const apiOf = (destination: string): SlackWebApi => ({
  call: async (method) => {
    calls.push({ destination, method });
    return { ok: true };
  },
});
const destinations: AppDestination[] = [
  { name: 'ops', channel: 'C0OPSCHAN1', signingSecret: 'ops-app-secret', api: apiOf('ops') },
  { name: 'care', channel: 'C0CARECHAN', signingSecret: 'care-app-secret', api: apiOf('care') },
];
const outcomes: InteractivityOutcome[] = [];
const audit: AuditRecord[] = [];
const dir = mkdtempSync(join(tmpdir(), 'handle-interactivity-'));
const deps = {
  destinations: async () => destinations,
  replays: new FileReplayStore(undefined, () => NOW),
  silences: new FileSilenceStore(dir),
  audit: async (record: AuditRecord) => void audit.push(record),
  now: () => NOW,
  logger: silentLogger,
  count: (outcome: InteractivityOutcome) => void outcomes.push(outcome),
};
const request = (body: string, secret: string) => {
  const timestamp = String(NOW / 1000);
  return {
    headers: { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': slackSignature(secret, timestamp, body) },
    body: Buffer.from(body),
  };
};
const mute = (channel: string) =>
  clickBody({ name: 'muteSenderDomain', senderDomain: 'a.example' }, { channel, ts: '1700000000.000100' });

beforeEach(() => {
  calls.length = 0;
  outcomes.length = 0;
  audit.length = 0;
});

describe('handleInteractivity with two Slack apps', () => {
  it("acts with the signing destination's token, in its channel", async () => {
    const answer = await handleInteractivity(request(mute('C0CARECHAN'), 'care-app-secret'), deps);
    expect(answer.statusCode).toBe(200);
    await answer.work!();
    expect(calls).toEqual([{ destination: 'care', method: 'chat.postMessage' }]);
    expect(audit).toEqual([expect.objectContaining({ destination: 'care', action: 'muteSenderDomain' })]);
    expect(outcomes).toEqual(['acted']);
  });

  it("does nothing for a click in another destination's channel, though validly signed", async () => {
    const answer = await handleInteractivity(request(mute('C0CARECHAN'), 'ops-app-secret'), deps);
    expect(answer).toEqual({ statusCode: 200, body: '' });
    expect(calls).toEqual([]);
    expect(outcomes).toEqual(['ignored']);
    expect((await deps.silences.list()).filter((s) => s.match.senderDomain === 'a.example')).toHaveLength(1);
  });

  it('refuses an oversized body unread, and a body signed by neither app', async () => {
    const big = { headers: {}, body: Buffer.alloc(64 * 1024 + 1) };
    expect((await handleInteractivity(big, deps)).statusCode).toBe(401);
    expect((await handleInteractivity(request(mute('C0OPSCHAN1'), 'a-third-secret'), deps)).statusCode).toBe(401);
    expect(outcomes).toEqual(['refused', 'refused']);
    expect(calls).toEqual([]);
  });

  it('counts a failed Slack call as failed, with the silence kept', async () => {
    const failing: AppDestination = { ...destinations[0]!, api: { call: async () => Promise.reject(new Error('x')) } };
    const answer = await handleInteractivity(request(mute('C0OPSCHAN1'), 'ops-app-secret'), {
      ...deps,
      destinations: async () => [failing],
    });
    await answer.work!();
    expect(outcomes).toEqual(['failed']);
    expect(audit).toEqual([expect.objectContaining({ destination: 'ops', changed: true })]);
  });
});

describe('Acknowledge', () => {
  it("of an alert that names its sender domain acknowledges that domain's firing rate alert too", async () => {
    const rates = new MemoryRateStore();
    const firing = { level: 'alert' as const, since: NOW, lastNoticeAt: NOW, lastRate: 0.1, reminders: 0 };
    await rates.saveAlert('a.example', firing, 0);
    const body = clickBody(
      { name: 'acknowledge', messageKey: 'k-9', senderDomain: 'a.example' },
      { channel: 'C0OPSCHAN1', ts: '1700000000.000900' },
    );
    const answer = await handleInteractivity(request(body, 'ops-app-secret'), { ...deps, rates });
    await answer.work!();
    expect((await rates.alertOf('a.example')).state?.acknowledged).toEqual({ by: 'U0PERSON1', at: NOW });
    expect(calls).toEqual([{ destination: 'ops', method: 'chat.update' }]);
    expect(audit).toEqual([expect.objectContaining({ message_key: 'k-9', sender_domain: 'a.example', changed: true })]);
  });
});
