import { HEALTH_PREFIX, healthText } from '../../../functions/alerts';
import { alarmNotice, noticeTargets } from '../../../functions/health/alarm-notice';

const alarm = (state: string, old = 'OK', dimensions = [{ name: 'Destination', value: 'ops' }]) =>
  JSON.stringify({
    AlarmName: 'HealthRelay-RelayOpsDestinationDeadLettersAlarm-1A2B',
    AlarmDescription: 'Alerts for destination "ops" are in its dead-letter queue …',
    NewStateValue: state,
    OldStateValue: old,
    NewStateReason: 'Threshold Crossed: 1 datapoint [7.0 (20/11/26 14:03:00)] was greater than or equal to 1.0',
    StateChangeTime: '2026-11-20T14:04:00.000+0000',
    Trigger: { MetricName: 'DeadLetters', Namespace: 'PauboxAlertRelay', Dimensions: dimensions },
  });

describe('alarmNotice', () => {
  it('turns a destination alarm into a notice naming it, the count, and the commands', () => {
    const notice = alarmNotice(alarm('ALARM'))!;
    expect(notice).toMatchObject({ state: 'problem', part: 'destination', subject: 'ops', affected: 7 });
    const text = healthText(notice);
    expect(text.title.startsWith(HEALTH_PREFIX)).toBe(true);
    expect(text.fix).toEqual(['npx paubox-relay set-destination ops <url>', 'npx paubox-relay redrive ops']);
    expect(noticeTargets(notice, ['ops', 'care', 'pager'], undefined)).toEqual(['care', 'pager']);
    expect(noticeTargets(notice, ['ops', 'care'], ['pager'])).toEqual(['pager']);
  });

  it("says a probe alarm's destination is broken by the probe, with no alert count (its data point is a verdict)", () => {
    const message = JSON.parse(alarm('ALARM')) as { Trigger: { MetricName: string } };
    message.Trigger.MetricName = 'DestinationProbeBroken';
    const notice = alarmNotice(JSON.stringify(message))!;
    expect(notice).toMatchObject({ part: 'destination', subject: 'ops', reason: 'probe_found_broken', affected: 0 });
    expect(healthText(notice).title).toBe('Relay health: destination ops is broken (probe_found_broken)');
  });

  it("names the probe's own errors alarm as the probe, not ingest", () => {
    const message = JSON.parse(alarm('ALARM', 'OK', [])) as { Trigger: Record<string, unknown> };
    message.Trigger = {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ name: 'FunctionName', value: 'ProbeRelay-RelayProbeFunctionA1B2C3-xyz' }],
    };
    expect(alarmNotice(JSON.stringify(message))).toMatchObject({ part: 'probe', subject: 'probe', reason: 'errors' });
    message.Trigger.Dimensions = [{ name: 'FunctionName', value: 'ProbeRelay-RelayIngestFunction800E-xyz' }];
    expect(alarmNotice(JSON.stringify(message))).toMatchObject({ part: 'ingest' });
  });

  it('is one notice per change of state: the same message twice has one key, OK after ALARM resolves it', () => {
    expect(alarmNotice(alarm('ALARM'))!.key).toBe(alarmNotice(alarm('ALARM'))!.key);
    expect(alarmNotice(alarm('OK', 'ALARM'))).toMatchObject({ state: 'resolved' });
    expect(alarmNotice(alarm('OK', 'INSUFFICIENT_DATA'))).toBeUndefined();
    expect(alarmNotice(alarm('INSUFFICIENT_DATA'))).toBeUndefined();
    expect(alarmNotice('not json')).toBeUndefined();
  });

  it('names relay-wide parts from their metric, and never copies the alarm text', () => {
    const ingest = alarmNotice(alarm('ALARM', 'OK', []))!;
    expect(ingest.part).toBe('ingest');
    expect(JSON.stringify(ingest)).not.toContain('dead-letter queue');
    const dlq = [{ name: 'QueueName', value: 'HealthRelay-RelayIngestDeadLetterQueue1A2B-XYZ' }];
    expect(alarmNotice(alarm('ALARM', 'OK', dlq))).toMatchObject({ part: 'quarantine', subject: 'quarantine' });
  });
});
