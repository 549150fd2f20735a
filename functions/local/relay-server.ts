import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryDedupStore, DEFAULT_RETRY_POLICY, FileDeadLetterStore, MemoryFailureCounter } from '../delivery';
import { PayloadTooLargeError, errorResponse, handleWebhook, MAX_BODY_BYTES, memorySelfTestRecords } from '../ingest';
import { keepUnreadable } from '../ingest';
import { DEFAULT_SEND_TIMEOUT_MS } from '../chat';
import { parseSigningSecret, type RelayEvent } from '../paubox';
import { LocalFanout } from './fanout';
import { LocalJournal } from './journal';
import { JournaledArchive } from './journaled-archive';
import { archiveDirOf } from '../archive';
import { openDataDir } from './data-dir';
import { journaledSender } from './post-intents';
import { refusalLog } from './refusal-log';
import { Inspector, INSPECTOR_PATH, listenOnLoopback } from './inspector/inspector';
import { guardObserver, observedSender } from './observer';
import { localHealthMonitor, localQuarantine, startProbing, watchOutcome } from './local-health';
import type { LocalRelay, LocalRelayOptions } from './relay-types';
import { LocalSending } from './local-sending';
import { localDeliveryStatus, localDestinations } from './local-destinations';
import { localInteractivity } from './slack-interactivity';
import { INTERACTIVITY_PATH } from '../interactivity';
import {
  decodePathSegment,
  HEADERS_TIMEOUT_MS,
  isLoopbackAddress,
  readBody,
  refuseUnread,
  reply,
  REQUEST_TIMEOUT_MS,
  singleHeaders,
  WEBHOOK_PATH,
} from './webhook-http';

export type { LocalRelay, LocalRelayOptions } from './relay-types';

/** How long stop() lets a post already on its way finish. */
export const STOP_GRACE_MS = 1500;

/**
 * Serves the same ingest code as the Lambda, with the in-process fan-out in place of SNS and SQS. With a data dir,
 * the relay is its only writer until it closes or stops.
 *
 * @throws DataDirInUseError when another running relay writes to the data dir
 */
export async function startLocalRelay(options: LocalRelayOptions): Promise<LocalRelay> {
  const lock = options.dataDir === undefined ? undefined : openDataDir(options.dataDir, options.logger);
  try {
    return await startOnDataDir(options, () => lock?.release());
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function startOnDataDir(options: LocalRelayOptions, release: () => void): Promise<LocalRelay> {
  const { config, logger } = options;
  const timeoutMs = options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  const destinations = localDestinations(config, { ...options, timeoutMs });
  const deliveryStatus = localDeliveryStatus(options.paubox);
  const warn = (message: string) => logger.log('warn', message);
  const journal = options.dataDir === undefined ? undefined : await LocalJournal.open(options.dataDir, { warn });
  const dedup = options.dedup ?? new MemoryDedupStore();
  // What was posted before a restart is not posted again, even if Paubox sends the same webhook twice.
  for (const outcome of journal?.outcomes() ?? []) await dedup.confirm(outcome.destination, outcome.key, outcome.state);
  let webhookUrl = '';
  const dataDir = options.dataDir ?? '.relay-data';
  const deadLetters = options.deadLetters ?? new FileDeadLetterStore(dataDir, { warn });
  const sending = LocalSending.forRelay(options, () => fanout);
  const archiveDir = archiveDirOf(dataDir);
  const interactivity = localInteractivity(options, { archiveDir, sending, timeoutMs });
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
          silences: { store: sending.silences, now: sending.now },
          slackActions: () => interactivity.report(),
          logger,
        });
  const observer = inspector ? guardObserver(inspector.store, logger) : undefined;
  const health = localHealthMonitor(config, destinations, () => fanout, logger, options.healthSettleMs);
  const quarantine = localQuarantine(dataDir, health);
  // Innermost, so that the journal's intent and outcome frame the send itself.
  const journaled = journal
    ? destinations.map((d) => ({ ...d, sender: journaledSender(d.name, d.sender, journal, logger) }))
    : destinations;
  const fanout: LocalFanout = new LocalFanout({
    destinations: observer
      ? journaled.map((d) => ({ ...d, sender: observedSender(d.name, d.sender, observer) }))
      : journaled,
    enrichment: {
      advice: sending.adviceEnrichment(),
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
    ...sending.fanoutParts(),
    ...(options.healthNotices === false
      ? {}
      : { onOutcome: (destination, outcome) => watchOutcome(health, destination, outcome) }),
  });
  // Every accepted event, of all four types, is archived (what the topic's archive does in AWS), after its 202: the
  // journal is what accepts it, and keeps it until its line is on disk (the queries count a line written twice once).
  const archive = JournaledArchive.forRelay(options, journal);
  const publisher = {
    publish: async (...args: Parameters<LocalFanout['publish']>) => {
      await fanout.publish(...args);
      archive.add(args[0]);
      sending.published(args[0]);
    },
  };
  if (journal) fanout.replay(journal.pending());
  archive.replay();
  const expectedTokens = async () => [options.token];
  // `npx paubox-relay verify --local` posts a self-test: read, answered, never fanned out.
  const selfTests = memorySelfTestRecords();
  const refusals = refusalLog(logger);
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
      const get = req.method === 'GET';
      reply(res, get ? 200 : 405, get ? { status: 'ok' } : { error: 'method_not_allowed' });
      return;
    }
    if (path === INTERACTIVITY_PATH) {
      interactivity.handle(req, res);
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
    const refusal = refuseUnread(decodePathSegment(match[1]!), req.headers['content-length'], options.token);
    if (refusal) {
      if (refusal.statusCode === 401) refusals.refused(req.socket.remoteAddress);
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
      // Deliveries start once the webhook's answer is decided, after its `accepted event` line.
      let answered = (): void => undefined;
      const accepted = new Promise<void>((resolve) => {
        answered = resolve;
      });
      const response =
        body === undefined
          ? errorResponse(new PayloadTooLargeError(MAX_BODY_BYTES))
          : await handleWebhook(
              {
                token: decodePathSegment(match[1]!),
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
                    await publisher.publish(event, attributes, accepted);
                    published = event;
                  },
                },
                logger,
                unreadable: keepUnreadable(quarantine, { logger }),
                selfTests,
              },
            ).finally(answered);
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

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => resolve());
    });
  } catch (error) {
    // A port in use, say: what started with the relay is let go, the journal's file handle first of all.
    inspector?.close();
    health.close();
    await fanout.stop(0);
    await journal?.close();
    throw error;
  }
  const stopProbing = options.probeDestinations ? await startProbing(config, health, logger, options.env) : () => {};
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
  const closeListeners = async (): Promise<void> => {
    refusals.close();
    interactivity.close();
    inspector?.close();
    await Promise.all([closeServer(server), ...(own ? [closeServer(own.server)] : [])]);
  };
  return {
    baseUrl,
    webhookUrl,
    destinations,
    health,
    pendingAlerts: () => journal?.pendingCount() ?? 0,
    ...(inspector ? { inspectorUrl: `${own?.origin ?? baseUrl}${INSPECTOR_PATH}/?key=${inspector.key}` } : {}),
    idle: () => fanout.idle().then(() => archive.idle()),
    checkSending: () => sending.check(),
    async close() {
      await closeListeners();
      stopProbing();
      health.close();
      await interactivity.idle();
      await fanout.idle();
      await archive.idle();
      sending.close();
      await journal?.close();
      release();
    },
    async stop(graceMs = STOP_GRACE_MS) {
      await closeListeners();
      await fanout.stop(graceMs);
      await archive.idle();
      sending.close();
      await journal?.close();
      release();
      return journal?.pendingCount() ?? 0;
    },
  };
}
