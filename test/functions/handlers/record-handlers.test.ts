import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { FirehoseTransformationEvent, FirehoseTransformationResult, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { recipientFingerprint } from '../../../functions/alerts';
import { fixtureEvent } from '../../support/events';
import { firstDeliveries } from '../../support/notifier-env';

const secrets = mockClient(SecretsManagerClient);
const eventBridge = mockClient(EventBridgeClient);
const KEY_SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:fingerprint';
const event = { ...fixtureEvent('permanent_failure'), customHeaders: { 'X-Campaign': 'spring-recall' } };
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Handlers read their environment when loaded, and keep the fingerprint key once read (as in Lambda). */
function load<T>(module: string, env: Record<string, string>): T {
  Object.assign(process.env, { FINGERPRINT_SECRET_ARN: KEY_SECRET, RELAY_ID: 'TestStack/Relay', ...env });
  return (require(module) as { handler: T }).handler;
}

beforeEach(() => {
  secrets.reset();
  eventBridge.reset();
  secrets.on(GetSecretValueCommand, { SecretId: KEY_SECRET }).resolves({ SecretString: 'the-key' });
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

describe('the archive transformation (Firehose)', () => {
  type Transform = (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>;

  it('fails the whole invocation (so Firehose retries it) when the fingerprint key cannot be read', async () => {
    // First, before the key is cached: no key, no line.
    secrets.reset();
    secrets.on(GetSecretValueCommand).rejects(new Error('AccessDenied'));
    const handler = load<Transform>('../../../functions/handlers/archive-transform', { ARCHIVE_DETAIL: 'minimal' });
    await expect(
      handler({
        invocationId: 'i',
        deliveryStreamArn: 'arn',
        region: 'eu-west-1',
        records: [{ recordId: 'a', approximateArrivalTimestamp: 0, data: b64(JSON.stringify(event)) }],
      }),
    ).rejects.toThrow('AccessDenied');
  });

  it('writes each event as one line at the archive level, dated by its arrival, and drops what is not an event', async () => {
    const handler = load<Transform>('../../../functions/handlers/archive-transform', { ARCHIVE_DETAIL: 'minimal' });
    const arrival = Date.parse('2026-11-20T14:03:12.000Z');
    const result = await handler({
      invocationId: 'i',
      deliveryStreamArn: 'arn',
      region: 'eu-west-1',
      records: [
        { recordId: 'a', approximateArrivalTimestamp: arrival, data: b64(JSON.stringify(event)) },
        { recordId: 'b', approximateArrivalTimestamp: arrival, data: b64('{"hello":"world"}') },
      ],
    });
    expect(result.records.map((r) => [r.recordId, r.result])).toEqual([
      ['a', 'Ok'],
      ['b', 'Dropped'],
    ]);
    const line = Buffer.from(result.records[0]!.data ?? '', 'base64').toString('utf8');
    expect(line.endsWith('}\n')).toBe(true);
    expect(JSON.parse(line)).toMatchObject({
      key: event.key,
      event_type: 'permanent_failure',
      archived_at: '2026-11-20T14:03:12.000Z',
      recipient_fingerprints: event.recipients.map((r) => recipientFingerprint(r, 'the-key')),
      detail: 'minimal',
    });
    for (const phi of [...event.recipients, event.subject!, 'spring-recall']) expect(line).not.toContain(phi);
  });
});

describe('the automation publisher (EventBridge)', () => {
  type Publish = (event: SQSEvent) => Promise<SQSBatchResponse>;

  it('puts each event on the bus with source paubox.alert-relay and its type as detail type, at the archive level', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }, { EventId: '2' }] });
    const handler = load<Publish>('../../../functions/handlers/publish-events', {
      EVENT_BUS_NAME: 'relay-bus',
      ARCHIVE_DETAIL: 'recipient',
    });
    const result = await handler(firstDeliveries([JSON.stringify(event), JSON.stringify(fixtureEvent('delivered'))]));
    expect(result).toEqual({ batchItemFailures: [] });
    const entries = eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries!;
    expect(entries.map((e) => [e.Source, e.DetailType, e.EventBusName])).toEqual([
      ['paubox.alert-relay', 'permanent_failure', 'relay-bus'],
      ['paubox.alert-relay', 'delivered', 'relay-bus'],
    ]);
    expect(entries[0]!.Time).toEqual(new Date(event.time));
    const detail = JSON.parse(entries[0]!.Detail!) as Record<string, unknown>;
    expect(detail).toMatchObject({ recipients: event.recipients, detail: 'recipient' });
    expect(detail.subject).toBeUndefined();
    expect(entries[0]!.Detail).not.toContain('spring-recall');
  });

  it('hands back the records whose entries failed, and malformed ones, for the queue to retry or dead-letter', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException' }] });
    const handler = load<Publish>('../../../functions/handlers/publish-events', {
      EVENT_BUS_NAME: 'relay-bus',
      ARCHIVE_DETAIL: 'recipient',
    });
    const result = await handler(firstDeliveries([JSON.stringify(event), 'not an event']));
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['msg-1', 'msg-2']);
  });
});
