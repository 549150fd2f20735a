import { GetRoutesCommand } from '@aws-sdk/client-apigatewayv2';
import { mockClient } from 'aws-sdk-client-mock';
import type { CustomResourceEvent } from '../../../functions/aws';
import { RotationError } from '../../../functions/ingest/errors';
import { handleTokenEvent, type TokenEventDeps } from '../../../functions/ingest/token-events';
import { syncWebhookRoutes, tokenOfRouteKey } from '../../../functions/ingest/webhook-routes';
import { captureLogger } from '../../support/capture-logger';
import { API_ID, fakeEdge, type FakeEdge, INTEGRATION_ID, SECRET_ID } from '../../support/fake-edge';

const OLD = 'Old0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0l';
const NEW = 'N3wN3wN3wN3wN3wN3wN3wN3wN3wN3wN3wN3wN3wN3wN3wN3w';
const NEWER = 'N3werN3werN3werN3werN3werN3werN3werN3werN3werN3we';
const HOUR = 3_600_000;
const START = Date.parse('2026-11-20T12:00:00.000Z');
const THROTTLE = { rateLimit: 2500, burstLimit: 5000 };
const body = '{"event_name":"api_mail_log_delivered"}';

let edge: FakeEdge;
let now: number;
const logger = captureLogger();
const respond = jest.fn(async () => undefined);

function deps(): TokenEventDeps {
  const api = { client: edge.apis, apiId: API_ID, integrationId: INTEGRATION_ID, stageName: '$default', logger };
  return {
    client: edge.secrets,
    overlapMs: 24 * HOUR,
    now: () => now,
    logger,
    routes: (tokens) => syncWebhookRoutes({ ...api, throttle: THROTTLE }, tokens),
    tokenSecretArn: SECRET_ID,
    respond,
  };
}

const customResource = (RequestType: CustomResourceEvent['RequestType']): CustomResourceEvent => ({
  RequestType,
  ResponseURL: 'https://cloudformation-custom-resource-response.example/signed',
  StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/relay/1',
  RequestId: 'req-1',
  LogicalResourceId: 'WebhookRoutes',
});
const sweep = () => handleTokenEvent({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, deps());

/** The four steps Secrets Manager runs for `rotate-secret`, to the token `token`. */
async function rotateTo(token: string, versionId: string): Promise<void> {
  edge.nextPassword(token);
  edge.beginRotation(versionId);
  for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) {
    await handleTokenEvent({ SecretId: SECRET_ID, ClientRequestToken: versionId, Step }, deps());
  }
}

const answers = () => ({ old: edge.post(`/paubox/${OLD}`, body), new: edge.post(`/paubox/${NEW}`, body) });

beforeEach(async () => {
  now = START;
  edge = fakeEdge(OLD);
  respond.mockClear();
  logger.lines.length = 0;
  await handleTokenEvent(customResource('Create'), deps());
});

afterEach(() => edge.restore());

describe('webhook routes, one per valid token', () => {
  it('are made at deploy by the custom resource: the token works, anything else is 404 from API Gateway', () => {
    expect([...edge.routes.keys()]).toEqual([`POST /paubox/${OLD}`]);
    expect(edge.routes.get(`POST /paubox/${OLD}`)!.target).toBe(`integrations/${INTEGRATION_ID}`);
    expect(edge.routeSettings.get(`POST /paubox/${OLD}`)).toEqual({
      ThrottlingRateLimit: 2500,
      ThrottlingBurstLimit: 5000,
    });
    expect(respond).toHaveBeenCalledWith(
      expect.objectContaining({ RequestType: 'Create' }),
      expect.objectContaining({ status: 'SUCCESS', physicalResourceId: 'paubox-webhook-routes' }),
    );
    expect(edge.post(`/paubox/${OLD}`, body)).toBe(202);
    for (const path of [`/paubox/${NEW}`, `/paubox/${OLD.slice(0, -1)}`, '/paubox/{token}', '/paubox/', '/']) {
      expect(edge.post(path, body)).toBe(404);
    }
    expect(edge.queue).toHaveLength(1);
  });

  it('rotation: the new route works once the rotation is done, the old one until the overlap ends, then 404', async () => {
    await rotateTo(NEW, 'v2');
    expect(answers()).toEqual({ old: 202, new: 202 });
    now = START + 24 * HOUR - 1;
    await sweep();
    expect(answers()).toEqual({ old: 202, new: 202 });
    now = START + 24 * HOUR;
    await sweep();
    expect(answers()).toEqual({ old: 404, new: 202 });
    expect([...edge.routeSettings.keys()]).toEqual([`POST /paubox/${NEW}`]);
  });

  it('the new route exists from setSecret on, and a sweep during the rotation keeps it', async () => {
    edge.nextPassword(NEW);
    edge.beginRotation('v2');
    for (const Step of ['createSecret', 'setSecret']) {
      await handleTokenEvent({ SecretId: SECRET_ID, ClientRequestToken: 'v2', Step }, deps());
    }
    await sweep();
    expect(answers()).toEqual({ old: 202, new: 202 });
  });

  it('without an overlap, the old URL works until the rotation finishes, and still works if it fails', async () => {
    const noOverlap = () => ({ ...deps(), overlapMs: 0 });
    edge.nextPassword(NEW);
    edge.beginRotation('v2');
    for (const Step of ['createSecret', 'setSecret']) {
      await handleTokenEvent({ SecretId: SECRET_ID, ClientRequestToken: 'v2', Step }, noOverlap());
    }
    // A failed testSecret leaves AWSCURRENT as it was: the URL in use must still work.
    expect(answers()).toEqual({ old: 202, new: 202 });
    await handleTokenEvent({ SecretId: SECRET_ID, ClientRequestToken: 'v2', Step: 'finishSecret' }, noOverlap());
    expect(answers()).toEqual({ old: 404, new: 202 });
  });

  it('a second rotation within the overlap ends the oldest URL at once', async () => {
    await rotateTo(NEW, 'v2');
    now += HOUR;
    await rotateTo(NEWER, 'v3');
    expect(answers()).toEqual({ old: 404, new: 202 });
    expect(edge.post(`/paubox/${NEWER}`, body)).toBe(202);
  });

  it('leaves routes that are not token routes alone (the former `{token}` route goes with its stack update)', async () => {
    edge.routes.set('POST /paubox/{token}', { id: 'legacy', target: `integrations/${INTEGRATION_ID}` });
    await sweep();
    expect(edge.routes.has('POST /paubox/{token}')).toBe(true);
    expect(tokenOfRouteKey('POST /paubox/{token}')).toBeUndefined();
    expect(tokenOfRouteKey(`POST /paubox/${OLD}`)).toBe(OLD);
  });

  it('points a route at the integration again when it drifted', async () => {
    edge.routes.get(`POST /paubox/${OLD}`)!.target = 'integrations/elsewhere';
    expect(edge.post(`/paubox/${OLD}`, body)).toBe(404);
    await sweep();
    expect(edge.post(`/paubox/${OLD}`, body)).toBe(202);
  });

  it('refuses to delete every route, or to make a route of a token outside letters and digits', async () => {
    const api = { client: edge.apis, apiId: API_ID, integrationId: INTEGRATION_ID, stageName: '$default', logger };
    await expect(syncWebhookRoutes({ ...api, throttle: THROTTLE }, [])).rejects.toBeInstanceOf(RotationError);
    await expect(syncWebhookRoutes({ ...api, throttle: THROTTLE }, ['../admin'])).rejects.toBeInstanceOf(RotationError);
    expect(answers().old).toBe(202);
  });

  it('a failed deploy is answered FAILED with the error name only; Delete is answered without touching routes', async () => {
    const failing = mockClient(edge.apis);
    failing.on(GetRoutesCommand).rejects(Object.assign(new Error(`Route POST /paubox/${OLD} broke`), { name: 'X' }));
    await handleTokenEvent(customResource('Update'), deps());
    const [, result] = respond.mock.calls.at(-1) as unknown as [unknown, { status: string; reason: string }];
    expect(result.status).toBe('FAILED');
    expect(result.reason).not.toContain(OLD);
    failing.restore();
    respond.mockClear();
    await handleTokenEvent(customResource('Delete'), deps());
    expect(respond).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ status: 'SUCCESS' }));
  });

  it('logs no token', async () => {
    await rotateTo(NEW, 'v2');
    now = START + 25 * HOUR;
    await sweep();
    for (const token of [OLD, NEW]) expect(logger.text()).not.toContain(token);
    expect(logger.lines.some((l) => l.message === 'webhook routes changed')).toBe(true);
  });
});
