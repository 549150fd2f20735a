import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DETAIL_LEVELS, type DetailLevel, type DestinationKind, type RelayConfig } from '../../config';
import { isPreview, kindLabel } from '../../chat';
import { type DeadLetterSink, FileDeadLetterStore } from '../../delivery';
import type { Logger } from '../../observability';
import { decodeQueuedEvent } from '../../paubox';
import { isDigestView } from '../../alerts';
import { isSampleName, postSample, sampleBody, SAMPLES } from '../samples';
import type { LocalDestination } from '../fanout';
import { decodePathSegment } from '../webhook-http';
import type { DeadLetters, InspectorState, Preview, SlackActionsReport } from './api-types';
import { FAVICON_SVG, pageAssets, pageHtml } from './assets';
import { configReport, hostOf } from './config-report';
import { Feed, givenKey, hostAllowed, isSafeMethod, keyMatches, originAllowed, readJson, send, sendJson } from './http';
import { alertPreview, digestPreview, displayDetailOf, eventFacts } from './previews';
import { routingDecisions } from './routing-report';
import { InspectorStore } from './store';
import { handleSilences } from './silences-api';
import type { SilenceStore } from '../../sending';

export interface InspectorOptions {
  readonly config: RelayConfig;
  /** Where the config came from: a path is checked again on each look, to show problems of later edits. */
  readonly configSource?: string;
  readonly destinations: readonly LocalDestination[];
  readonly fingerprintKey: string;
  readonly deadLetters: DeadLetterSink;
  /** Puts a dead letter's body back on its destination's queue. */
  readonly redrive: (destination: string, body: string) => boolean;
  /** The relay's webhook URL, for "send sample". */
  readonly webhookUrl: () => string;
  readonly signingSecret?: string;
  readonly logger: Logger;
  /** @default 32 random bytes, hex */
  readonly key?: string;
  /** The silences it lists, adds and ends; without them, `/api/silences` answers 404. */
  readonly silences?: { readonly store: SilenceStore; readonly now: () => number };
  /** What Slack's buttons did (`/api/slack-actions`). */
  readonly slackActions?: () => Promise<SlackActionsReport>;
}

export const INSPECTOR_PATH = '/inspector';
const MAX_DEAD_LETTERS_SHOWN = 200;

/**
 * The inspector of the local relay: a page, under {@link INSPECTOR_PATH} on a loopback listener, that shows each
 * webhook, its routing, its deliveries and the chat bodies, live. Every request needs the per-run key.
 */
export class Inspector {
  readonly key: string;
  readonly store: InspectorStore;
  private readonly feed = new Feed();
  private readonly displayDetail: DetailLevel;
  private deadLetterCount = -1;

  constructor(private readonly options: InspectorOptions) {
    this.key = options.key ?? randomBytes(32).toString('hex');
    const { config } = options;
    this.displayDetail = displayDetailOf(config.destinations);
    const policies = new Map(options.destinations.map((d) => [d.name, d.policy]));
    this.store = new InspectorStore({
      destinations: options.destinations.map((d) => {
        const configured = config.destinations.find((c) => c.name === d.name);
        const host = hostOf(configured?.url);
        return {
          name: d.name,
          kind: this.previewKind(d),
          platform: kindLabel(configured?.kind),
          ...(this.isPreviewed(d) ? { previewed: true } : {}),
          detail: d.detail,
          ...(host !== undefined ? { host } : {}),
        };
      }),
      route: (event) => routingDecisions(event, config, policies),
      facts: (event) => eventFacts(event, this.displayDetail, options.fingerprintKey),
    });
    this.store.subscribe((change) => {
      for (const receipt of change.receipts) this.feed.send('receipt', receipt);
      if (!change.health) return;
      const health = this.store.health();
      this.feed.send('health', health);
      const dead = health.reduce((sum, h) => sum + h.deadLettered, 0);
      if (dead !== this.deadLetterCount) {
        this.deadLetterCount = dead;
        void this.pushDeadLetters();
      }
    });
  }

  /** Answers a request whose path starts with {@link INSPECTOR_PATH}, on a listener bound to loopback at `port`. */
  handle(req: IncomingMessage, res: ServerResponse, port: number): void {
    const url = new URL(req.url ?? '/', 'http://inspector.invalid');
    if (!hostAllowed(req.headers.host, port)) {
      send(res, 403, 'text/plain; charset=utf-8', 'the inspector answers only at 127.0.0.1, localhost or [::1]\n');
      return;
    }
    if (!keyMatches(givenKey(req, url), this.key)) {
      send(res, 401, 'text/plain; charset=utf-8', 'open the "Inspector:" URL that the relay printed when it started\n');
      return;
    }
    if (!isSafeMethod(req.method) && !originAllowed(req)) {
      send(res, 403, 'text/plain; charset=utf-8', 'refused: a change must come from the inspector page itself\n');
      return;
    }
    this.route(req, res, url).catch((error: unknown) => {
      this.options.logger.log('error', 'inspector request failed', {
        errorName: error instanceof Error ? error.name : typeof error,
      });
      if (!res.headersSent)
        sendJson(res, 500, { error: 'internal', message: 'the inspector could not answer; see the relay log' });
      else res.destroy();
    });
  }

  close(): void {
    this.feed.close();
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.slice(INSPECTOR_PATH.length);
    const get = req.method === 'GET' || req.method === 'HEAD';
    const { silences, slackActions } = this.options;
    if (get && path === '') {
      send(res, 302, 'text/plain; charset=utf-8', '', { location: `${INSPECTOR_PATH}/?key=${this.key}` });
    } else if (get && path === '/') {
      send(res, 200, 'text/html; charset=utf-8', pageHtml(this.key));
    } else if (get && (path === '/app.js' || path === '/app.css')) {
      const assets = await pageAssets();
      if (path === '/app.js') send(res, 200, 'text/javascript; charset=utf-8', assets.js);
      else send(res, 200, 'text/css; charset=utf-8', assets.css);
    } else if (get && path === '/favicon.svg') {
      send(res, 200, 'image/svg+xml', FAVICON_SVG);
    } else if (get && path === '/api/state') {
      sendJson(res, 200, await this.state());
    } else if (get && path === '/api/feed') {
      this.feed.open(req, res, [['health', this.store.health()]]);
    } else if (get && path === '/api/preview') {
      const preview = this.preview(url.searchParams);
      if (preview) sendJson(res, 200, preview);
      else
        sendJson(res, 404, {
          error: 'not_found',
          message: 'no such event or destination (the inspector keeps the latest ones)',
        });
    } else if (req.method === 'POST' && path.startsWith('/api/samples/')) {
      const name = decodePathSegment(path.slice('/api/samples/'.length));
      if (name === undefined) {
        // The caller's mistake, not the inspector's: no error logged.
        sendJson(res, 400, { error: 'bad_request', message: 'malformed percent-escape in the sample name' });
        return;
      }
      if (!isSampleName(name)) sendJson(res, 404, { error: 'not_found', message: `samples: ${SAMPLES.join(', ')}` });
      else
        sendJson(
          res,
          200,
          await postSample(this.options.webhookUrl(), sampleBody(name, false), 15_000, this.options.signingSecret),
        );
    } else if (req.method === 'POST' && path === '/api/redrive') {
      const body = (await readJson(req).catch(() => undefined)) as
        | { destination?: unknown; eventKey?: unknown }
        | undefined;
      if (typeof body?.destination !== 'string' || (body.eventKey !== undefined && typeof body.eventKey !== 'string')) {
        sendJson(res, 400, { error: 'bad_request', message: 'expected {"destination": name, "eventKey"?: key}' });
        return;
      }
      sendJson(res, 200, await this.redrive(body.destination, body.eventKey as string | undefined));
    } else if (silences && (path === '/api/silences' || path.startsWith('/api/silences/'))) {
      await handleSilences(req, res, path, silences.store, silences.now);
    } else if (get && slackActions && path === '/api/slack-actions') {
      sendJson(res, 200, await slackActions());
    } else {
      sendJson(res, 404, { error: 'not_found' });
    }
  }

  private async state(): Promise<InspectorState> {
    return {
      displayDetail: this.displayDetail,
      samples: [...SAMPLES],
      receipts: this.store.receipts(),
      health: this.store.health(),
      deadLetters: await this.deadLetters(),
      config: configReport(this.options.config, this.options.configSource),
    };
  }

  private preview(params: URLSearchParams): Preview | undefined {
    const source = this.store.source(Number(params.get('receipt')));
    const destination = this.options.destinations.find((d) => d.name === params.get('destination'));
    if (!source || !destination) return undefined;
    const asked = params.get('detail');
    const detail = DETAIL_LEVELS.find((level) => level === asked) ?? destination.detail;
    const kind = this.previewKind(destination);
    const timeZone = this.options.config.display?.timeZone;
    const alert = alertPreview(
      source.event,
      {
        destination: destination.name,
        kind,
        ...(destination.followUps ? { app: true } : {}),
        detail,
        cap: this.displayDetail,
        fingerprintKey: this.options.fingerprintKey,
        ...(timeZone !== undefined ? { timeZone } : {}),
      },
      source.extras.get(destination.name),
    );
    const sent = source.digests.get(destination.name);
    const digestView = sent && isDigestView(sent) ? sent : undefined;
    const digestBody = digestView ? digestPreview(kind, digestView) : undefined;
    return {
      destination: destination.name,
      detail,
      configuredDetail: destination.detail,
      masked: alert.masked,
      ...(this.isPreviewed(destination) ? { previewed: true } : {}),
      alert: alert.body,
      ...(digestView && digestBody
        ? { digest: { key: digestView.key, count: digestView.count, body: digestBody } }
        : {}),
    };
  }

  /** The platform of a destination's previews: its configured kind, URL or not; the console when none is known. */
  private previewKind(destination: LocalDestination): DestinationKind {
    return this.options.config.destinations.find((c) => c.name === destination.name)?.kind ?? destination.sender.kind;
  }

  private isPreviewed(destination: LocalDestination): boolean {
    const configured = this.options.config.destinations.find((c) => c.name === destination.name);
    return configured !== undefined && isPreview(configured);
  }

  private async deadLetters(): Promise<DeadLetters> {
    const sink = this.options.deadLetters;
    if (!(sink instanceof FileDeadLetterStore)) return { readable: false, letters: [] };
    const letters = await sink.list();
    return {
      readable: true,
      letters: letters
        .sort((a, b) => b.failedAt.localeCompare(a.failedAt))
        .slice(0, MAX_DEAD_LETTERS_SHOWN)
        // Never the body: it is the event itself.
        .map(({ destination, eventKey, eventType, reason, status, failedAt }) => ({
          destination,
          eventKey,
          eventType,
          reason,
          ...(status !== undefined ? { status } : {}),
          failedAt,
        })),
    };
  }

  private async pushDeadLetters(): Promise<void> {
    try {
      this.feed.send('dead-letters', await this.deadLetters());
    } catch (error) {
      this.options.logger.log('warn', 'inspector could not read the dead letters', {
        errorName: (error as Error).name,
      });
    }
  }

  /** Moves the destination's dead letters (or the one of `eventKey`) back to its queue, as `redrive` does in AWS. */
  private async redrive(destination: string, eventKey: string | undefined): Promise<{ moved: number }> {
    const sink = this.options.deadLetters;
    if (!(sink instanceof FileDeadLetterStore)) return { moved: 0 };
    if (!this.options.destinations.some((d) => d.name === destination)) return { moved: 0 };
    const moved = await sink.move(
      destination,
      // A letter whose body is not an event stays where it is: it could not be posted anyway.
      (letter) =>
        (eventKey === undefined || letter.eventKey === eventKey) && decodeQueuedEvent(letter.body) !== undefined,
      (letters) => {
        for (const letter of letters) this.options.redrive(destination, letter.body);
      },
    );
    void this.pushDeadLetters();
    return { moved: moved.length };
  }
}

/** A listener of the inspector's own on 127.0.0.1 (a free port), for a relay that listens beyond loopback. */
export async function listenOnLoopback(inspector: Inspector): Promise<{ server: Server; origin: string }> {
  let port = 0;
  const server = createServer((req, res) => inspector.handle(req, res, port));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return { server, origin: `http://127.0.0.1:${port}` };
}
