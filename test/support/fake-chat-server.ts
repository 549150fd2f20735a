import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  readonly json: unknown;
  readonly at: number;
}

export interface ScriptedReply {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

export interface FakeChatServer {
  readonly url: string;
  readonly received: ReceivedRequest[];
  /** Replies to hand out in order; when empty, `fallback` is used. */
  readonly script: ScriptedReply[];
  close(): Promise<void>;
}

/**
 * A stand-in for Slack's or Teams' webhook endpoint on 127.0.0.1. Records every request and answers
 * as scripted: Slack answers `200 ok`, Teams Workflows `202`.
 */
export async function startFakeChatServer(fallback: ScriptedReply, path = '/hook'): Promise<FakeChatServer> {
  const received: ReceivedRequest[] = [];
  const script: ScriptedReply[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        json = undefined;
      }
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, json, at: Date.now() });
      const reply = script.shift() ?? fallback;
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    script,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const SLACK_OK: ScriptedReply = { status: 200, body: 'ok' };
export const TEAMS_ACCEPTED: ScriptedReply = { status: 202 };
