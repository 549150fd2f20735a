import { toAlertView } from '../../../functions/alerts';
import { type AlertSender, DeliveryError } from '../../../functions/chat';
import {
  guardObserver,
  observedSender,
  type AttemptReport,
  type RelayObserver,
} from '../../../functions/local/observer';
import { captureLogger } from '../../support/capture-logger';
import { fixtureEvent } from '../../support/events';

const view = toAlertView(fixtureEvent('permanent_failure'), {
  destination: 'ops',
  detail: 'minimal',
  fingerprintKey: 'k',
});

function recorder(): { observer: RelayObserver; attempts: AttemptReport[] } {
  const attempts: AttemptReport[] = [];
  const observer: RelayObserver = {
    webhook: () => undefined,
    queued: () => undefined,
    attempt: (_d, report) => attempts.push(report),
    settled: () => undefined,
  };
  return { observer, attempts };
}

describe('observedSender', () => {
  it('reports each attempt with the platform answer and still fails as the sender does', async () => {
    const { observer, attempts } = recorder();
    let answer: Error | undefined = new DeliveryError('rate_limited', true, 429, 3);
    const sender: AlertSender = {
      kind: 'slack',
      send: async () => {
        if (answer) throw answer;
      },
    };
    const watched = observedSender('ops', sender, observer);
    expect(watched.kind).toBe('slack');
    await expect(watched.send(view)).rejects.toBe(answer);
    answer = undefined;
    await watched.send(view);
    expect(attempts.map((a) => [a.postKey, a.failure])).toEqual([
      [view.key, { reason: 'rate_limited', retryable: true, status: 429, retryAfterSeconds: 3 }],
      [view.key, undefined],
    ]);
  });
});

describe('guardObserver', () => {
  it('logs an observer that throws instead of failing the delivery it watches', async () => {
    const log = captureLogger();
    const broken: RelayObserver = {
      webhook: () => undefined,
      queued: () => undefined,
      attempt: () => {
        throw new TypeError('bug');
      },
      settled: () => undefined,
    };
    const sender: AlertSender = { kind: 'teams', send: async () => undefined };
    await expect(observedSender('ops', sender, guardObserver(broken, log)).send(view)).resolves.toBeUndefined();
    expect(log.lines).toEqual([expect.objectContaining({ level: 'warn', fields: { errorName: 'TypeError' } })]);
  });
});
