/**
 * Preloaded (`node --require`) into every process the bench measures, real handler and bare handler alike.
 *
 * The AWS SDK modules load for real, as they do on Lambda, where the runtime ships them: their load time is part
 * of every cold start. Only the network is replaced: the SDK's HTTP handler answers in memory, after the whole
 * middleware stack (serialisation, SigV4 signing with the environment's credentials, retries, parsing) has run.
 * HTTPS requests to chat hosts go to a fake chat server on 127.0.0.1 instead.
 *
 * Environment: BENCH_SECRETS (JSON: secret id → value), BENCH_CHAT_REDIRECT (JSON: host → http://127.0.0.1:port),
 * BENCH_CAPTURE_FILE (append every SNS message published, one JSON line each).
 */
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
// Required, not imported: their `request` functions are replaced below.
import http = require('node:http');
import https = require('node:https');
import Module from 'node:module';
import { Readable } from 'node:stream';

/** Counts of the AWS operations called, by `Service.Operation`; the runner reports them. */
export interface AwsCallCounts {
  [operation: string]: number;
}
const COUNTS_KEY = Symbol.for('paubox-alert-relay.bench.aws-calls');
const UNKNOWN_KEY = Symbol.for('paubox-alert-relay.bench.aws-unknown');
const calls: AwsCallCounts = {};
const unknown = new Set<string>();
(globalThis as Record<symbol, unknown>)[COUNTS_KEY] = calls;
(globalThis as Record<symbol, unknown>)[UNKNOWN_KEY] = unknown;

const secrets = JSON.parse(process.env.BENCH_SECRETS ?? '{}') as Record<string, string>;
const redirects = JSON.parse(process.env.BENCH_CHAT_REDIRECT ?? '{}') as Record<string, string>;
const captureFile = process.env.BENCH_CAPTURE_FILE;

interface StubRequest {
  readonly hostname: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

interface StubReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const json = (value: unknown, status = 200): StubReply => ({
  status,
  contentType: 'application/x-amz-json-1.0',
  body: JSON.stringify(value),
});

const decoder = new TextDecoder();

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return decoder.decode(body);
  return '';
}

/** An AWS JSON-protocol call, named by its X-Amz-Target header. */
function jsonReply(service: string, operation: string, input: Record<string, unknown>): StubReply {
  switch (`${service}.${operation}`) {
    case 'secretsmanager.GetSecretValue': {
      const id = String(input.SecretId);
      const value = secrets[id];
      if (value === undefined) {
        return json(
          { __type: 'ResourceNotFoundException', message: 'Secrets Manager cannot find the specified secret.' },
          400,
        );
      }
      return json({ ARN: id, Name: id, SecretString: value, VersionId: randomUUID(), CreatedDate: 1_700_000_000 });
    }
    case 'sqs.SendMessage':
      return json({
        MessageId: randomUUID(),
        MD5OfMessageBody: createHash('md5')
          .update(String(input.MessageBody ?? ''))
          .digest('hex'),
      });
    default:
      // Writes (PutItem, UpdateItem, DeleteItem, SendMessageBatch without failures, …) answer an empty object.
      if (!['dynamodb.PutItem', 'dynamodb.UpdateItem', 'dynamodb.DeleteItem'].includes(`${service}.${operation}`)) {
        unknown.add(`${service}.${operation}`);
      }
      return json({});
  }
}

/** An AWS query-protocol call (SNS), named by its Action parameter. */
function queryReply(params: URLSearchParams): StubReply {
  const action = params.get('Action') ?? 'Unknown';
  if (action === 'Publish' && captureFile) {
    const attributes: Record<string, string> = {};
    for (let i = 1; params.has(`MessageAttributes.entry.${i}.Name`); i++) {
      attributes[params.get(`MessageAttributes.entry.${i}.Name`)!] =
        params.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '';
    }
    appendFileSync(captureFile, `${JSON.stringify({ message: params.get('Message'), attributes })}\n`);
  }
  if (action !== 'Publish') unknown.add(`sns.${action}`);
  const result = action === 'Publish' ? `<MessageId>${randomUUID()}</MessageId>` : '';
  return {
    status: 200,
    contentType: 'text/xml',
    body:
      `<${action}Response xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

const TARGET_SERVICES: Record<string, string> = { DynamoDB_20120810: 'dynamodb', AmazonSQS: 'sqs' };

function answer(request: StubRequest): StubReply {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const text = bodyText(request.body);
  const target = headers['x-amz-target'];
  if (target) {
    // `DynamoDB_20120810.PutItem`, `AmazonSQS.SendMessage`, `secretsmanager.GetSecretValue`
    const [prefix = '', operation = 'Unknown'] = target.split('.');
    const service = TARGET_SERVICES[prefix] ?? prefix.toLowerCase();
    calls[`${service}.${operation}`] = (calls[`${service}.${operation}`] ?? 0) + 1;
    return jsonReply(service, operation, text ? (JSON.parse(text) as Record<string, unknown>) : {});
  }
  const params = new URLSearchParams(text);
  const service = request.hostname.split('.')[0] ?? 'unknown';
  calls[`${service}.${params.get('Action') ?? 'Unknown'}`] =
    (calls[`${service}.${params.get('Action') ?? 'Unknown'}`] ?? 0) + 1;
  return queryReply(params);
}

interface HttpHandlerModule {
  NodeHttpHandler?: { prototype: { handle: (request: StubRequest) => Promise<unknown> } };
}

function patchHttpHandler(exports: HttpHandlerModule): void {
  const proto = exports.NodeHttpHandler?.prototype;
  if (!proto || (proto as { benchStubbed?: boolean }).benchStubbed) return;
  (proto as { benchStubbed?: boolean }).benchStubbed = true;
  proto.handle = async (request) => {
    const reply = answer(request);
    return {
      response: {
        statusCode: reply.status,
        reason: reply.status === 200 ? 'OK' : 'Bad Request',
        headers: { 'content-type': reply.contentType, 'x-amzn-requestid': randomUUID() },
        body: Readable.from([Buffer.from(reply.body, 'utf8')]),
      },
    };
  };
}

// Patch the SDK's HTTP handler whenever (and however often, for nested copies) it is loaded; nothing is loaded here.
const moduleWithLoad = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
const originalLoad = moduleWithLoad._load;
moduleWithLoad._load = function load(request, parent, isMain) {
  const exports = originalLoad.call(this, request, parent, isMain);
  if (request === '@smithy/node-http-handler') patchHttpHandler(exports as HttpHandlerModule);
  return exports;
};

// Chat webhooks: https://<chat host>/… goes to the fake server's http://127.0.0.1:port/… instead.
function redirected(url: URL): URL | undefined {
  const base = redirects[url.hostname];
  if (base === undefined) return undefined;
  return new URL(`${url.pathname}${url.search}`, base);
}

const originalHttpsRequest = https.request;
(https as { request: unknown }).request = function request(...args: unknown[]) {
  const [first] = args;
  const url = first instanceof URL ? first : typeof first === 'string' ? new URL(first) : undefined;
  const target = url ? redirected(url) : undefined;
  if (!target) return (originalHttpsRequest as (...a: unknown[]) => http.ClientRequest)(...args);
  return (http.request as (...a: unknown[]) => http.ClientRequest)(target, ...args.slice(1));
};

const originalFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const target = redirected(url);
  if (!target) return originalFetch(input, init);
  return originalFetch(input instanceof Request ? new Request(target, input) : target, init);
};
