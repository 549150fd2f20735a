import {
  ApiGatewayV2Client,
  CreateRouteCommand,
  DeleteRouteCommand,
  DeleteRouteSettingsCommand,
  GetRoutesCommand,
  NotFoundException,
  UpdateRouteCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { type ConsumedRecord, messageAttributesTemplate } from '../../functions/ingest';

/**
 * The deployed edge as far as it can be without AWS: the token secret's versions in Secrets Manager, the HTTP API's
 * routes, and what API Gateway does with a request (a literal route match puts the webhook on the queue, as the
 * `SQS-SendMessage` integration's attribute template says; no match is 404). Both SDK clients are
 * aws-sdk-client-mock fakes that keep state, so the rotation code runs against them as it would against AWS.
 */

interface Version {
  /** Undefined while Secrets Manager has made the version of a rotation but createSecret has not filled it. */
  value?: string;
  stages: string[];
}

export const SECRET_ID = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:token-AbCdEf';
export const API_ID = 'a1b2c3d4e5';
export const INTEGRATION_ID = 'int0001';

export interface FakeEdge {
  readonly secrets: SecretsManagerClient;
  readonly apis: ApiGatewayV2Client;
  /** Route key → target. */
  readonly routes: Map<string, { id: string; target: string }>;
  /** Route key → its throttle, as UpdateStage left it. */
  readonly routeSettings: Map<string, unknown>;
  /** What API Gateway put on the ingest queue. */
  readonly queue: ConsumedRecord[];
  /** Makes `token` the next random password Secrets Manager returns. */
  nextPassword(token: string): void;
  /** What `rotate-secret` does before the first step: an empty version `versionId`, staged AWSPENDING. */
  beginRotation(versionId: string): void;
  /** API Gateway's answer to a POST: 202 once queued, 404 when no route matches (path and query as sent). */
  post(path: string, body: string, headers?: Readonly<Record<string, string>>): number;
  restore(): void;
}

export function fakeEdge(initialToken: string): FakeEdge {
  const sm = mockClient(SecretsManagerClient);
  const api = mockClient(ApiGatewayV2Client);
  const versions = new Map<string, Version>([['v1', { value: initialToken, stages: ['AWSCURRENT'] }]]);
  const passwords: string[] = [];
  const routes = new Map<string, { id: string; target: string }>();
  const routeSettings = new Map<string, unknown>();
  const queue: ConsumedRecord[] = [];
  let ids = 0;

  const stagesMap = () => Object.fromEntries([...versions].map(([id, v]) => [id, [...v.stages]]));
  sm.on(DescribeSecretCommand).callsFake(() => ({ RotationEnabled: true, VersionIdsToStages: stagesMap() }));
  sm.on(GetSecretValueCommand).callsFake((asked: { VersionId?: string; VersionStage?: string }) => {
    // As Secrets Manager: neither a version nor a stage means AWSCURRENT.
    const input =
      asked.VersionId === undefined && asked.VersionStage === undefined ? { VersionStage: 'AWSCURRENT' } : asked;
    const found = [...versions].find(
      ([id, v]) =>
        v.value !== undefined &&
        (input.VersionId === undefined || id === input.VersionId) &&
        (input.VersionStage === undefined || v.stages.includes(input.VersionStage)),
    );
    if (!found) throw new ResourceNotFoundException({ message: 'no such version', $metadata: {} });
    return { VersionId: found[0], SecretString: found[1].value };
  });
  sm.on(PutSecretValueCommand).callsFake(
    (input: { ClientRequestToken: string; SecretString: string; VersionStages: string[] }) => {
      versions.set(input.ClientRequestToken, { value: input.SecretString, stages: input.VersionStages });
      return {};
    },
  );
  sm.on(UpdateSecretVersionStageCommand).callsFake(
    (input: { VersionStage: string; MoveToVersionId: string; RemoveFromVersionId?: string }) => {
      for (const v of versions.values()) v.stages = v.stages.filter((s) => s !== input.VersionStage);
      versions.get(input.MoveToVersionId)!.stages.push(input.VersionStage);
      return {};
    },
  );
  sm.on(GetRandomPasswordCommand).callsFake(() => ({ RandomPassword: passwords.shift() }));

  api.on(GetRoutesCommand).callsFake(() => ({
    Items: [...routes].map(([RouteKey, r]) => ({ RouteKey, RouteId: r.id, Target: r.target })),
  }));
  api.on(CreateRouteCommand).callsFake((input: { RouteKey: string; Target: string }) => {
    const id = `r${++ids}`;
    routes.set(input.RouteKey, { id, target: input.Target });
    return { RouteId: id, RouteKey: input.RouteKey };
  });
  api.on(UpdateRouteCommand).callsFake((input: { RouteId: string; Target: string }) => {
    for (const route of routes.values()) if (route.id === input.RouteId) route.target = input.Target;
    return {};
  });
  api.on(DeleteRouteCommand).callsFake((input: { RouteId: string }) => {
    const key = [...routes].find(([, r]) => r.id === input.RouteId)?.[0];
    if (key === undefined) throw new NotFoundException({ message: 'no such route', $metadata: {} });
    routes.delete(key);
    return {};
  });
  api.on(UpdateStageCommand).callsFake((input: { RouteSettings?: Record<string, unknown> }) => {
    for (const [key, settings] of Object.entries(input.RouteSettings ?? {})) routeSettings.set(key, settings);
    return {};
  });
  api.on(DeleteRouteSettingsCommand).callsFake((input: { RouteKey: string }) => {
    routeSettings.delete(input.RouteKey);
    return {};
  });

  /** Fills the integration's attribute template as API Gateway does, an absent header as the empty string. */
  const attributesFor = (path: string, headers: Readonly<Record<string, string>>, n: number) => {
    // The signed configuration's template: its signature headers are filled as API Gateway would, empty when absent.
    const template = JSON.parse(messageAttributesTemplate({ verifySignatures: true })) as Record<
      string,
      { StringValue: string }
    >;
    const fill = (text: string) =>
      text.replace(/\$\{([^}]+)\}/g, (_, source: string) => {
        if (source === 'context.path') return path;
        if (source === 'context.requestTimeEpoch') return String(Date.now());
        if (source === 'context.requestId') return `req-${n}`;
        if (source.startsWith('request.header.')) return headers[source.slice('request.header.'.length)] ?? '';
        throw new Error(`the fake API does not know ${source}`);
      });
    return Object.fromEntries(
      Object.entries(template).map(([name, a]) => [name, { stringValue: fill(a.StringValue) }]),
    );
  };

  return {
    secrets: new SecretsManagerClient({}),
    apis: new ApiGatewayV2Client({}),
    routes,
    routeSettings,
    queue,
    nextPassword: (token) => passwords.push(token),
    beginRotation: (versionId) => versions.set(versionId, { stages: ['AWSPENDING'] }),
    post(rawPath, body, headers = {}) {
      // Routes match the path alone; SQS refuses an empty message body, and API Gateway passes its 400 on.
      const path = rawPath.split('?')[0]!;
      const route = routes.get(`POST ${path}`);
      if (route !== undefined && body === '') return 400;
      if (route === undefined || route.target !== `integrations/${INTEGRATION_ID}`) return 404;
      const n = queue.length + 1;
      queue.push({ messageId: `m-${n}`, body, messageAttributes: attributesFor(path, headers, n) });
      return 202;
    },
    restore() {
      sm.restore();
      api.restore();
    },
  };
}
