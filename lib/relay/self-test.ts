import { createHash } from 'node:crypto';
import { CfnResource, CustomResource, Duration, type IResolveContext, Lazy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct, IConstruct } from 'constructs';
import { INGEST_ENV, SELF_TEST_ENV } from '../../functions/aws';
import { ACCEPT_PATH_PROPERTY } from '../../functions/ingest';
import type { RelayFunctionFactory } from './function-factory';
import { addEnvironment, environmentOf } from './function-env';
import { DEDUP_KEY_ACTIONS } from './notifier-state';

/** The wait for the consumer (60 s), the answer (10 s), a cold start and the reply to CloudFormation. */
const SELF_TEST_TIMEOUT = Duration.minutes(2);

/**
 * Lets the consumer record a self-test webhook as read: one small item in the relay table, with a time to live.
 * Always on, so that `npx paubox-relay verify` works with `selfTest: false` too.
 */
export function recordSelfTests(consumer: NodejsFunction, table: dynamodb.Table, key: kms.IKey): void {
  table.grant(consumer, 'dynamodb:PutItem');
  key.grant(consumer, ...DEDUP_KEY_ACTIONS);
  addEnvironment(consumer, INGEST_ENV, { selfTestTable: table.tableName });
}

export interface DeploySelfTestProps {
  readonly functions: RelayFunctionFactory;
  readonly memorySize: number;
  /** The webhook URL without its token. */
  readonly webhookBaseUrl: string;
  readonly tokenSecret: secretsmanager.ISecret;
  readonly table: dynamodb.Table;
  readonly key: kms.IKey;
  /**
   * What a webhook passes through before the consumer reads it: the API (stage, routes, integration), its role,
   * the ingest queue, the consumer and its event source, the table. The self-test runs after all of them, and
   * again whenever one of them changes.
   */
  readonly acceptPath: readonly IConstruct[];
}

/** The resources of the accept path, with their properties, as one text: what the self-test's hash is taken of. */
function acceptPathResources(acceptPath: readonly IConstruct[]) {
  return acceptPath
    .flatMap((c) => c.node.findAll())
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c))
    .map((r) => ({
      path: r.node.path,
      type: r.cfnResourceType,
      // Public in CloudFormation's sense (the properties written to the template), protected in CDK's types.
      properties: (r as unknown as { readonly cfnProperties: unknown }).cfnProperties,
    }));
}

/**
 * The deploy's self-test: a custom resource, after the accept path, whose function posts a self-test webhook to
 * the real URL and waits for the consumer to read it. A broken hop fails the deploy with its name and what to do,
 * and CloudFormation rolls back. Its `AcceptPath` property is a hash of the accept path's resources, so it runs
 * on every deploy that changes them, and only then. Created in the relay's scope (`SelfTestFunction`, `SelfTest`).
 */
export class DeploySelfTest {
  public readonly fn: NodejsFunction;
  public readonly resource: CustomResource;

  constructor(scope: Construct, props: DeploySelfTestProps) {
    const { fn } = props.functions.create(scope, 'SelfTestFunction', {
      entry: 'selfTest',
      description: 'Posts a self-test webhook to the deployed URL and waits for the ingest consumer to read it',
      roleDescription: 'Deploy self-test of the Paubox alert relay',
      logName: 'self-test',
      memorySize: props.memorySize,
      timeout: SELF_TEST_TIMEOUT,
      environment: environmentOf(scope, SELF_TEST_ENV, {
        webhookBaseUrl: props.webhookBaseUrl,
        tokenSecretArn: props.tokenSecret.secretArn,
        table: props.table.tableName,
      }),
      invocation: 'deploy',
      concurrencyBound: 'Invoked by CloudFormation only, once per deploy that changes the accept path.',
    });
    this.fn = fn;
    // Only what it needs: the current token, and the one item the consumer writes.
    props.tokenSecret.grantRead(fn);
    props.table.grant(fn, 'dynamodb:GetItem');
    props.key.grant(fn, 'kms:Decrypt', 'kms:DescribeKey');
    const hash = Lazy.uncachedString({
      produce: (context: IResolveContext) =>
        createHash('sha256')
          .update(JSON.stringify(context.resolve(acceptPathResources(props.acceptPath))))
          .digest('hex')
          .slice(0, 32),
    });
    this.resource = new CustomResource(scope, 'SelfTest', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::PauboxSelfTest',
      properties: { [ACCEPT_PATH_PROPERTY]: hash },
    });
    this.resource.node.addDependency(...props.acceptPath, fn);
  }
}
