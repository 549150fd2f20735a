import { DestinationCredentialsError } from '../config';
import { slackAppCredentials, slackWebApi } from '../chat';
import type { Logger } from '../observability';
import type { AppDestination } from './handle-interactivity';

/** An app-mode destination as deployed: its channel, and its secret's text read on demand (cached by the caller). */
export interface DeployedAppDestination {
  readonly name: string;
  readonly channel: string;
  readonly secret: () => Promise<string>;
}

/**
 * The destinations the interactivity function may act for: each secret read and its `botToken` and `signingSecret`
 * taken from it. A destination whose secret holds no signing secret yet (or no bot token) is left out and logged,
 * so the others keep working; a request signed for it is then refused like any other.
 */
export async function deployedAppDestinations(
  targets: readonly DeployedAppDestination[],
  options: { readonly apiBaseUrl?: string; readonly timeoutMs: number; readonly logger: Logger },
): Promise<AppDestination[]> {
  const read = await Promise.all(
    targets.map(async (target): Promise<AppDestination | undefined> => {
      try {
        const credentials = slackAppCredentials(
          { name: target.name, channel: target.channel },
          { secret: await target.secret(), ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}) },
        );
        if (credentials.signingSecret === undefined) {
          options.logger.log('warn', 'no signing secret stored: Slack buttons of this destination are refused', {
            destination: target.name,
            reason: `npx paubox-relay set-destination ${target.name} --signing-secret -`,
          });
          return undefined;
        }
        const api = slackWebApi({
          token: credentials.botToken,
          baseUrl: credentials.apiBaseUrl,
          timeoutMs: options.timeoutMs,
        });
        return { name: target.name, channel: target.channel, signingSecret: credentials.signingSecret, api };
      } catch (error) {
        options.logger.log('warn', 'the destination secret could not be used for Slack buttons', {
          destination: target.name,
          errorName: error instanceof Error ? error.name : typeof error,
          ...(error instanceof DestinationCredentialsError ? { reason: 'no bot token stored' } : {}),
        });
        return undefined;
      }
    }),
  );
  return read.filter((d): d is AppDestination => d !== undefined);
}

/** Resolves when `work` settles or `ms` pass, whichever is first: true if it settled. */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
