import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AuditRecord, FileAuditLog } from '../archive';
import { slackAppCredentials, slackWebApi } from '../chat';
import {
  type AppDestination,
  FileReplayStore,
  handleInteractivity,
  type InteractivityOutcome,
  MAX_INTERACTIVITY_BODY_BYTES,
} from '../interactivity';
import type { SlackActionsReport } from './inspector/api-types';
import type { LocalSending } from './local-sending';
import type { LocalRelayOptions } from './relay-types';
import { refusalLog } from './refusal-log';
import { readBody, singleHeaders } from './webhook-http';

export interface LocalInteractivity {
  /** Answers `POST /slack/interactivity`; the action runs after the answer is sent. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  report(): Promise<SlackActionsReport>;
  /** Resolves once the actions under way are done. */
  idle(): Promise<void>;
  /** Writes the refusals still counted, and stops their timer. */
  close(): void;
}

/** What the relay made that the route shares. */
export interface InteractivityParts {
  /** Where the action lines go, under `audit/`. */
  readonly archiveDir: string;
  readonly sending: LocalSending;
  readonly timeoutMs: number;
}

/**
 * The local relay's interactivity route, for the destinations with a `channel`: their credentials read from `env`
 * at start (RELAY_SLACK_SIGNING_SECRET[_<NAME>], RELAY_SLACK_BOT_TOKEN[_<NAME>], SLACK_API_BASE_URL), seen
 * signatures kept in `<dataDir>/slack-signatures.json`, silences in the relay's own store and actions in
 * `<archive>/audit/`. A destination without a signing secret has its buttons refused, and says so at start.
 */
export function localInteractivity(relay: LocalRelayOptions, options: InteractivityParts): LocalInteractivity {
  const { config, logger } = relay;
  const env = relay.env ?? {};
  const timeZone = config.display?.timeZone;
  const destinations: AppDestination[] = config.destinations.flatMap((d) => {
    if (d.channel === undefined) return [];
    const credentials = slackAppCredentials({ name: d.name, channel: d.channel }, { env });
    if (credentials.signingSecret === undefined) {
      logger.log('warn', 'no Slack signing secret: the buttons of this destination are refused', {
        destination: d.name,
        reason: 'set RELAY_SLACK_SIGNING_SECRET (or one for this destination) to the app\u2019s Signing Secret',
      });
      return [];
    }
    const api = slackWebApi({
      token: credentials.botToken,
      baseUrl: credentials.apiBaseUrl,
      timeoutMs: options.timeoutMs,
    });
    return [{ name: d.name, channel: credentials.channel, signingSecret: credentials.signingSecret, api }];
  });
  const audit = new FileAuditLog(options.archiveDir);
  const replays = new FileReplayStore(relay.dataDir, options.sending.now);
  const counts: Record<InteractivityOutcome, number> = { acted: 0, refused: 0, ignored: 0, failed: 0 };
  const running = new Set<Promise<void>>();
  // As wrong webhook tokens are: the first refusal logged at once, then at most one line a minute with the count.
  const refusals = refusalLog(logger, undefined, 'Slack interactivity requests (unsigned, stale, forged or replayed)');
  const deps = {
    destinations: async () => destinations,
    replays,
    silences: options.sending.silences,
    rates: options.sending.rateAlerts(),
    audit: (record: AuditRecord) => audit.append(record),
    now: options.sending.now,
    ...(timeZone !== undefined ? { timeZone } : {}),
    logger,
    count: (outcome: InteractivityOutcome) => {
      counts[outcome] += 1;
    },
  };
  return {
    handle(req, res) {
      const answer = (status: number, body: string): void => {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(body);
      };
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        answer(405, 'use POST');
        return;
      }
      void (async () => {
        const body = await readBody(req, MAX_INTERACTIVITY_BODY_BYTES);
        const refused = (reason: string) => refusals.refused(req.socket.remoteAddress, reason);
        const reply = await handleInteractivity({ headers: singleHeaders(req), body, refused }, deps);
        if (body === undefined) res.setHeader('connection', 'close');
        answer(reply.statusCode, reply.body);
        if (!reply.work) return;
        const work = reply.work().finally(() => running.delete(work));
        running.add(work);
      })().catch(() => {
        if (!res.headersSent) answer(400, 'the request could not be read');
        else res.destroy();
      });
    },
    async report() {
      return { counts: { ...counts }, actions: await audit.list() };
    },
    async idle() {
      await Promise.all([...running]);
    },
    close: () => refusals.close(),
  };
}
