import type { ApiGatewayV2Client, Route } from '@aws-sdk/client-apigatewayv2';
import { apiGatewayV2Sdk } from '../aws';
import type { Logger } from '../observability';
import { RotationError } from './errors';
import { MIN_TOKEN_LENGTH } from './token-secret';

/**
 * The webhook routes of the deployed HTTP API: one literal route per valid token, `POST /paubox/<token>`, each
 * integrated with the ingest queue. A request whose path holds no valid token matches no route, and API Gateway
 * answers it 404 itself: nothing is queued, no function runs. The routes are made here, never in the template,
 * so that the template holds no token.
 */

export const WEBHOOK_ROUTE_PREFIX = 'POST /paubox/';

/** Secrets Manager generates tokens of letters and digits: characters every route path accepts. */
const TOKEN_SHAPE = new RegExp(`^[A-Za-z0-9]{${MIN_TOKEN_LENGTH},128}$`);

export function webhookRouteKey(token: string): string {
  return `${WEBHOOK_ROUTE_PREFIX}${token}`;
}

/** The token a webhook route stands for; undefined for any other route (the former `{token}` template included). */
export function tokenOfRouteKey(routeKey: string | undefined): string | undefined {
  if (routeKey === undefined || !routeKey.startsWith(WEBHOOK_ROUTE_PREFIX)) return undefined;
  const token = routeKey.slice(WEBHOOK_ROUTE_PREFIX.length);
  return TOKEN_SHAPE.test(token) ? token : undefined;
}

export interface WebhookApi {
  readonly client: ApiGatewayV2Client;
  readonly apiId: string;
  /** The `SQS-SendMessage` integration every webhook route targets. */
  readonly integrationId: string;
  readonly stageName: string;
  /** Each webhook route's own throttle, so that no other traffic of the stage can use it up. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logger: Logger;
}

async function allRoutes(api: WebhookApi): Promise<Route[]> {
  const { GetRoutesCommand } = apiGatewayV2Sdk();
  const routes: Route[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.client.send(
      new GetRoutesCommand({ ApiId: api.apiId, MaxResults: '100', ...(nextToken ? { NextToken: nextToken } : {}) }),
    );
    routes.push(...(page.Items ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return routes;
}

/** `action`, with the SDK error named `errorName` (a route already made, or already gone) taken as done. */
async function ignoring<T>(errorName: string, action: Promise<T>): Promise<T | undefined> {
  try {
    return await action;
  } catch (caught) {
    if (caught instanceof Error && caught.name === errorName) return undefined;
    throw caught;
  }
}

/**
 * Makes the webhook routes exactly those of `tokens`: creates the missing ones (with their throttle), points any
 * that drifted at the integration, and deletes those of tokens no longer valid. Safe to run again at any time.
 *
 * @throws RotationError when a token cannot be a route path (not letters and digits)
 */
export async function syncWebhookRoutes(
  api: WebhookApi,
  tokens: readonly string[],
): Promise<{ created: number; deleted: number }> {
  if (tokens.length === 0) throw new RotationError('no valid token: every webhook route would be deleted');
  for (const token of tokens) {
    if (!TOKEN_SHAPE.test(token)) throw new RotationError(`a token is not ${MIN_TOKEN_LENGTH}+ letters and digits`);
  }
  const { CreateRouteCommand, DeleteRouteCommand, DeleteRouteSettingsCommand, UpdateRouteCommand, UpdateStageCommand } =
    apiGatewayV2Sdk();
  const { client, apiId } = api;
  const target = `integrations/${api.integrationId}`;
  const wanted = new Set(tokens);
  const existing = new Map<string, Route>();
  for (const route of await allRoutes(api)) {
    const token = tokenOfRouteKey(route.RouteKey);
    if (token !== undefined) existing.set(token, route);
  }
  let created = 0;
  let deleted = 0;
  for (const token of wanted) {
    const route = existing.get(token);
    const routeKey = webhookRouteKey(token);
    if (route === undefined) {
      const input = { ApiId: apiId, RouteKey: routeKey, AuthorizationType: 'NONE' as const, Target: target };
      await ignoring('ConflictException', client.send(new CreateRouteCommand(input)));
      created += 1;
    } else if (route.Target !== target) {
      await client.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: route.RouteId, Target: target }));
    }
  }
  // Each route gets its own bucket; set again on every run, as a stack update of the stage may drop it.
  const settings = { ThrottlingRateLimit: api.throttle.rateLimit, ThrottlingBurstLimit: api.throttle.burstLimit };
  await client.send(
    new UpdateStageCommand({
      ApiId: apiId,
      StageName: api.stageName,
      RouteSettings: Object.fromEntries([...wanted].map((token) => [webhookRouteKey(token), settings])),
    }),
  );
  for (const [token, route] of existing) {
    if (wanted.has(token)) continue;
    await ignoring('NotFoundException', client.send(new DeleteRouteCommand({ ApiId: apiId, RouteId: route.RouteId })));
    const forRoute = { ApiId: apiId, StageName: api.stageName, RouteKey: webhookRouteKey(token) };
    await ignoring('NotFoundException', client.send(new DeleteRouteSettingsCommand(forRoute)));
    deleted += 1;
  }
  if (created + deleted > 0) {
    // Counts only: a route key holds a token.
    api.logger.log('info', 'webhook routes changed', {
      count: created,
      reason: `created ${created}, deleted ${deleted}`,
    });
  }
  return { created, deleted };
}
