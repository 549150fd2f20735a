import type { AuditRecord } from '../archive';
import { decodeSlackAction } from '../chat';
import type { Logger } from '../observability';
import { type ActingDestination, type ActionDeps, performAction } from './act';
import { MAX_INTERACTIVITY_BODY_BYTES, parseSlackClick } from './interaction';
import type { ReplayStore } from './replay-store';
import { SLACK_SIGNATURE_MAX_AGE_MS, verifySlackSignature } from './slack-signature';

/** The path Slack calls, locally and deployed. */
export const INTERACTIVITY_PATH = '/slack/interactivity';

/** An app-mode destination the route may act for: its channel, its signing secret and its Web API. */
export interface AppDestination extends ActingDestination {
  readonly channel: string;
  readonly signingSecret: string;
}

/**
 * What became of a request, counted (a metric deployed, the inspector locally) and never logged with its body:
 * `refused` is a 401 (unsigned, stale, a wrong signature, a replay); `ignored` a signed request the relay did not
 * render a button for, or for a channel that is not the signing destination's.
 */
export const INTERACTIVITY_OUTCOMES = ['acted', 'refused', 'ignored', 'failed'] as const;
export type InteractivityOutcome = (typeof INTERACTIVITY_OUTCOMES)[number];

export interface InteractivityDeps extends ActionDeps {
  /** The app-mode destinations, their secrets read (and cached by the caller). */
  readonly destinations: () => Promise<readonly AppDestination[]>;
  readonly replays: ReplayStore;
  readonly logger: Logger;
  /** Told of each request's outcome, and of each action done. */
  readonly count: (outcome: InteractivityOutcome, record?: AuditRecord) => void;
}

export interface InteractivityRequest {
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Undefined when the body was over {@link MAX_INTERACTIVITY_BODY_BYTES} (refused unread). */
  readonly body: Buffer | undefined;
  /**
   * Told why a request is refused (`unsigned`, `stale`, `mismatch`, `replay`, `too_large`), for a log that says so
   * at most once a minute; never its body or signature. @default nothing logged: the refusal is counted
   */
  readonly refused?: (reason: string) => void;
}

export interface InteractivityAnswer {
  readonly statusCode: number;
  readonly body: string;
  /** What to do after answering (Slack waits 3 s for the answer): update the message, post the thread reply. */
  readonly work?: () => Promise<void>;
}

const REFUSED: InteractivityAnswer = { statusCode: 401, body: 'unauthorized' };
const NOTHING: InteractivityAnswer = { statusCode: 200, body: '' };

/**
 * Slack's interactivity request: verified before anything reads the body (signature of one of the app-mode
 * destinations, timestamp within 5 minutes, not seen before), then answered 200 at once with the action as `work`.
 * A button the relay did not render, or a click in another destination's channel, is answered 200 with nothing
 * done: Slack would otherwise show the person an error for a click that is not theirs to fix.
 */
export async function handleInteractivity(
  request: InteractivityRequest,
  deps: InteractivityDeps,
): Promise<InteractivityAnswer> {
  const refuse = (reason: string): InteractivityAnswer => {
    deps.count('refused');
    request.refused?.(reason);
    return REFUSED;
  };
  if (request.body === undefined || request.body.length > MAX_INTERACTIVITY_BODY_BYTES) return refuse('too_large');
  const destinations = await deps.destinations();
  const check = verifySlackSignature(
    destinations.map((d) => ({ destination: d.name, secret: d.signingSecret })),
    { timestamp: request.headers['x-slack-request-timestamp'], signature: request.headers['x-slack-signature'] },
    request.body,
    deps.now(),
  );
  if (!check.ok) return refuse(check.reason);
  const signature = request.headers['x-slack-signature']!;
  if (!(await deps.replays.remember(signature, check.timestampMs + SLACK_SIGNATURE_MAX_AGE_MS)))
    return refuse('replay');
  const click = parseSlackClick(request.body);
  const action = click && decodeSlackAction(click.actionId, click.value);
  // Only a destination whose secret signed the request, and whose channel the click is in.
  const destination =
    click && destinations.find((d) => check.destinations.includes(d.name) && d.channel === click.channelId);
  if (!click || !action || !destination) {
    deps.count('ignored');
    deps.logger.log('warn', 'ignored a signed Slack request for no button of the relay', {
      reason: !click ? 'not_a_click' : !action ? 'unknown_button' : 'other_channel',
      ...(destination ? { destination: destination.name } : {}),
    });
    return NOTHING;
  }
  return {
    ...NOTHING,
    work: async () => {
      try {
        const record = await performAction(action, click, destination, deps);
        deps.count('acted', record);
        deps.logger.log('info', 'acted on a Slack button', { destination: destination.name, reason: action.name });
      } catch (error) {
        deps.count('failed');
        deps.logger.log('error', 'a Slack button was not acted on in full', {
          destination: destination.name,
          reason: action.name,
          errorName: error instanceof Error ? error.name : typeof error,
        });
      }
    },
  };
}
