import { Aws, CustomResource, Duration } from 'aws-cdk-lib';
import type { CfnIntegration, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { IngestConfig } from '../../functions/config';
import {
  acknowledgeRandomPassword,
  acknowledgeUnrotatableSecret,
  acknowledgeWebhookRoutes,
} from '../nag-acknowledgments';
import type { RelayFunctionFactory } from './function-factory';
import { ROTATE_TOKEN_ENV } from '../../functions/aws';
import { environmentOf } from './function-env';

const ROTATION_TIMEOUT = Duration.seconds(30);
/** How often the webhook routes are brought in line with the secret: a route outlives its token's overlap by this. */
export const ROUTE_SWEEP = Duration.minutes(5);

export interface TokenRotationProps {
  /** The secret whose token ends the webhook URL. */
  readonly tokenSecret: secretsmanager.Secret;
  readonly key: kms.IKey;
  readonly ingest: IngestConfig;
  readonly functions: RelayFunctionFactory;
  readonly memorySize: number;
  /** The HTTP API whose webhook routes (one per valid token) this function makes and deletes. */
  readonly api: HttpApi;
  /** The integration every webhook route targets. */
  readonly webhookIntegration: CfnIntegration;
  readonly stageName: string;
  /** Each webhook route's own throttle. */
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
}

/**
 * The function that rotates the webhook token, keeping the previous one valid for an overlap, and its rotation
 * schedule: on demand unless `ingest.tokenRotationDays` is set. The same function keeps one webhook route per
 * valid token on the API: made at deploy by a custom resource (so the template holds no token), at each rotation,
 * and every {@link ROUTE_SWEEP} by a schedule that deletes a route once its token's overlap ends. Created in the
 * relay's own scope (`RotateTokenFunction`, `TokenRotationSchedule`, `WebhookRoutes`, `WebhookRouteSweep`).
 */
export class TokenRotation {
  /** Rotates the webhook token (`aws secretsmanager rotate-secret --secret-id <token secret>`). */
  public readonly rotateTokenFunction: NodejsFunction;
  /** Makes the current token's webhook route at deploy: what the deploy's self-test posts to runs after it. */
  public readonly webhookRoutes: CustomResource;

  constructor(scope: Construct, props: TokenRotationProps) {
    const { tokenSecret, ingest } = props;
    const { fn, role } = props.functions.create(scope, 'RotateTokenFunction', {
      entry: 'rotateToken',
      description: 'Rotates the Paubox webhook token, keeping the previous one valid for an overlap',
      roleDescription: 'Rotates the Paubox relay webhook token',
      logName: 'rotate-token',
      memorySize: props.memorySize,
      timeout: ROTATION_TIMEOUT,
      environment: environmentOf(scope, ROTATE_TOKEN_ENV, {
        overlapHours: ingest.tokenOverlapHours,
        tokenSecretArn: tokenSecret.secretArn,
        apiId: props.api.apiId,
        integrationId: props.webhookIntegration.ref,
        stageName: props.stageName,
        rateLimit: props.throttlingRateLimit,
        burstLimit: props.throttlingBurstLimit,
      }),
      invocation: 'rotation',
      concurrencyBound:
        'Invoked by Secrets Manager for this one secret (one rotation step at a time), by CloudFormation once per ' +
        `deploy and by a schedule every ${ROUTE_SWEEP.toMinutes()} minutes: a handful of invocations an hour.`,
    });
    this.rotateTokenFunction = fn;
    // What CDK's addRotationSchedule would grant, without its wildcard key actions.
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: [
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
      ],
      resourceArns: [tokenSecret.secretArn],
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
        resources: [props.key.keyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com`,
            'kms:EncryptionContext:SecretARN': tokenSecret.secretArn,
          },
        },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] }),
    );
    acknowledgeRandomPassword(role);
    this.allowRoutes(role, props);
    fn.addPermission('InvokeBySecretsManager', {
      principal: new iam.ServicePrincipal('secretsmanager.amazonaws.com'),
      // This function rotates this one secret only.
      sourceArn: tokenSecret.secretArn,
      sourceAccount: Aws.ACCOUNT_ID,
    });
    // On demand unless a schedule is configured: a new token means pasting a new URL into Paubox. Never at deploy.
    const rotation = new secretsmanager.CfnRotationSchedule(scope, 'TokenRotationSchedule', {
      secretId: tokenSecret.secretArn,
      rotationLambdaArn: fn.functionArn,
      rotateImmediatelyOnUpdate: false,
      ...(ingest.tokenRotationDays !== undefined
        ? { rotationRules: { automaticallyAfterDays: ingest.tokenRotationDays } }
        : {}),
    });
    rotation.node.addDependency(fn.node.findChild('InvokeBySecretsManager'));
    // Made once the function may change routes; made again when the integration (or API) is replaced.
    const routes = new CustomResource(scope, 'WebhookRoutes', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::PauboxWebhookRoutes',
      properties: { ApiId: props.api.apiId, IntegrationId: props.webhookIntegration.ref },
    });
    this.webhookRoutes = routes;
    routes.node.addDependency(role);
    if (props.api.defaultStage) routes.node.addDependency(props.api.defaultStage);
    new events.Rule(scope, 'WebhookRouteSweep', {
      description: "Deletes the previous webhook token's route once its overlap has ended",
      schedule: events.Schedule.rate(ROUTE_SWEEP),
      targets: [new targets.LambdaFunction(fn, { retryAttempts: 2, maxEventAge: Duration.minutes(30) })],
    });
    if (ingest.tokenRotationDays === undefined) {
      acknowledgeUnrotatableSecret(
        tokenSecret.node.defaultChild!,
        'Rotation is set up (a custom rotation function keeps the previous token valid for an overlap) but runs on ' +
          'demand: each new token must be pasted into the Paubox dashboard, and an unattended schedule would end ' +
          'the old URL after the overlap with nobody having pasted the new one. Set ingest.tokenRotationDays to ' +
          'schedule it.',
      );
    }
  }

  /** Routes and their throttle on this one API and stage: nothing else of API Gateway. */
  private allowRoutes(role: iam.Role, props: TokenRotationProps): void {
    const api = `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::/apis/${props.api.apiId}`;
    const stage = `${api}/stages/${props.stageName}`;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['apigateway:GET', 'apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE'],
        resources: [`${api}/routes`, `${api}/routes/*`, stage, `${stage}/routesettings/*`],
      }),
    );
    acknowledgeWebhookRoutes(role, [`${api}/routes/*`, `${stage}/routesettings/*`]);
  }
}
