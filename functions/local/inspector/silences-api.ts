import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SilenceMatch } from '../../alerts';
import { describeMatch } from '../../alerts';
import { durationMs } from '../../config';
import type { EventType } from '../../paubox';
import { isActive, type Silence, SILENCE_ID, silenceProblems, type SilenceStore } from '../../sending';
import type { SilenceRow } from './api-types';
import { readJson, sendJson } from './http';

/** A silence as the inspector lists it: what it matches in words, its state and what it hid. */
function rowOf(silence: Silence, nowMs: number): SilenceRow {
  const hidden = Object.values(silence.hidden).reduce(
    (sum, counts) => sum + Object.values(counts).reduce((a, b) => a + b, 0),
    0,
  );
  return {
    id: silence.id,
    matches: describeMatch(silence.match),
    reason: silence.reason,
    createdAt: silence.createdAt,
    endsAt: silence.endedAt ?? silence.endsAt,
    active: isActive(silence, nowMs),
    hidden,
  };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * `/api/silences`: GET lists them, POST adds one (`{ for, reason, event?, senderDomain?, recipientDomain?,
 * fingerprint? }`, as `silence add` takes them), POST `/api/silences/<id>/end` ends one. The same store and checks as
 * the CLI; what a silence hid is posted by the relay when it ends.
 */
export async function handleSilences(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  store: SilenceStore,
  now: () => number,
): Promise<void> {
  const get = req.method === 'GET' || req.method === 'HEAD';
  if (get && path === '/api/silences') {
    sendJson(
      res,
      200,
      (await store.list()).map((s) => rowOf(s, now())),
    );
    return;
  }
  if (req.method === 'POST' && path === '/api/silences') {
    const body = (await readJson(req).catch(() => undefined)) as Record<string, unknown> | undefined;
    const match: SilenceMatch = {
      ...(text(body?.event) ? { event: text(body?.event) as EventType } : {}),
      ...(text(body?.senderDomain) ? { senderDomain: text(body?.senderDomain)!.toLowerCase() } : {}),
      ...(text(body?.recipientDomain) ? { recipientDomain: text(body?.recipientDomain)!.toLowerCase() } : {}),
      ...(text(body?.fingerprint) ? { fingerprint: text(body?.fingerprint)! } : {}),
    };
    const forMs = durationMs(text(body?.for) ?? '') ?? 0;
    const reason = text(body?.reason) ?? '';
    const problems = silenceProblems(match, reason, forMs);
    if (problems.length > 0) {
      sendJson(res, 400, { error: 'bad_request', message: problems.join('; ') });
      return;
    }
    sendJson(res, 200, rowOf(await store.add({ match, reason, forMs, nowMs: now() }), now()));
    return;
  }
  const end = /^\/api\/silences\/([^/]+)\/end$/.exec(path);
  if (req.method === 'POST' && end && SILENCE_ID.test(end[1]!)) {
    const ended = await store.end(end[1]!, now());
    if (ended) sendJson(res, 200, rowOf(ended, now()));
    else sendJson(res, 404, { error: 'not_found', message: 'no active silence with that id' });
    return;
  }
  sendJson(res, 404, { error: 'not_found' });
}
