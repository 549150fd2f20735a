import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * A scripted set of hostile requests against a running relay: wrong and missing tokens, oversized bodies
 * (declared and chunked), bad JSON, deep nesting, hostile text, wrong methods and paths. Each names the status
 * it must get and the values that must never come back. Used by `npm run hostile-requests` and the tests.
 */
export interface HostileRequest {
  readonly name: string;
  readonly method: string;
  /** Path and query; `{token}` is replaced by the real token. */
  readonly path: string;
  readonly body?: string;
  /** Send the body in chunks without a content-length. */
  readonly chunked?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
  readonly expectedStatus: number;
  /**
   * What the deployed relay answers, when not the same: API Gateway answers a path without a valid token (and any
   * other method or path) 404 itself, and queues whatever has one (202: the consumer refuses or quarantines it).
   * @default expectedStatus
   */
  readonly deployedStatus?: number;
  /** Values of the request that the answer must not hold (the token is always checked). */
  readonly mustNotEcho: readonly string[];
}

/** A local relay (`npm start`, http) or the deployed one (API Gateway, https). */
export type HostileTarget = 'local' | 'deployed';

export interface HostileResult {
  readonly name: string;
  readonly expectedStatus: number;
  /** 0 when the connection failed before a status came back. */
  readonly status: number;
  readonly leaked: readonly string[];
  readonly ok: boolean;
}

/**
 * A body with the right token that is not a Paubox event is kept in the quarantine, not refused: Paubox never
 * retries, so a refusal would lose it. The answer (`{"status":"quarantined","id":…}`) must leak nothing either.
 */
const KEPT = 202;

/** Marks that identify each request's PHI-like values in answers and logs. */
export const MARKS = {
  recipient: 'zq-recipient-7f3a',
  subject: 'zq-subject-91c2',
  header: 'zq-header-4b8d',
  eventName: 'zq-event-2e6f',
} as const;

const validPayload = (overrides: Record<string, unknown> = {}) => ({
  id: 1181,
  subject: `Lab results <!channel> [click](https://evil.example) ${MARKS.subject}`,
  header_message_id: '<2f4c9a1e-hostile@mail.clinic.example.com>',
  source_tracking_id: '6f1d2c3b-0e8f-4f6a-9a8b-hostile00001',
  time: '2026-11-20T14:03:11.482Z',
  from: 'alerts@mail.clinic.example.com',
  to: `${MARKS.recipient}@patients.example.org`,
  custom_headers: { 'X-Note': `<@U123> *bold* \u001b[31m ${MARKS.header}` },
  ...overrides,
});

const event = (payload: Record<string, unknown>, eventName = 'api_mail_log_permanent_failure') =>
  JSON.stringify({ event_name: eventName, payload });

const ALL_MARKS = Object.values(MARKS);

/** The requests, for a relay whose token is `token`. */
export function hostileRequests(token: string): HostileRequest[] {
  const webhook = '/paubox/{token}';
  const oversized = `{"event_name":"api_mail_log_opened","pad":"${'x'.repeat(70 * 1024)}"}`;
  const deep = `{"event_name":"api_mail_log_opened","payload":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`;
  return [
    {
      name: 'wrong token',
      method: 'POST',
      path: '/paubox/Wr0ngWr0ngWr0ngWr0ngWr0ngWr0ngWr0ngWr0ngWr0ngWr0n',
      body: event(validPayload()),
      expectedStatus: 401,
      deployedStatus: 404,
      mustNotEcho: ALL_MARKS,
    },
    {
      name: 'token prefix',
      method: 'POST',
      path: `/paubox/${encodeURIComponent(token.slice(0, -1))}`,
      body: event(validPayload()),
      expectedStatus: 401,
      deployedStatus: 404,
      mustNotEcho: ALL_MARKS,
    },
    {
      name: 'token plus a character',
      method: 'POST',
      path: `/paubox/${encodeURIComponent(`${token}x`)}`,
      body: '{}',
      expectedStatus: 401,
      deployedStatus: 404,
      mustNotEcho: [],
    },
    {
      name: 'malformed percent-escape as token',
      method: 'POST',
      path: '/paubox/%E0%A4%A',
      body: '{}',
      expectedStatus: 401,
      deployedStatus: 404,
      mustNotEcho: [],
    },
    {
      name: 'missing token',
      method: 'POST',
      path: '/paubox/',
      body: event(validPayload()),
      expectedStatus: 404,
      mustNotEcho: ALL_MARKS,
    },
    {
      name: 'token in the query instead of the path',
      method: 'POST',
      path: `/paubox?token=${encodeURIComponent(token)}`,
      body: '{}',
      expectedStatus: 404,
      mustNotEcho: [],
    },
    {
      name: 'huge body with content-length',
      method: 'POST',
      path: webhook,
      body: oversized,
      expectedStatus: 413,
      deployedStatus: 202,
      mustNotEcho: [],
    },
    {
      name: 'huge body, chunked',
      method: 'POST',
      path: webhook,
      body: oversized,
      chunked: true,
      expectedStatus: 413,
      deployedStatus: 202,
      mustNotEcho: [],
    },
    {
      name: 'bad JSON',
      method: 'POST',
      path: webhook,
      body: `{"event_name": "api_mail_log_opened", "payload": {"to": "${MARKS.recipient}@x.org"`,
      expectedStatus: KEPT,
      mustNotEcho: ALL_MARKS,
    },
    {
      name: 'empty body',
      method: 'POST',
      path: webhook,
      body: '',
      expectedStatus: KEPT,
      deployedStatus: 400,
      mustNotEcho: [],
    },
    {
      name: 'JSON that is not an object',
      method: 'POST',
      path: webhook,
      body: `["${MARKS.recipient}"]`,
      expectedStatus: KEPT,
      mustNotEcho: ALL_MARKS,
    },
    { name: 'deep nesting', method: 'POST', path: webhook, body: deep, expectedStatus: KEPT, mustNotEcho: [] },
    {
      name: 'hostile invalid recipient',
      method: 'POST',
      path: webhook,
      body: event(validPayload({ to: `<!channel> ${MARKS.recipient} <@U123>` })),
      expectedStatus: KEPT,
      mustNotEcho: ALL_MARKS,
    },
    {
      name: 'hostile custom header of the wrong type',
      method: 'POST',
      path: webhook,
      body: event(validPayload({ custom_headers: { [`X-${MARKS.header}`]: { nested: MARKS.header } } })),
      expectedStatus: KEPT,
      mustNotEcho: ALL_MARKS,
    },
    {
      name: 'hostile strings in a valid event',
      method: 'POST',
      path: webhook,
      body: event(validPayload({ [`unknown_${MARKS.header}`]: MARKS.header })),
      headers: { 'content-type': 'text/plain' },
      expectedStatus: 202,
      mustNotEcho: ALL_MARKS,
    },
    {
      name: 'unknown event name',
      method: 'POST',
      path: webhook,
      body: event(validPayload(), `api_mail_log_clicked <!here> ${MARKS.eventName}`),
      expectedStatus: 202,
      mustNotEcho: ALL_MARKS,
    },
    {
      name: 'GET on the webhook',
      method: 'GET',
      path: webhook,
      expectedStatus: 405,
      deployedStatus: 404,
      mustNotEcho: [],
    },
    {
      name: 'PUT on the webhook',
      method: 'PUT',
      path: webhook,
      body: event(validPayload()),
      expectedStatus: 405,
      deployedStatus: 404,
      mustNotEcho: ALL_MARKS,
    },
    { name: 'unknown path', method: 'POST', path: '/admin', body: '{}', expectedStatus: 404, mustNotEcho: [] },
    {
      name: 'path traversal',
      method: 'POST',
      path: '/paubox/../health',
      body: '{}',
      expectedStatus: 404,
      mustNotEcho: [],
    },
  ];
}

function send(
  baseUrl: string,
  token: string,
  req: HostileRequest,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  const url = new URL(req.path.replace('{token}', encodeURIComponent(token)), baseUrl);
  return new Promise((resolve) => {
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    const headers: Record<string, string | number> = { 'content-type': 'application/json', ...req.headers };
    if (body && !req.chunked) headers['content-length'] = body.length;
    const outgoing = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      // The raw path: URL would resolve `..` and re-encode escapes, and the point is to send them as they are.
      {
        host: url.hostname,
        ...(url.port !== '' ? { port: url.port } : {}),
        method: req.method,
        path: req.path.replace('{token}', encodeURIComponent(token)),
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy());
    // The relay may answer 413 and close before the whole body is written: that is a success, not an error.
    outgoing.on('error', () => resolve({ status: 0, text: '' }));
    if (body && req.chunked) {
      for (let i = 0; i < body.length; i += 8192) outgoing.write(body.subarray(i, i + 8192));
      outgoing.end();
    } else {
      outgoing.end(body);
    }
  });
}

/**
 * Sends every hostile request to the relay at `baseUrl` in turn and checks each answer's status (as `target`
 * answers it) and body. An answer holding the token or a marked value counts as a leak.
 */
export async function runHostileRequests(
  baseUrl: string,
  token: string,
  options: { readonly target?: HostileTarget; readonly timeoutMs?: number } = {},
): Promise<HostileResult[]> {
  const { target = 'local', timeoutMs = 10_000 } = options;
  const results: HostileResult[] = [];
  for (const req of hostileRequests(token)) {
    const { status, text } = await send(baseUrl, token, req, timeoutMs);
    const leaked = [token, ...req.mustNotEcho].filter((value) => text.includes(value));
    const expectedStatus = target === 'deployed' ? (req.deployedStatus ?? req.expectedStatus) : req.expectedStatus;
    results.push({
      name: req.name,
      expectedStatus,
      status,
      leaked,
      ok: status === expectedStatus && leaked.length === 0,
    });
  }
  return results;
}
