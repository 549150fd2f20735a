import type { Duration } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import type { RecordLambdaName } from './bundling';

/** What a record sub-construct asks of the relay to make one of its functions. */
export interface RecordFunctionOptions {
  readonly entry: RecordLambdaName;
  readonly description: string;
  /** The log group's name under the relay's prefix. */
  readonly logName: string;
  readonly timeout: Duration;
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * Makes a function as the relay makes its own: runtime, bundling, an encrypted log group under the relay's prefix,
 * and a role of its own that may write that log group and nothing else until granted more.
 */
export type RecordFunctionFactory = (scope: Construct, id: string, options: RecordFunctionOptions) => NodejsFunction;
