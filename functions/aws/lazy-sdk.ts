import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';

// The SDK packages are required when first used, not imported: an import would load a client package at cold start
// in every handler that bundles the file, including those that never call it (`npm run bench` measures it). One
// loader per package, so that a bundle keeps only those it calls.
export const cloudFormationSdk = () =>
  require('@aws-sdk/client-cloudformation') as typeof import('@aws-sdk/client-cloudformation');
export const apiGatewayV2Sdk = () =>
  require('@aws-sdk/client-apigatewayv2') as typeof import('@aws-sdk/client-apigatewayv2');
export const dynamodbSdk = () => require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
export const secretsManagerSdk = () =>
  require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
export const snsSdk = () => require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns');
export const eventBridgeSdk = () =>
  require('@aws-sdk/client-eventbridge') as typeof import('@aws-sdk/client-eventbridge');
export const firehoseSdk = () => require('@aws-sdk/client-firehose') as typeof import('@aws-sdk/client-firehose');
export const sqsSdk = () => require('@aws-sdk/client-sqs') as typeof import('@aws-sdk/client-sqs');

/**
 * An SQS client made, and its package loaded, on the first call only: for paths taken when something failed
 * (the ingest quarantine, dead letters), so that the usual path does not pay for them at cold start.
 */
export function sqsClientOnFirstUse(): () => SQSClient {
  let client: SQSClient | undefined;
  return () => (client ??= new (sqsSdk().SQSClient)({}));
}

/** A DynamoDB client made on the first call only: for the rare self-test, which the usual path never meets. */
export function dynamodbClientOnFirstUse(): () => DynamoDBClient {
  let client: DynamoDBClient | undefined;
  return () => (client ??= new (dynamodbSdk().DynamoDBClient)({}));
}
