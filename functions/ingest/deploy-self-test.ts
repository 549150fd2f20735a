import type { CustomResourceEvent, CustomResourceResult } from '../aws';
import type { Logger } from '../observability';
import { runSelfTest, SelfTestError, type SelfTestDeps } from './self-test';

/** The custom resource's property that changes whenever the accept path does. */
export const ACCEPT_PATH_PROPERTY = 'AcceptPath';
const ID_PREFIX = 'paubox-self-test-';

export interface DeploySelfTestDeps extends Omit<SelfTestDeps, 'webhookUrl'> {
  /** The full webhook URL, with the current token (read from its secret). */
  readonly webhookUrl: () => Promise<string>;
  readonly logger: Logger;
}

type SelfTestEvent = CustomResourceEvent & { readonly ResourceProperties?: Readonly<Record<string, unknown>> };

/**
 * What the deploy's self-test answers CloudFormation. The physical id names the accept path proven: an Update back
 * to it is a rollback to the version that worked (whose accept path may be only half restored when this resource
 * is rolled back, which comes first), and is not tested again, so that a rollback cannot fail on it. Delete has
 * nothing to undo.
 */
export async function deploySelfTest(event: SelfTestEvent, deps: DeploySelfTestDeps): Promise<CustomResourceResult> {
  const acceptPath = String(event.ResourceProperties?.[ACCEPT_PATH_PROPERTY] ?? '');
  const physicalResourceId = `${ID_PREFIX}${acceptPath}`;
  if (event.RequestType === 'Delete') {
    return {
      status: 'SUCCESS',
      reason: 'nothing to undo',
      physicalResourceId: event.PhysicalResourceId ?? physicalResourceId,
    };
  }
  if (event.RequestType === 'Update' && event.PhysicalResourceId === physicalResourceId) {
    return { status: 'SUCCESS', reason: 'this accept path was proven before (a rollback)', physicalResourceId };
  }
  try {
    let webhookUrl: string;
    try {
      webhookUrl = await deps.webhookUrl();
    } catch (error) {
      const name = error instanceof Error ? error.name : typeof error;
      throw new SelfTestError('api', `the token secret could not be read (${name}): check the self-test's grant`);
    }
    const hops = await runSelfTest({ ...deps, webhookUrl });
    const summary = hops.map((h) => `${h.hop} ${h.ms} ms`).join(', ');
    deps.logger.log('info', 'self-test passed', { reason: summary });
    return { status: 'SUCCESS', reason: `self-test passed: ${summary}`, physicalResourceId };
  } catch (error) {
    // The runner's messages are the relay's own: no URL, no token.
    const message = error instanceof SelfTestError ? error.message : 'the self-test failed unexpectedly';
    deps.logger.log('error', 'self-test failed', { reason: message });
    return {
      status: 'FAILED',
      reason:
        `Self-test of the accept path failed at ${message}. Nothing was relayed; the deploy rolls back. See ` +
        'docs/operations.md ("A failed deploy"); set "selfTest": false only where a function cannot reach the internet.',
      physicalResourceId: event.PhysicalResourceId ?? physicalResourceId,
    };
  }
}
