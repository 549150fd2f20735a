import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { decodeHealthNotice, type HealthNotice } from '../../../functions/alerts';
import { readSecretString } from '../../../functions/aws';
import { type AlarmInAlarm, reminderFor, runScheduledProbe } from '../../../functions/health/scheduled-probe';
import { captureLogger } from '../../support/capture-logger';
import { type FakeChatServer, startFakeChatServer } from '../../support/fake-chat-server';
import { startFakeSlackApi } from '../../support/fake-slack-api';

const secretsMock = mockClient(SecretsManagerClient);
const secrets = new SecretsManagerClient({});
const HOUR = 3_600_000;
let revoked: FakeChatServer;
let live: FakeChatServer;

beforeAll(async () => {
  revoked = await startFakeChatServer({ status: 404, body: 'no_service' });
  live = await startFakeChatServer({ status: 400, body: 'no_text' });
});
afterAll(async () => {
  await revoked.close();
  await live.close();
});
beforeEach(() => secretsMock.reset());

const brokenAlarm: AlarmInAlarm = {
  AlarmName: 'RelayStack-RelayOpsDestinationDeadLettersAlarm1234-ABC',
  StateUpdatedTimestamp: new Date('2026-12-01T08:10:00Z'),
  StateReason: 'Threshold Crossed: 1 datapoint [3.0 (01/12/26 08:05:00)] was >= 1.0',
  MetricName: 'ApproximateNumberOfMessagesVisible',
  Namespace: 'AWS/SQS',
  Dimensions: [{ Name: 'QueueName', Value: 'relay-ops-dlq' }],
};

function run(now: Date, overrides: { heartbeat?: boolean; alarms?: AlarmInAlarm[] } = {}) {
  const queued: { destination: string; notice: HealthNotice }[] = [];
  const metrics: [string, number][] = [];
  const logger = captureLogger();
  const done = runScheduledProbe({
    destinations: ['ops', 'billing', 'missing', 'oncall'].map((name) => ({
      name,
      kind: name === 'oncall' ? ('teams' as const) : ('slack' as const),
      readUrl: () => readSecretString(secrets, `secret-${name}`),
    })),
    heartbeat: overrides.heartbeat ?? false,
    allowLoopbackHttp: true,
    reminderMs: 4 * HOUR,
    intervalMs: HOUR,
    alarmsInAlarm: async () => overrides.alarms ?? [],
    queue: async (destination, notice) => {
      // What the notifier would decode from the queue.
      queued.push({ destination, notice: decodeHealthNotice(JSON.stringify(notice))! });
    },
    metric: (destination, broken) => metrics.push([destination, broken]),
    logger,
    now,
  });
  return { done, queued, metrics, logger };
}

function secretsAnswer(): void {
  secretsMock.on(GetSecretValueCommand, { SecretId: 'secret-ops' }).resolves({ SecretString: revoked.url });
  secretsMock.on(GetSecretValueCommand, { SecretId: 'secret-billing' }).resolves({ SecretString: live.url });
  // Before `set-destination`: the secret holds no URL yet.
  secretsMock.on(GetSecretValueCommand, { SecretId: 'secret-missing' }).resolves({ SecretString: 'REPLACE_ME' });
  secretsMock.on(GetSecretValueCommand, { SecretId: 'secret-oncall' }).resolves({ SecretString: live.url });
}

describe('the scheduled probe', () => {
  it('posts {} to each Slack webhook from its secret: 404 no_service is broken (1), 400 no_text ok (0)', async () => {
    secretsAnswer();
    const before = revoked.received.length;
    const { done, metrics, queued, logger } = run(new Date('2026-12-01T09:00:00Z'));
    const summary = await done;
    expect(revoked.received.slice(before).map((r) => r.raw)).toEqual(['{}']);
    expect(summary.results.ops).toEqual({ status: 'broken', reason: 'no_service' });
    expect(summary.results.billing).toEqual({ status: 'ok', reason: 'no_text' });
    expect(summary.results.missing).toEqual({ status: 'broken', reason: 'no_valid_url_in_secret' });
    expect(summary.results.oncall).toEqual({ status: 'unchecked', reason: 'not_silently_checkable' });
    // Nothing for what cannot be told: no metric, so the alarm keeps its state.
    expect(metrics.sort()).toEqual([
      ['billing', 0],
      ['missing', 1],
      ['ops', 1],
    ]);
    expect(queued).toEqual([]);
    // Names and codes only: never a URL, whatever the level.
    expect(logger.text()).not.toContain('127.0.0.1');
    expect(logger.text()).not.toContain('/hook');
    expect(logger.lines).toContainEqual({
      level: 'error',
      message: 'destination probe: broken',
      fields: { destination: 'ops', reason: 'no_service' },
    });
  });

  it('with health.heartbeat, queues a visible heartbeat on each Teams destination, addressed to it alone', async () => {
    secretsAnswer();
    const received = live.received.length;
    const { done, queued } = run(new Date('2026-12-01T09:00:00Z'), { heartbeat: true });
    await done;
    expect(queued.map((q) => [q.destination, q.notice.state, q.notice.subject])).toEqual([
      ['oncall', 'heartbeat', 'oncall'],
    ]);
    expect(queued[0]!.notice.since).toBe('2026-12-01T09:00:00.000Z');
    // The probe itself posts nothing to Teams; the notifier posts the heartbeat from the queue.
    expect(live.received.slice(received).map((r) => r.raw)).toEqual(['{}']);
    const again = run(new Date('2026-12-01T10:00:00Z'), { heartbeat: true });
    await again.done;
    expect(again.queued[0]!.notice.key).not.toBe(queued[0]!.notice.key);
  });

  it('reminds of an alarm still in ALARM once per reminderHours window, with one key per window', async () => {
    secretsAnswer();
    // 3 h 50 after the alarm: not yet.
    const early = run(new Date('2026-12-01T12:00:00Z'), { alarms: [brokenAlarm] });
    await early.done;
    expect(early.queued).toEqual([]);
    // 4 h 20 after: the first run of the second window reminds, to every destination but none affected.
    const first = run(new Date('2026-12-01T12:30:00Z'), { alarms: [brokenAlarm] });
    expect((await first.done).reminders).toHaveLength(1);
    expect(first.queued.map((q) => q.destination).sort()).toEqual(['billing', 'missing', 'oncall', 'ops']);
    const notice = first.queued[0]!.notice;
    expect(notice).toMatchObject({ state: 'reminder', part: 'delivery', since: '2026-12-01T08:10:00.000Z' });
    // A retried run in the same hour queues the same key, which the notifier posts once.
    const retried = run(new Date('2026-12-01T12:50:00Z'), { alarms: [brokenAlarm] });
    await retried.done;
    expect(retried.queued[0]!.notice.key).toBe(notice.key);
    // The next run of that window says nothing; the next window reminds again, with a new key.
    const later = run(new Date('2026-12-01T13:30:00Z'), { alarms: [brokenAlarm] });
    await later.done;
    expect(later.queued).toEqual([]);
    const next = run(new Date('2026-12-01T16:20:00Z'), { alarms: [brokenAlarm] });
    await next.done;
    expect(next.queued[0]!.notice.key).not.toBe(notice.key);
  });

  it('reminds of a probe alarm as its destination broken, with no alert count', () => {
    const alarm: AlarmInAlarm = {
      ...brokenAlarm,
      MetricName: 'DestinationProbeBroken',
      Namespace: 'PauboxAlertRelay',
      Dimensions: [{ Name: 'Destination', Value: 'ops' }],
    };
    const notice = reminderFor(alarm, new Date('2026-12-01T12:30:00Z'), 4 * HOUR, HOUR)!;
    expect(notice).toMatchObject({ part: 'destination', subject: 'ops', reason: 'probe_found_broken', affected: 0 });
    expect(reminderFor({ ...alarm, StateUpdatedTimestamp: undefined }, new Date(), 4 * HOUR, HOUR)).toBeUndefined();
  });

  it('never reminds of a flood of requests without the token: one notice a day is enough', () => {
    const alarm: AlarmInAlarm = { ...brokenAlarm, MetricName: 'RequestsWithoutToken', Namespace: 'PauboxAlertRelay' };
    expect(
      reminderFor({ ...alarm, MetricName: 'DestinationProbeBroken' }, new Date('2026-12-01T12:30:00Z'), 4 * HOUR, HOUR),
    ).toBeDefined();
    expect(reminderFor(alarm, new Date('2026-12-01T12:30:00Z'), 4 * HOUR, HOUR)).toBeUndefined();
  });
});

describe('the scheduled probe of a Slack app', () => {
  it('checks the bot token of its secret with auth.test and conversations.info, posting nothing', async () => {
    const api = await startFakeSlackApi({ token: 'xoxb-probe', channels: [{ id: 'C0LIVE00001' }] });
    try {
      secretsMock.on(GetSecretValueCommand, { SecretId: 'secret-app' }).resolves({
        SecretString: JSON.stringify({ botToken: 'xoxb-probe' }),
      });
      secretsMock.on(GetSecretValueCommand, { SecretId: 'secret-empty' }).resolves({ SecretString: 'placeholder' });
      const metrics: [string, number][] = [];
      const summary = await runScheduledProbe({
        destinations: [
          { name: 'app', channel: 'C0LIVE00001', readUrl: () => readSecretString(secrets, 'secret-app') },
          { name: 'gone', channel: 'C0GONE00001', readUrl: () => readSecretString(secrets, 'secret-app') },
          { name: 'empty', channel: 'C0LIVE00001', readUrl: () => readSecretString(secrets, 'secret-empty') },
        ],
        heartbeat: true,
        allowLoopbackHttp: true,
        slackApiBaseUrl: api.baseUrl,
        reminderMs: 4 * HOUR,
        intervalMs: HOUR,
        alarmsInAlarm: async () => [],
        queue: async () => undefined,
        metric: (destination, broken) => metrics.push([destination, broken]),
        logger: captureLogger(),
        now: new Date(),
      });
      expect(summary.results).toEqual({
        app: { status: 'ok', reason: 'auth_and_channel_ok' },
        gone: { status: 'broken', reason: 'channel_not_found' },
        empty: { status: 'broken', reason: 'no_bot_token' },
      });
      expect(metrics.sort()).toEqual([
        ['app', 0],
        ['empty', 1],
        ['gone', 1],
      ]);
      // A Slack app is checked silently: no heartbeat, and no chat method called.
      expect(summary.heartbeats).toEqual([]);
      expect(api.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
    } finally {
      await api.close();
    }
  });
});
