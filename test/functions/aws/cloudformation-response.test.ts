import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isCustomResourceEvent, respondToCloudFormation } from '../../../functions/aws/cloudformation-response';

describe('answering CloudFormation for a custom resource', () => {
  it('PUTs the result to the signed URL, without a content type (the signature leaves it out)', async () => {
    const received: { method?: string; url?: string; type?: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, type: req.headers['content-type'], body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const event = {
      RequestType: 'Create' as const,
      ResponseURL: `http://127.0.0.1:${port}/signed?X-Amz-Signature=abc`,
      StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/relay/1',
      RequestId: 'req-1',
      LogicalResourceId: 'WebhookRoutes',
    };
    expect(isCustomResourceEvent(event)).toBe(true);
    expect(isCustomResourceEvent({ Step: 'createSecret' })).toBe(false);
    await respondToCloudFormation(event, { status: 'SUCCESS', reason: 'made', physicalResourceId: 'routes' });
    server.close();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'PUT', url: '/signed?X-Amz-Signature=abc', type: '' });
    expect(JSON.parse(received[0]!.body)).toEqual({
      Status: 'SUCCESS',
      Reason: 'made',
      PhysicalResourceId: 'routes',
      StackId: event.StackId,
      RequestId: 'req-1',
      LogicalResourceId: 'WebhookRoutes',
    });
  });
});
