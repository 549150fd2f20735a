import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A webhook on 127.0.0.1 that reads every request and never answers: what a platform that hangs looks like. */
export async function startSilentServer(): Promise<{ readonly url: string; close(): Promise<void> }> {
  const server: Server = createServer((req) => req.resume());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
