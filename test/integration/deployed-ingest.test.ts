import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { healthText } from '../../functions/alerts';
import type { CustomResourceEvent } from '../../functions/aws';
import { alarmNotice } from '../../functions/health';
import {
  consumeWebhooks,
  type EventPublisher,
  handleTokenEvent,
  parseTokenSecret,
  type Quarantine,
  syncWebhookRoutes,
  type TokenEventDeps,
  validTokens,
} from '../../functions/ingest';
import { REQUESTS_WITHOUT_TOKEN_METRIC } from '../../functions/observability';
import { captureLogger } from '../support/capture-logger';
import { API_ID, fakeEdge, type FakeEdge, INTEGRATION_ID, SECRET_ID } from '../support/fake-edge';

/*
 * The deployed ingest path, in process: the custom resource and the rotation make the API's routes (against
 * aws-sdk-client-mock fakes of Secrets Manager and API Gateway), the fake API answers as API Gateway would and
 * queues what its integration would, and the real consumer drains that queue with a quarantine it can reach only
 * after the token. A wrong token leads to no queue message, no quarantine and no notice.
 */
const TOKEN = 'Depl0yedDepl0yedDepl0yedDepl0yedDepl0yedDepl0yed';
const NEW = 'R0tatedR0tatedR0tatedR0tatedR0tatedR0tatedR0tated';
const HOUR = 3_600_000;
const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'paubox', `${name}.json`), 'utf8');

let edge: FakeEdge;
let now: number;
const logger = captureLogger();
const kept: string[] = [];
const published: string[] = [];
const quarantine: Pick<Quarantine, 'keep'> = {
  keep: async (_webhook, reason) => String(kept.push(reason)),
};
const publisher: EventPublisher = { publish: async (event) => void published.push(event.key) };

function tokenDeps(): TokenEventDeps {
  return {
    client: edge.secrets,
    overlapMs: 24 * HOUR,
    now: () => now,
    logger,
    routes: (tokens) =>
      syncWebhookRoutes(
        {
          client: edge.apis,
          apiId: API_ID,
          integrationId: INTEGRATION_ID,
          stageName: '$default',
          throttle: { rateLimit: 2500, burstLimit: 5000 },
          logger,
        },
        tokens,
      ),
    tokenSecretArn: SECRET_ID,
    respond: async () => undefined,
  };
}

/** The consumer as deployed: the tokens read from the secret at the time it runs. */
async function consume(): Promise<void> {
  const records = edge.queue.splice(0);
  await consumeWebhooks(records, {
    expectedTokens: async (receivedAt) => {
      const secret = await edge.secrets.send(new GetSecretValueCommand({ SecretId: SECRET_ID }));
      return validTokens(parseTokenSecret(secret.SecretString!), receivedAt.getTime());
    },
    publisher,
    logger,
    quarantine,
  });
}

beforeEach(async () => {
  now = Date.now();
  edge = fakeEdge(TOKEN);
  kept.length = 0;
  published.length = 0;
  const deploy: CustomResourceEvent = {
    RequestType: 'Create',
    ResponseURL: 'https://cloudformation.example/signed',
    StackId: 'stack',
    RequestId: 'r',
    LogicalResourceId: 'WebhookRoutes',
  };
  await handleTokenEvent(deploy, tokenDeps());
});

afterEach(() => edge.restore());

describe('the deployed ingest path, in process', () => {
  it('1,000 wrong-token requests: 1,000 answers of 404, no queue message, no quarantine, no notice', async () => {
    const wrong = [
      `/paubox/${TOKEN.slice(0, -1)}`,
      `/paubox/${TOKEN}x`,
      `/paubox/${TOKEN.toLowerCase()}`,
      '/paubox/{token}',
      '/paubox/',
      `/paubox/${encodeURIComponent(`${TOKEN} `)}`,
    ];
    const statuses = Array.from({ length: 1000 }, (_, i) =>
      edge.post(i < wrong.length ? wrong[i]! : `/paubox/Guess${i}`, fixture('permanent_failure')),
    );
    expect(statuses.every((s) => s === 404)).toBe(true);
    expect(edge.queue).toHaveLength(0);
    await consume();
    expect({ kept, published }).toEqual({ kept: [], published: [] });
  });

  it('a webhook with the token is queued and published; an unreadable one with the token is quarantined', async () => {
    expect(edge.post(`/paubox/${TOKEN}`, fixture('permanent_failure'))).toBe(202);
    expect(edge.post(`/paubox/${TOKEN}`, '{"event_name":')).toBe(202);
    await consume();
    expect(published).toHaveLength(1);
    expect(kept).toEqual(['malformed_json']);
  });

  it('a webhook queued through the old route before its overlap ended is published; a late one is refused', async () => {
    edge.nextPassword(NEW);
    edge.beginRotation('v2');
    for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) {
      await handleTokenEvent({ SecretId: SECRET_ID, ClientRequestToken: 'v2', Step }, tokenDeps());
    }
    expect(edge.post(`/paubox/${TOKEN}`, fixture('delivered'))).toBe(202);
    now += 24 * HOUR;
    // Consumed after the overlap ended: it was valid when API Gateway received it.
    await consume();
    expect({ kept, published: published.length }).toEqual({ kept: [], published: 1 });
    // One received through the old route after the overlap, before the sweep deleted it: refused, not quarantined.
    expect(edge.post(`/paubox/${TOKEN}`, fixture('opened'))).toBe(202);
    const late = { stringValue: `v=${now}` };
    for (const record of edge.queue) (record.messageAttributes as Record<string, typeof late>).receivedAt = late;
    await consume();
    expect({ kept, published: published.length }).toEqual({ kept: [], published: 1 });
    await handleTokenEvent({ source: 'aws.events' }, tokenDeps());
    expect(edge.post(`/paubox/${TOKEN}`, fixture('delivered'))).toBe(404);
    expect(edge.post(`/paubox/${NEW}`, fixture('delivered'))).toBe(202);
  });

  it('a sustained flood raises one notice a day that says real webhooks are unaffected, and no quarantine notice', () => {
    const alarm = (time: string, state = 'ALARM') =>
      alarmNotice(
        JSON.stringify({
          AlarmName: 'relay-RequestsWithoutTokenAlarm-1',
          NewStateValue: state,
          OldStateValue: state === 'OK' ? 'ALARM' : 'OK',
          NewStateReason: 'Threshold Crossed: 3 datapoints [4200.0 (07/12/26 10:05:00)]',
          StateChangeTime: time,
          Trigger: { MetricName: REQUESTS_WITHOUT_TOKEN_METRIC, Namespace: 'PauboxAlertRelay', Dimensions: [] },
        }),
      );
    const first = alarm('2026-12-07T10:05:00.000Z')!;
    expect(first).toMatchObject({ part: 'strangers', state: 'problem', affected: 4200 });
    // Flapping the same day: the same key, which the notifiers' de-duplication posts once.
    expect(alarm('2026-12-07T19:40:00.000Z')!.key).toBe(first.key);
    expect(alarm('2026-12-08T00:01:00.000Z')!.key).not.toBe(first.key);
    expect(alarm('2026-12-07T11:00:00.000Z', 'OK')).toBeUndefined();
    const text = healthText(first);
    const all = [text.title, ...text.lines, ...text.fix].join('\n');
    expect(all).toContain('without the token');
    expect(all).toContain('Real webhooks are unaffected');
    expect(all).toContain('rotate-secret');
    expect(all).not.toContain('quarantine');
  });
});
