import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../delivery/clock';
import type { RelayConfig } from '../config/relay-config';
import { MemoryDedupStore, type DedupStore } from '../delivery/dedup';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../delivery/retry';
import { PayloadTooLargeError } from '../ingest/errors';
import { errorResponse, handleWebhook, MAX_BODY_BYTES } from '../ingest/handle-webhook';
import type { Logger } from '../observability/logger';
import { filterPolicyFor } from '../routing/filter-policy';
import { DEFAULT_SEND_TIMEOUT_MS } from '../chat/alert-sender';
import { createDestinationSender } from '../chat/destination-sender';
import type { NotifierMetric } from '../delivery/notify-batch';
import { parseSigningSecret } from '../paubox/signature';
import { LocalFanout, type LocalDestination } from './fanout';
import { FileDeadLetterStore, type DeadLetterSink } from '../delivery/dead-letters';
import { type FailureCounter, MemoryFailureCounter } from '../delivery/failure-counts';
import { cachedLookup, fetchDeliveryStatus } from '../paubox/message-receipt';
import { DEFAULT_ENRICHMENT_TIMEOUT_MS } from '../delivery/notify/enrich';
import { LocalJournal } from './journal';
import type { RelayEvent } from '../paubox/relay-event';
import { Inspector, INSPECTOR_PATH, listenOnLoopback } from './inspector/inspector';
import { guardObserver, observedSender } from './observer';
import { archiveDirOf, archiveEvent, FileArchive } from '../archive/file-archive';
import { recordDetail } from '../config/record-config';
import type { HealthMonitor } from '../health/health-monitor';
import { localHealthMonitor, localQuarantine, startProbing, watchOutcome } from './local-health';
import { HEADERS_TIMEOUT_MS, refuseUnread, REQUEST_TIMEOUT_MS } from './webhook-gate';

export interface LocalRelayOptions {
  /** Validated in `local` mode; a chat destination without a URL is previewed on the console. */
  readonly config: RelayConfig;
  readonly token: string;
  /** A `whsec_…` Standard Webhooks secret: when given, every webhook must be signed with it. */
  readonly signingSecret?: string;
  readonly fingerprintKey: string;
  readonly logger: Logger;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @default 3000 */
  readonly port?: number;
  /** Where console destinations print. @default process.stdout */
  readonly write?: (text: string) => void;
  /** @default DEFAULT_SEND_TIMEOUT_MS */
  readonly sendTimeoutMs?: number;
  /**
   * Where dead letters are kept (`<dataDir>/dead-letters/<destination>.jsonl`) and, when given, the journal of
   * accepted events (`<dataDir>/journal.jsonl`): without it, accepted events live in memory only.
   * @default '.relay-data', without a journal
   */
  readonly dataDir?: string;
  /** Where every accepted event is kept. @default a FileArchive in `<dataDir>/archive`, at the config's level */
  readonly archive?: Pick<FileArchive, 'append'>;
  /** @default a FileDeadLetterStore in dataDir */
  readonly deadLetters?: DeadLetterSink;
  /** @default a fresh MemoryDedupStore */
  readonly dedup?: DedupStore;
  /** @default DEFAULT_RETRY_POLICY */
  readonly retryPolicy?: RetryPolicy;
  /** As the queue's maxReceiveCount in AWS. @default 5 */
  readonly maxReceiveCount?: number;
  /** As the queue's visibility timeout. @default 1000 */
  readonly redeliveryDelayMs?: number;
  /** As the notifier's Lambda timeout. @default 30000 */
  readonly invocationBudgetMs?: number;
  /** Receives the notifier's counters, as CloudWatch does in AWS. */
  readonly metric?: (destination: string, name: NotifierMetric, value: number) => void;
  /** The clock of batching windows, pacing, retries and redelivery. @default systemClock */
  readonly clock?: Clock;
  /** Paubox's Email API, to show why a message failed. @default none: no lookups */
  readonly paubox?: { readonly apiBaseUrl: string; readonly apiKey: string };
  /** Counts each recipient's failures in 24 h. @default a fresh MemoryFailureCounter */
  readonly failureCounter?: FailureCounter;
  /** Serve the inspector page (on loopback only, behind a per-run key). @default true */
  readonly inspector?: boolean;
  /** Where the config came from (a path, or words), for the inspector. */
  readonly configSource?: string;
  /** How long after a part's first failure its health notice is sent, so a burst makes one notice. @default 2000 */
  readonly healthSettleMs?: number;
  /** Raise relay health notices from dead letters, quarantined webhooks and probes. @default true */
  readonly healthNotices?: boolean;
  /** Probe every destination silently at start and every `health.probeMinutes` (`serve` does). @default false */
  readonly probeDestinations?: boolean;
}

export interface LocalRelay {
  /** `http://host:port` */
  readonly baseUrl: string;
  /** The URL to give Paubox (or `send-sample`): base URL, `/paubox/`, token. */
  readonly webhookUrl: string;
  readonly destinations: readonly LocalDestination[];
  /** Raises relay health notices from the relay's own outcomes. */
  readonly health: HealthMonitor;
  /** Alerts accepted but not yet posted or dead-lettered (journaled relays only; else 0). */
  pendingAlerts(): number;
  /** The inspector page, with its per-run key: print it for the person who started the relay, never log it. */
  readonly inspectorUrl?: string;
  /** Resolves once every accepted event has been handled by every destination it was routed to. */
  idle(): Promise<void>;
  /** Stops accepting, delivers everything accepted, then closes. */
  close(): Promise<void>;
  /**
   * Stops at once (Ctrl-C): refuses new webhooks, ends batches under way within `graceMs`, and keeps what was not
   * posted in the journal for the next start. Resolves with the number of alerts left pending.
   */
  stop(graceMs?: number): Promise<number>;
}

/** How long stop() lets a post already on its way finish. */
export const STOP_GRACE_MS = 1500;

const WEBHOOK_PATH = /^\/paubox\/([^/?#]+)\/?$/;

/** A malformed percent-escape is just a wrong token, not a server error. */
function decodeToken(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function reply(res: ServerResponse, statusCode: number, body: unknown): void {
  res.writeHead(statusCode, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Reads at most `limit` bytes; undefined when the body is larger (the rest is not read). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Node gives header names in lower case, as API Gateway does; repeated headers are not used for anything. */
function singleHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
  return headers;
}

function isLoopbackAddress(address: string): boolean {
  return address === '::1' || /^127\./.test(address) || address === '::ffff:127.0.0.1';
}

/** Serves the same ingest code as the Lambda, with the in-process fan-out in place of SNS and SQS. */
export async function startLocalRelay(options: LocalRelayOptions): Promise<LocalRelay> {
  const { config, logger } = options;
  const timeoutMs = options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  const destinations: LocalDestination[] = config.destinations.flatMap((d) => {
    const policy = filterPolicyFor(d.name, config.routes);
    if (!policy) return [];
    const sender = createDestinationSender(d.kind, d.url, { timeoutMs, write: options.write });
    return [
      {
        name: d.name,
        detail: d.detail,
        policy,
        sender,
        digest: d.digest,
        ...(d.messagesPerSecond !== undefined ? { messagesPerSecond: d.messagesPerSecond } : {}),
      },
    ];
  });
  const { paubox } = options;
  const deliveryStatus = paubox
    ? cachedLookup((id) =>
        fetchDeliveryStatus(
          { baseUrl: paubox.apiBaseUrl, apiKey: async () => paubox.apiKey, timeoutMs: DEFAULT_ENRICHMENT_TIMEOUT_MS },
          id,
        ),
      )
    : undefined;
  const journal = options.dataDir === undefined ? undefined : await LocalJournal.open(options.dataDir);
  const dedup = options.dedup ?? new MemoryDedupStore();
  // What was posted before a restart is not posted again, even if Paubox sends the same webhook twice.
  for (const outcome of journal?.outcomes() ?? []) await dedup.confirm(outcome.destination, outcome.key, outcome.state);
  let webhookUrl = '';
  const deadLetters = options.deadLetters ?? new FileDeadLetterStore(options.dataDir ?? '.relay-data');
  const inspector =
    options.inspector === false
      ? undefined
      : new Inspector({
          config,
          ...(options.configSource !== undefined ? { configSource: options.configSource } : {}),
          destinations,
          fingerprintKey: options.fingerprintKey,
          deadLetters,
          redrive: (destination, body) => fanout.redrive(destination, body),
          webhookUrl: () => webhookUrl,
          ...(options.signingSecret !== undefined ? { signingSecret: options.signingSecret } : {}),
          logger,
        });
  const observer = inspector ? guardObserver(inspector.store, logger) : undefined;
  const health = localHealthMonitor(config, destinations, () => fanout, logger, options.healthSettleMs);
  const keepUnreadable = localQuarantine(options.dataDir ?? '.relay-data', health);
  const fanout: LocalFanout = new LocalFanout({
    destinations: observer
      ? destinations.map((d) => ({ ...d, sender: observedSender(d.name, d.sender, observer) }))
      : destinations,
    enrichment: {
      failureCounter: options.failureCounter ?? new MemoryFailureCounter(),
      ...(deliveryStatus ? { deliveryStatus } : {}),
    },
    ...(config.display ? { timeZone: config.display.timeZone } : {}),
    fingerprintKey: options.fingerprintKey,
    logger,
    dedup,
    deadLetters,
    retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
    sendTimeoutMs: timeoutMs,
    maxReceiveCount: options.maxReceiveCount ?? 5,
    redeliveryDelayMs: options.redeliveryDelayMs ?? 1000,
    invocationBudgetMs: options.invocationBudgetMs ?? 30_000,
    metric: options.metric,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(journal ? { journal } : {}),
    ...(observer ? { observer } : {}),
    ...(options.healthNotices === false
      ? {}
      : { onOutcome: (destination, outcome) => watchOutcome(health, destination, outcome) }),
  });
  const archive =
    options.archive ??
    new FileArchive(archiveDirOf(options.dataDir ?? '.relay-data'), {
      detail: recordDetail(config),
      fingerprintKey: options.fingerprintKey,
    });
  // Every accepted event, of all four types, is archived (what the topic's archive does in AWS), once the fan-out
  // has it journaled: the journal is what makes it accepted.
  const publisher = {
    publish: async (...args: Parameters<LocalFanout['publish']>) => {
      await fanout.publish(...args);
      await archiveEvent(archive, args[0], logger);
    },
  };
  if (journal) fanout.replay(journal.pending());
  const expectedTokens = async () => [options.token];
  // Checked at start-up, so a wrong secret fails `npm start` rather than every webhook.
  const key = options.signingSecret === undefined ? undefined : parseSigningSecret(options.signingSecret);
  const signingKey = key === undefined ? undefined : async () => key;

  const isInspectorPath = (path: string): boolean => path === INSPECTOR_PATH || path.startsWith(`${INSPECTOR_PATH}/`);
  // Set once listening, and only when this listener is on loopback: the inspector is then served here.
  let inspectorHere: number | undefined;
  const handle = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (inspector && inspectorHere !== undefined && isInspectorPath(path)) {
      inspector.handle(req, res, inspectorHere);
      return;
    }
    if (path === '/health') {
      reply(
        res,
        req.method === 'GET' ? 200 : 405,
        req.method === 'GET' ? { status: 'ok' } : { error: 'method_not_allowed' },
      );
      return;
    }
    const match = WEBHOOK_PATH.exec(path);
    if (!match) {
      reply(res, 404, { error: 'not_found', message: 'webhooks are accepted at POST /paubox/{token}' });
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      reply(res, 405, { error: 'method_not_allowed', message: 'use POST' });
      return;
    }
    const refusal = refuseUnread(decodeToken(match[1]!), req.headers['content-length'], options.token);
    if (refusal) {
      // The body is never read: close the connection rather than wait for it.
      res.setHeader('connection', 'close');
      reply(res, refusal.statusCode, refusal.body);
      return;
    }
    if (expectsContinue) res.writeContinue();
    void (async () => {
      const body = await readBody(req, MAX_BODY_BYTES);
      const receivedAt = new Date();
      let published: RelayEvent | undefined;
      const response =
        body === undefined
          ? errorResponse(new PayloadTooLargeError(MAX_BODY_BYTES))
          : await handleWebhook(
              {
                token: decodeToken(match[1]!),
                body: body.toString('base64'),
                isBase64Encoded: true,
                headers: singleHeaders(req),
                receivedAt,
              },
              {
                expectedTokens,
                signingKey,
                publisher: {
                  publish: async (event, attributes) => {
                    await publisher.publish(event, attributes);
                    published = event;
                  },
                },
                logger,
                keepUnreadable,
              },
            );
      if (body === undefined) res.setHeader('connection', 'close');
      reply(res, response.statusCode, response.body);
      observer?.webhook({
        receivedAt,
        status: response.statusCode,
        answer: response.body.status ?? response.body.error ?? String(response.statusCode),
        ...(published ? { event: published } : {}),
      });
    })().catch(() => {
      if (!res.headersSent) reply(res, 400, { error: 'bad_request', message: 'the request could not be read' });
      else res.destroy();
    });
  };
  const server = createServer(
    { requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1000 },
    (req, res) => handle(req, res, false),
  );
  // Without this listener Node answers `100 Continue` itself, before the token is checked.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => handle(req, res, true));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => resolve());
  });
  const stopProbing = options.probeDestinations ? await startProbing(config, health, logger) : () => undefined;
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const baseUrl = `http://${host}:${address.port}`;
  webhookUrl = `${baseUrl}/paubox/${encodeURIComponent(options.token)}`;
  // Listening beyond loopback (HOST=0.0.0.0, say): the inspector gets a listener of its own on 127.0.0.1.
  const own = inspector && !isLoopbackAddress(address.address) ? await listenOnLoopback(inspector) : undefined;
  if (inspector && !own) inspectorHere = address.port;
  const closeServer = (s: typeof server) =>
    new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  return {
    baseUrl,
    webhookUrl,
    destinations,
    health,
    pendingAlerts: () => journal?.pendingCount() ?? 0,
    ...(inspector ? { inspectorUrl: `${own?.origin ?? baseUrl}${INSPECTOR_PATH}/?key=${inspector.key}` } : {}),
    idle: () => fanout.idle(),
    async close() {
      inspector?.close();
      await Promise.all([closeServer(server), ...(own ? [closeServer(own.server)] : [])]);
      stopProbing();
      health.close();
      await fanout.idle();
      await journal?.close();
    },
    async stop(graceMs = STOP_GRACE_MS) {
      inspector?.close();
      await Promise.all([closeServer(server), ...(own ? [closeServer(own.server)] : [])]);
      await fanout.stop(graceMs);
      await journal?.close();
      return journal?.pendingCount() ?? 0;
    },
  };
}
