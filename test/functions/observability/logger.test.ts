import { jsonLogger, textLogger } from '../../../functions/observability/logger';

describe('jsonLogger', () => {
  it('writes one JSON object per line in the shape Powertools Logger writes', () => {
    const lines: string[] = [];
    const logger = jsonLogger('ingest', (line) => lines.push(line), {
      _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    });
    logger.log('warn', 'rejected webhook', { status: 401, errorName: 'UnauthorizedError' });
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'WARN',
      message: 'rejected webhook',
      service: 'ingest',
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      status: 401,
      errorName: 'UnauthorizedError',
    });
    expect(Number.isNaN(Date.parse(line.timestamp as string))).toBe(false);
  });

  it('adds the function context once given, and says cold start only on the first invocation', () => {
    const lines: string[] = [];
    const logger = jsonLogger('ingest', (line) => lines.push(line), {});
    const context = {
      functionName: 'relay-ingest',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:relay-ingest',
      memoryLimitInMB: '256',
      awsRequestId: 'req-1',
    };
    logger.log('info', 'before');
    logger.addContext(context);
    logger.log('info', 'first');
    logger.addContext({ ...context, awsRequestId: 'req-2' });
    logger.log('info', 'second');
    const [before, first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(before).not.toHaveProperty('function_name');
    expect(before).not.toHaveProperty('xray_trace_id');
    expect(first).toMatchObject({
      cold_start: true,
      function_name: 'relay-ingest',
      function_memory_size: 256,
      function_request_id: 'req-1',
    });
    expect(second).toMatchObject({ cold_start: false, function_request_id: 'req-2' });
  });
});

describe('textLogger', () => {
  it('writes the time, the level, the message and key=value pairs on one line', () => {
    const lines: string[] = [];
    const at = () => new Date('2026-12-07T09:05:00.250Z');
    textLogger((line) => lines.push(line), at).log('info', 'posted alert', { destination: 'ops', attempt: 1 });
    expect(lines).toEqual(['2026-12-07T09:05:00.250Z info  posted alert destination=ops attempt=1\n']);
  });

  it('ends every record with its own newline and keeps line breaks inside values on the line', () => {
    let text = '';
    const logger = textLogger(
      (chunk) => {
        text += chunk;
      },
      () => new Date('2026-12-07T09:05:00.000Z'),
    );
    logger.log('warn', 'send failed', { reason: 'bad\nerror forged record', status: 500 });
    logger.log('info', 'second\r\nline');
    expect(text.split('\n')).toEqual([
      '2026-12-07T09:05:00.000Z warn  send failed reason=bad\\nerror forged record status=500',
      '2026-12-07T09:05:00.000Z info  second\\r\\nline',
      '',
    ]);
  });
});
