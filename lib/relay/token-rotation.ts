import { Aws, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { IngestConfig } from '../../functions/config';
import { acknowledgeRandomPassword, acknowledgeUnrotatableSecret } from '../nag-acknowledgments';
import type { RelayFunctionFactory } from './function-factory';
import { ROTATE_TOKEN_ENV } from '../../functions/aws';
import { environmentOf } from './function-env';

const ROTATION_TIMEOUT = Duration.seconds(30);

export interface TokenRotationProps {
  /** The secret whose token ends the webhook URL. */
  readonly tokenSecret: secretsmanager.Secret;
  readonly key: kms.IKey;
  readonly ingest: IngestConfig;
  readonly functions: RelayFunctionFactory;
  readonly memorySize: number;
}

/**
 * The function that rotates the webhook token, keeping the previous one valid for an overlap, and its rotation
 * schedule: on demand unless `ingest.tokenRotationDays` is set. Created in the relay's own scope
 * (`RotateTokenFunction`, `TokenRotationSchedule`).
 */
export class TokenRotation {
  /** Rotates the webhook token (`aws secretsmanager rotate-secret --secret-id <token secret>`). */
  public readonly rotateTokenFunction: NodejsFunction;

  constructor(scope: Construct, props: TokenRotationProps) {
    const { tokenSecret, ingest } = props;
    const { fn, role } = props.functions.create(scope, 'RotateTokenFunction', {
      entry: 'rotateToken',
      description: 'Rotates the Paubox webhook token, keeping the previous one valid for an overlap',
      roleDescription: 'Rotates the Paubox relay webhook token',
      logName: 'rotate-token',
      memorySize: props.memorySize,
      timeout: ROTATION_TIMEOUT,
      environment: environmentOf(scope, ROTATE_TOKEN_ENV, { overlapHours: ingest.tokenOverlapHours }),
      invocation: 'rotation',
      concurrencyBound: 'Invoked only by Secrets Manager, for this one secret, one rotation step at a time.',
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
}
