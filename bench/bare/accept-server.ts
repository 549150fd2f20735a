import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { open } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * The floor of the accept figure: the least a server that must not lose a webhook could do. Each POSTed body is
 * appended to one file and answered 202 once it is on disk. Appends are group-committed, as the local relay's
 * journal does: one write and one fdatasync a round, covering every body that arrived meanwhile. No parsing, no
 * token, no routing, no delivery.
 */
export interface BareAcceptServer {
  readonly url: string;
  close(): Promise<void>;
}

interface Waiting {
  readonly line: string;
  readonly done: (error?: unknown) => void;
}

export async function startBareAcceptServer(dir: string): Promise<BareAcceptServer> {
  const file = await open(join(dir, 'accepted.jsonl'), 'a', 0o600);
  let queue: Waiting[] = [];
  let flushing: Promise<void> | undefined;
  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await file.write(batch.map((w) => w.line).join(''));
        await file.datasync();
        for (const w of batch) w.done();
      } catch (error) {
        for (const w of batch) w.done(error);
      }
    }
  };
  const startFlushing = (): void => {
    if (flushing) return;
    flushing = flush().finally(() => {
      flushing = undefined;
      // Bodies queued after the loop's last look still need a round.
      if (queue.length > 0) startFlushing();
    });
  };
  const append = (line: string): Promise<void> =>
    new Promise((resolve, reject) => {
      queue.push({ line, done: (error) => (error === undefined ? resolve() : reject(error)) });
      startFlushing();
    });
  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      append(`${Buffer.concat(chunks).toString('utf8').replace(/\n/g, ' ')}\n`).then(
        () => res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}'),
        () => res.writeHead(500).end(),
      );
    });
  };
  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      while (flushing) await flushing;
      await file.close();
    },
  };
}
