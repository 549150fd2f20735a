/**
 * The cdk-nag findings (AwsSolutions, HIPAA.Security) the relay acknowledges, each on the narrowest construct and
 * with the reason it does not apply to this relay. Everything else the packs check is fixed in the construct.
 * Acknowledgments are construct metadata (`Validations.of(...).acknowledge`), so a user running cdk-nag on a
 * stack holding the relay sees them without importing cdk-nag here.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { CfnAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';

function acknowledge(scope: IConstruct, acknowledgments: Readonly<Record<string, string>>): void {
  Validations.of(scope).acknowledge(...Object.entries(acknowledgments).map(([id, reason]) => ({ id, reason })));
}

/** How a function is invoked, which decides what a Lambda DLQ would do for it. */
export type Invocation = 'queue' | 'rotation' | 'firehose' | 'schedule' | 'alarm' | 'deploy' | 'api';

const LAMBDA_DLQ_REASON: Record<Invocation, string> = {
  queue:
    'Invoked by an SQS event source: a Lambda DLQ does not apply. The source queue has a redrive policy to its own ' +
    'encrypted dead-letter queue, watched by an alarm.',
  alarm:
    'Invoked by the health topic on an alarm change of state. Lambda retries a failed asynchronous invocation twice; ' +
    'the alarm stays in ALARM on the dashboard, and the alarms.email and alarms.topicArn targets get it too.',
  rotation:
    'Invoked synchronously by Secrets Manager during a rotation, which records a failed step and leaves AWSCURRENT ' +
    'unchanged, and by CloudFormation, which fails the deploy; a Lambda DLQ would never receive anything. Its ' +
    'scheduled route sweep is retried by EventBridge and runs again 5 minutes later.',
  firehose:
    'Invoked synchronously by Firehose as its record transformation: Firehose retries a failed invocation and ' +
    "writes what still fails to the archive bucket's errors/ prefix, watched by the archive transformation alarm.",
  deploy:
    'Invoked by CloudFormation as a custom resource, once per deploy that changes the accept path. It answers ' +
    'CloudFormation itself on every path, and a failure fails the deploy, which rolls back: a Lambda DLQ would never ' +
    'receive anything.',
  api:
    'Invoked synchronously by API Gateway for Slack, which shows the person who clicked an error when it fails; ' +
    'the person clicks again. An asynchronous DLQ would never receive anything.',
  schedule:
    'Invoked by EventBridge Scheduler, whose retry policy runs it again; a run that still fails fires the ' +
    "function's errors alarm, and the next scheduled run covers its own period regardless.",
};

/**
 * A relay function: no VPC (it reaches only AWS APIs, signed and over TLS, and the public Slack/Teams endpoints), the
 * tested runtime, and either a reserved concurrency or a bound on its concurrency that does not need one.
 */
export function acknowledgeFunction(
  fn: IConstruct,
  options: { readonly invocation: Invocation; readonly concurrencyBound?: string },
): void {
  const acknowledgments: Record<string, string> = {
    'AwsSolutions-L1':
      'Node.js 22 is the runtime the relay is built and tested for (esbuild target node22); the `runtime` prop ' +
      'accepts any newer Node.js runtime.',
    'HIPAA.Security-LambdaInsideVPC':
      'The function holds no network-reachable data store: it calls AWS APIs (IAM-signed, TLS) and the public ' +
      'Slack/Teams webhook endpoints. A VPC would add NAT egress to the internet without narrowing either.',
    'HIPAA.Security-LambdaDLQ': LAMBDA_DLQ_REASON[options.invocation],
  };
  if (options.concurrencyBound !== undefined)
    acknowledgments['HIPAA.Security-LambdaConcurrency'] = options.concurrencyBound;
  acknowledge(fn, acknowledgments);
}

/** The role of one relay function; its policy is the one CDK writes for exactly that role. */
export function acknowledgeFunctionRole(role: IConstruct): void {
  acknowledge(role, {
    'HIPAA.Security-IAMNoInlinePolicy':
      'This role belongs to one function and its inline policy lists only the resources that function uses ' +
      '(one topic, queue, table, log group, secrets, one key). A managed policy would be shared by nothing.',
  });
}

/** `secretsmanager:GetRandomPassword` has no resource to scope to. */
export function acknowledgeRandomPassword(role: IConstruct): void {
  acknowledge(role, {
    'AwsSolutions-IAM5[Resource::*]':
      'secretsmanager:GetRandomPassword, which generates the new webhook token, supports no resource-level ' +
      'permissions; it is the only action of this role granted on "*".',
  });
}

/** A secret that is not rotated on a schedule, for the reason given. */
export function acknowledgeUnrotatableSecret(secret: IConstruct, why: string): void {
  acknowledge(secret, { 'AwsSolutions-SMG4': why, 'HIPAA.Security-SecretsManagerRotationEnabled': why });
}

export function acknowledgeDedupTable(table: IConstruct): void {
  acknowledge(table, {
    'HIPAA.Security-DynamoDBInBackupPlan':
      'The table only remembers which alerts were posted, for 15 days (TTL), to stop duplicates; it holds no PHI ' +
      'and nothing worth restoring. Point-in-time recovery is on all the same.',
  });
}

export function acknowledgeAlarm(alarm: CfnAlarm | IConstruct): void {
  acknowledge(alarm, {
    'HIPAA.Security-CloudWatchAlarmAction':
      'No `alarms.email` or `alarms.topicArn` is configured, so there is nowhere to send the alarm; the construct ' +
      'adds actions to every alarm as soon as either is set, and the alarms stay visible on the dashboard meanwhile.',
  });
}

/**
 * The token function's role changes the webhook routes, whose ids API Gateway chooses when it makes them, and their
 * route settings, keyed by route key: `wildcards` are those two resources, under one API and stage.
 */
export function acknowledgeWebhookRoutes(role: IConstruct, wildcards: readonly string[]): void {
  const reason =
    "The webhook routes' ids are chosen by API Gateway when the function makes them (one per valid token), and " +
    'their route settings are keyed by route key, which holds the token: the grant names the one API and stage, ' +
    'and routes/* and routesettings/* under them, nothing else.';
  acknowledge(
    role,
    Object.fromEntries(
      wildcards.map((arn) => [
        `AwsSolutions-IAM5[Resource::${cfnFindingResource(Stack.of(role).resolve(arn) as unknown)}]`,
        reason,
      ]),
    ),
  );
}

/** The role API Gateway sends webhooks to the ingest queue with. */
export function acknowledgeApiRole(role: IConstruct): void {
  acknowledge(role, {
    'HIPAA.Security-IAMNoInlinePolicy':
      "This role belongs to the webhook route's integration and its inline policy allows only sqs:SendMessage on " +
      'the ingest queue and the two key actions encrypting it needs. A managed policy would be shared by nothing.',
  });
}

/** Slack's interactivity route: Slack cannot send an IAM signature or a token; each request carries its own. */
export function acknowledgeInteractivityRoute(route: IConstruct): void {
  acknowledge(route, {
    'AwsSolutions-APIG4':
      'Slack calls the interactivity URL with neither an IAM signature nor a token; every request is signed with the ' +
      "Slack app's signing secret (v0 HMAC-SHA256 of timestamp and body), which the function verifies before it " +
      'reads anything else, refusing a stale or replayed request with 401. The route has a throttle of its own.',
  });
}

/** The probe lists the relay's alarms in ALARM; DescribeAlarms is granted on `*`, as CloudWatch documents it. */
export function acknowledgeProbeRole(role: IConstruct): void {
  acknowledge(role, {
    'AwsSolutions-IAM5[Resource::*]':
      'cloudwatch:DescribeAlarms, a read of alarm definitions, on every alarm: its API reference asks for a ' +
      'permission scoped to * and no page says a narrower one holds for a call filtered by name prefix and state. ' +
      "The probe keeps only the relay's own alarms (its name prefix, acting on its health topic) to send reminders.",
  });
}

/** A resolved `Fn::Join` as cdk-nag prints it in a finding id: `<AWS::Region>` for pseudo parameters. */
function cfnFindingResource(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(cfnFindingResource).join(join[0]);
  const ref = (value as { Ref?: string }).Ref;
  return ref !== undefined ? `<${ref}>` : JSON.stringify(value);
}
