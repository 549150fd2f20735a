import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  UnauthorizedError,
  PayloadTooLargeError,
  errorResponse,
  MAX_BODY_BYTES,
  type IngestResponse,
  tokenMatches,
} from '../ingest';

/** How long a request may take to arrive, headers and body; a stalled one is answered 408 and closed. */
export const REQUEST_TIMEOUT_MS = 10_000;
export const HEADERS_TIMEOUT_MS = 5_000;

/**
 * What the local relay answers before reading a body: a wrong token is 401 and a declared length over the limit
 * is 413 at once, so a caller cannot hold a connection open by declaring a body it never sends (or sending
 * `Expect: 100-continue`) without the token.
 */
export function refuseUnread(
  token: string | undefined,
  contentLength: string | undefined,
  expected: string,
): IngestResponse | undefined {
  if (!tokenMatches(token, expected)) return errorResponse(new UnauthorizedError());
  const declared = contentLength === undefined ? 0 : Number(contentLength);
  if (!(declared <= MAX_BODY_BYTES)) return errorResponse(new PayloadTooLargeError(MAX_BODY_BYTES));
  return undefined;
}

/** Where webhooks are accepted: `POST /paubox/{token}`. */
export const WEBHOOK_PATH = /^\/paubox\/([^/?#]+)\/?$/;

/** A path segment, decoded; undefined for a malformed percent-escape, which is the caller's mistake (a wrong token, a bad name), never a server error. */
export function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function reply(res: ServerResponse, statusCode: number, body: unknown): void {
  res.writeHead(statusCode, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Reads at most `limit` bytes; undefined when the body is larger (the rest is not read). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
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
export function singleHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
  return headers;
}

export function isLoopbackAddress(address: string): boolean {
  return address === '::1' || /^127\./.test(address) || address === '::ffff:127.0.0.1';
}
