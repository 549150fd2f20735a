import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * Why a POST got no reply. `requestSent` tells a timeout after the request left (the platform may well
 * have posted the alert) from one before it left (it certainly did not): the two call for different actions.
 */
export class PostFailure extends Error {
  public readonly name = 'PostFailure';
  constructor(
    public readonly code: 'timeout' | 'network_error',
    public readonly requestSent: boolean,
  ) {
    super(`${code}${requestSent ? ' after the request was sent' : ' before the request was sent'}`);
  }
}

export interface PostReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const MAX_REPLY_BYTES = 64 * 1024;

/** POSTs a body with one deadline for the whole exchange. Never follows redirects. */
export function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostReply> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = (target.protocol === 'http:' ? httpRequest : httpsRequest)(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': Buffer.byteLength(body) },
    });
    let sent = false;
    let settled = false;
    const fail = (code: PostFailure['code']): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(new PostFailure(code, sent));
    };
    const timer = setTimeout(() => fail('timeout'), timeoutMs);
    request.on('finish', () => (sent = true));
    request.on('error', () => fail('network_error'));
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_REPLY_BYTES) chunks.push(chunk);
      });
      response.on('error', () => fail('network_error'));
      response.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const replyHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined) replyHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: response.statusCode ?? 0, headers: replyHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.end(body);
  });
}
