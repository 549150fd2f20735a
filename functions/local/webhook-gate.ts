import { UnauthorizedError, PayloadTooLargeError } from '../ingest/errors';
import { errorResponse, MAX_BODY_BYTES, type IngestResponse } from '../ingest/handle-webhook';
import { tokenMatches } from '../ingest/token';

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
