import { formatEnv, readEnv } from '../../../functions/aws/function-env';
import {
  HEALTH_ENV,
  INGEST_ENV,
  NOTIFIER_ENV,
  PROBE_ENV,
  ROTATE_TOKEN_ENV,
  SEND_REPORT_ENV,
} from '../../../functions/aws/lambda-environments';
import { QUERY_NAMES } from '../../../functions/reports';

const notifier = {
  destination: 'ops',
  kind: 'auto',
  detail: 'minimal',
  urlSecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ops-url',
  fingerprintSecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:fingerprint',
  dedupTable: 'dedup',
  deadLetterQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/ops-dlq',
  queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/ops',
  maxReceiveCount: 5,
  minGroupSize: 2,
} as const;

describe('a function environment, written and read from one spec', () => {
  it('reads back what was written, by name, optional variables left out', () => {
    const env = formatEnv(NOTIFIER_ENV, { ...notifier, messagesPerSecond: 0.5 });
    expect(env).toMatchObject({ DESTINATION_NAME: 'ops', MAX_RECEIVE_COUNT: '5', RATE_LIMIT_PER_SECOND: '0.5' });
    expect(env).not.toHaveProperty('DISPLAY_TIME_ZONE');
    const read = readEnv(NOTIFIER_ENV, env);
    expect(read).toEqual({ ...notifier, messagesPerSecond: 0.5 });
    expect(read.timeZone).toBeUndefined();
  });

  it('reads JSON and flags into their values', () => {
    const probe = {
      destinations: {
        ops: { secretArn: 's', queueUrl: 'q', kind: 'teams' as const },
        care: { secretArn: 't', queueUrl: 'r' },
      },
      alarmPrefix: 'Relay-',
      healthTopicArn: 'arn:aws:sns:eu-west-1:1:health',
      probeMinutes: 60,
      reminderHours: 4,
      heartbeat: true,
      to: ['ops'],
    };
    expect(readEnv(PROBE_ENV, formatEnv(PROBE_ENV, probe))).toEqual(probe);
    const report = {
      workgroup: 'wg',
      database: 'db',
      namedQueries: Object.fromEntries(QUERY_NAMES.map((n) => [n, { id: `id-${n}`, parameters: ['since'] }])),
      queues: { ops: 'https://sqs/ops' },
    };
    expect(readEnv(SEND_REPORT_ENV, formatEnv(SEND_REPORT_ENV, report as never))).toEqual(report);
  });

  it.each([
    ['missing', {}],
    ['empty', { TOKEN_OVERLAP_HOURS: '' }],
  ])('fails on a %s variable, naming it and saying what to do', (_label, env) => {
    expect(() => readEnv(ROTATE_TOKEN_ENV, env)).toThrow(
      'environment variable TOKEN_OVERLAP_HOURS is not set; the stack sets it, so redeploy',
    );
  });

  it.each([
    [
      { DESTINATION_DETAIL: 'everything' },
      'DESTINATION_DETAIL must be one of minimal, recipient, full, not "everything"',
    ],
    [{ DESTINATION_KIND: 'console' }, 'DESTINATION_KIND must be one of slack, teams, auto, not "console"'],
    [{ MAX_RECEIVE_COUNT: 'five' }, 'MAX_RECEIVE_COUNT must be a whole number of at least 1, not "five"'],
    [{ DIGEST_MIN_GROUP_SIZE: '1' }, 'DIGEST_MIN_GROUP_SIZE must be a whole number of at least 2, not "1"'],
    [{ RATE_LIMIT_PER_SECOND: '0' }, 'RATE_LIMIT_PER_SECOND must be a number above 0, not "0"'],
  ])('fails on a malformed variable, naming it: %j', (override, message) => {
    const env = { ...formatEnv(NOTIFIER_ENV, notifier), ...override };
    expect(() => readEnv(NOTIFIER_ENV, env)).toThrow(`environment variable ${message}; redeploy the stack`);
  });

  it('names a malformed JSON variable without echoing its value', () => {
    expect(() => readEnv(HEALTH_ENV, { HEALTH_QUEUES: '{"ops":' })).toThrow(
      'environment variable HEALTH_QUEUES must be JSON: an object of destination names to queue URLs; redeploy the stack',
    );
    expect(() => readEnv(HEALTH_ENV, { HEALTH_QUEUES: '{"ops":"q"}', HEALTH_TO: '"ops"' })).toThrow(
      'environment variable HEALTH_TO must be a list of destination names; redeploy',
    );
    expect(() =>
      readEnv(PROBE_ENV, {
        ...formatEnv(PROBE_ENV, { alarmPrefix: 'p' }),
        PROBE_DESTINATIONS: '{"ops":{"kind":"fax"}}',
      }),
    ).toThrow('environment variable PROBE_DESTINATIONS must be an object of destinations to probe; redeploy');
  });

  it('refuses to write a value it has no variable for', () => {
    expect(() => formatEnv(INGEST_ENV, { topic: 'x' } as never)).toThrow(
      'no environment variable is defined for "topic"',
    );
  });
});
