import { type CustomResourceEvent, type CustomResourceResult, isCustomResourceEvent } from '../aws';
import { keepWebhookRoutes, type RotationDeps, type RotationEvent, rotateTokenStep } from './token-rotation';

/** The physical id of the custom resource that makes the webhook routes at deploy. */
export const WEBHOOK_ROUTES_RESOURCE_ID = 'paubox-webhook-routes';

export interface TokenEventDeps extends RotationDeps {
  /** The token secret: rotation events name it themselves, the schedule and the custom resource do not. */
  readonly tokenSecretArn: string;
  readonly respond: (event: CustomResourceEvent, result: CustomResourceResult) => Promise<void>;
}

function isRotationEvent(event: unknown): event is RotationEvent {
  const e = event as Partial<RotationEvent> | null;
  return typeof e?.Step === 'string' && typeof e.SecretId === 'string' && typeof e.ClientRequestToken === 'string';
}

/** The error's name only: an SDK message could quote a route key, which holds a token. */
const nameOf = (error: unknown): string => (error instanceof Error ? error.name : typeof error);

/**
 * Fails as `work` does, but with the error's name only, logged and thrown: the Lambda runtime writes a thrown error's
 * message to the log group, and an SDK message could quote a route key.
 */
async function withoutQuotedTokens(work: Promise<void>, deps: TokenEventDeps, message: string): Promise<void> {
  try {
    await work;
  } catch (error) {
    const errorName = nameOf(error);
    deps.logger.log('error', message, { errorName });
    throw new Error(`${errorName}; see the rotate-token function's log group`);
  }
}

/**
 * What the token function is invoked with: a rotation step (Secrets Manager), the custom resource that makes the
 * webhook routes at deploy (CloudFormation), or the schedule that deletes a route once its token's overlap ends.
 */
export async function handleTokenEvent(event: unknown, deps: TokenEventDeps): Promise<void> {
  if (isRotationEvent(event))
    return withoutQuotedTokens(rotateTokenStep(event, deps), deps, 'token rotation step failed');
  if (!isCustomResourceEvent(event)) {
    return withoutQuotedTokens(keepWebhookRoutes(deps.tokenSecretArn, deps), deps, 'could not keep the webhook routes');
  }
  let result: CustomResourceResult = {
    status: 'SUCCESS',
    // Deleting the API deletes its routes: nothing to do on Delete.
    reason: event.RequestType === 'Delete' ? 'the webhook routes go with the API' : 'webhook routes made',
    physicalResourceId: WEBHOOK_ROUTES_RESOURCE_ID,
  };
  if (event.RequestType !== 'Delete') {
    try {
      await keepWebhookRoutes(deps.tokenSecretArn, deps);
    } catch (error) {
      const errorName = nameOf(error);
      deps.logger.log('error', 'could not make the webhook routes', { errorName });
      // An SDK message could quote a route key, which holds a token: the stack events get the error's name only.
      result = { ...result, status: 'FAILED', reason: `${errorName}; see the rotate-token function's log group` };
    }
  }
  await deps.respond(event, result);
}
