import type { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type LogLevel, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  APP_LAMBDA_ENTRIES,
  type AppLambdaName,
  BUNDLING_LOG_LEVEL_CONTEXT,
  bundlingFor,
  LAMBDA_ENTRIES,
  RECORD_LAMBDA_ENTRIES,
  type LambdaName,
  type RecordLambdaName,
} from '../bundling';
import { acknowledgeFunction, acknowledgeFunctionRole, type Invocation } from '../nag-acknowledgments';
import type { RelayEncryption } from './encryption';
import { RELAY_ENV } from '../../functions/aws';
import { environmentOf } from './function-env';

/**
 * Why a function fed by an SQS event source needs no reserved concurrency. Reserving some would make a fresh
 * account's deploy fail: its quota (10) has none to spare.
 */
export const QUEUE_CONCURRENCY_BOUND =
  "Bounded by its SQS event source's maximum concurrency (ScalingConfig), which needs no reservation from the " +
  "account's concurrency quota; a fresh account (quota 10) cannot reserve any and its deploy would fail.";

export interface RelayFunctionProps {
  /** Which handler it runs. */
  readonly entry: LambdaName | RecordLambdaName | AppLambdaName;
  readonly description: string;
  /** Description of the function's own role. */
  readonly roleDescription: string;
  /** Name of its log group under the relay's log group prefix. */
  readonly logName: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly reservedConcurrentExecutions?: number;
  /** How it is invoked, and what bounds its concurrency without a reservation: its cdk-nag acknowledgments. */
  readonly invocation: Invocation;
  /** @default - none: the function has a reserved concurrency */
  readonly concurrencyBound?: string;
}

/** A relay function, its own role and its own log group. */
export interface RelayFunction {
  readonly fn: NodejsFunction;
  /** May write to the function's log group, and nothing else until granted more. */
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
}

export interface RelayFunctionFactoryProps {
  /** Every function's `Relay` metric dimension. */
  readonly relayId: string;
  readonly runtime: lambda.Runtime;
  /** The runtime's Node.js major version, the bundles' target. */
  readonly nodeMajor: number;
  readonly logRetention: logs.RetentionDays;
  readonly encryption: RelayEncryption;
}

/** Builds every relay function the same way: arm64, the shared bundling, an encrypted log group, its own role. */
export class RelayFunctionFactory {
  constructor(private readonly props: RelayFunctionFactoryProps) {}

  /** `<id>` with `<id>Logs` and `<id>Role` beside it in `scope`. */
  public create(scope: Construct, id: string, props: RelayFunctionProps): RelayFunction {
    const logGroup = this.props.encryption.logGroup(scope, `${id}Logs`, props.logName, this.props.logRetention);
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.roleDescription,
    });
    logGroup.grantWrite(role);
    acknowledgeFunctionRole(role);
    const fn = new NodejsFunction(scope, id, {
      runtime: this.props.runtime,
      architecture: lambda.Architecture.ARM_64,
      // Shared with `npm run bench`, which measures what these options build.
      bundling: bundlingFor(
        this.props.nodeMajor,
        scope.node.tryGetContext(BUNDLING_LOG_LEVEL_CONTEXT) as LogLevel | undefined,
      ),
      entry: { ...LAMBDA_ENTRIES, ...RECORD_LAMBDA_ENTRIES, ...APP_LAMBDA_ENTRIES }[props.entry],
      description: props.description,
      memorySize: props.memorySize,
      timeout: props.timeout,
      logGroup,
      role,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: { ...environmentOf(scope, RELAY_ENV, { relayId: this.props.relayId }), ...props.environment },
    });
    const { invocation, concurrencyBound } = props;
    acknowledgeFunction(fn.node.defaultChild!, { invocation, concurrencyBound });
    return { fn, role, logGroup };
  }
}
