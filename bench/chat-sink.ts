import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ChatKind } from '../functions/chat';

/** A fake Slack or Teams webhook on 127.0.0.1 that answers at once and notes when each post arrived. */
export interface ChatSink {
  /** `http://127.0.0.1:port` */
  readonly baseUrl: string;
  readonly received: number;
  readonly bodyBytes: number;
  /** Called with each body and the `performance.now()` of its arrival. */
  onPost(listener: ((body: string, at: number) => void) | undefined): void;
  close(): Promise<void>;
}

export async function startChatSink(kind: ChatKind): Promise<ChatSink> {
  let received = 0;
  let bodyBytes = 0;
  let listener: ((body: string, at: number) => void) | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      const body = Buffer.concat(chunks);
      received += 1;
      bodyBytes += body.length;
      listener?.(body.toString('utf8'), at);
      // Slack answers 200 "ok"; Teams Workflows 202 with no body.
      if (kind === 'slack') res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      else res.writeHead(202).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get received() {
      return received;
    },
    get bodyBytes() {
      return bodyBytes;
    },
    onPost(next) {
      listener = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
