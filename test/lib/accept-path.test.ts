import { parseRelayConfig } from '../../functions/config';
import { synthesizeRelay } from './synthesize';
import type { Json } from './template-helpers';

/*
 * The accept path rests on API Gateway filling in the integration's request parameters. What it does with a mapped
 * header the request lacks is not documented, and HTTP APIs refuse to map their reserved headers: the default
 * configuration maps no header at all, and no configuration maps a reserved one.
 */

/** HTTP APIs' reserved headers (API Gateway developer guide, "Reserved headers"), in lower case; `*` a prefix. */
const RESERVED_HEADERS = [
  'access-control-*',
  'apigw-*',
  'authorization',
  'connection',
  'content-encoding',
  'content-length',
  'content-location',
  'forwarded',
  'keep-alive',
  'origin',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'x-amz-*',
  'x-amzn-*',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'via',
];
const isReserved = (header: string) =>
  RESERVED_HEADERS.some((r) => (r.endsWith('*') ? header.startsWith(r.slice(0, -1)) : header === r));

/** What Paubox's dashboard sends with an unsigned webhook, besides what API Gateway itself owns. */
const UNSIGNED_REQUEST_HEADERS = ['content-type', 'user-agent', 'accept', 'host'];

function mappedHeaders(ingest: Record<string, unknown>): string[] {
  const config = parseRelayConfig(
    {
      destinations: [{ name: 'ops', kind: 'slack' }],
      routes: [{ events: ['permanent_failure'], to: ['ops'] }],
      ingest,
    },
    'deploy',
  );
  const { template } = synthesizeRelay('AcceptPath', config);
  const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration'));
  expect(integrations).toHaveLength(1);
  const parameters = JSON.stringify((integrations[0] as { Properties: Json }).Properties.RequestParameters);
  expect(parameters).toContain('context.requestTimeEpoch');
  return [...parameters.matchAll(/request\.header\.([A-Za-z0-9-]+)/g)].map((m) => m[1]!.toLowerCase());
}

describe("the integration's request parameters", () => {
  test('by default reference no header an unsigned request lacks, and no reserved header', () => {
    const headers = mappedHeaders({});
    expect(headers.filter((h) => !UNSIGNED_REQUEST_HEADERS.includes(h))).toEqual([]);
    expect(headers.filter(isReserved)).toEqual([]);
  });

  test('with verifySignatures map the three Standard Webhooks headers, and still no reserved header', () => {
    const headers = mappedHeaders({ verifySignatures: true });
    expect(headers.sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(headers.filter(isReserved)).toEqual([]);
    expect(isReserved('content-encoding') && isReserved('x-amzn-trace-id')).toBe(true);
  });
});
