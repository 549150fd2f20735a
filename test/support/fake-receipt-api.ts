import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeReceiptApi {
  /** The base URL, as `paubox.apiBaseUrl` takes it (`…/v1/<username>`). */
  readonly url: string;
  /** Tracking id → what the receipt says; an id not here gets 404, one set to `hang` never gets an answer. */
  readonly statuses: Map<string, string | 'hang'>;
  readonly requests: { readonly path: string; readonly authorization: string | undefined }[];
  close(): Promise<void>;
}

/**
 * Paubox's message-receipt API on 127.0.0.1, answering in the documented shape
 * (`data.message.message_deliveries[].status.deliveryStatus`), with a recipient address and a subject in the
 * receipt that an alert must never show.
 */
export async function startFakeReceiptApi(): Promise<FakeReceiptApi> {
  const statuses = new Map<string, string | 'hang'>();
  const requests: FakeReceiptApi['requests'][number][] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const id = url.searchParams.get('sourceTrackingId') ?? '';
    const status = statuses.get(id);
    if (status === 'hang') return;
    if (!url.pathname.endsWith('/message_receipt') || status === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":404}]}');
      return;
    }
    const receipt = {
      sourceTrackingId: id,
      data: {
        message: {
          id: `<${id}@mail.clinic.example.com>`,
          subject: 'Receipt subject zq-receipt-subject',
          message_deliveries: [
            {
              recipient: 'zq-receipt-recipient@patients.example.org',
              status: {
                deliveryStatus: status,
                deliveryTime: 'Fri, 20 Nov 2026 14:03:12 -0000',
                openedStatus: 'not opened',
                openedTime: null,
              },
            },
          ],
        },
      },
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(receipt));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/clinic-user`,
    statuses,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
