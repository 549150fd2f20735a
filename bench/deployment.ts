/**
 * What the construct deploys, read from its synthesized template rather than restated here: each function's
 * environment, memory size and timeout, and the batch size of its queue. So the bench keeps working when the
 * handlers gain environment variables or the construct changes its sizes.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { RelayConfig } from '../functions/config';
import type { LambdaName } from '../lib/bundling';
import { PauboxAlertRelay } from '../lib';

export const BENCH_ACCOUNT = '111122223333';
export const BENCH_REGION = 'us-east-1';

export interface DeployedFunction {
  readonly memorySizeMb: number;
  readonly timeoutSeconds: number;
  /** Environment variables with every CloudFormation reference replaced by a value of the right shape. */
  readonly environment: Readonly<Record<string, string>>;
  /** Records per invocation of its SQS event source, when it has one. */
  readonly batchSize?: number;
}

export interface Deployment {
  readonly functions: Readonly<Record<LambdaName, DeployedFunction>>;
  /** Secret ARN → value, for the stubbed Secrets Manager. */
  readonly secretValues: Readonly<Record<string, string>>;
  readonly token: string;
}

type Json = Record<string, unknown>;
interface Resource {
  readonly Type: string;
  readonly Properties?: Json;
}

const PSEUDO: Record<string, string> = {
  'AWS::Region': BENCH_REGION,
  'AWS::AccountId': BENCH_ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'PauboxAlertRelayBench',
};

/** What `Ref` and `Fn::GetAtt` give for each resource type, in a deployed stack. */
function refValue(id: string, resource: Resource | undefined): string {
  switch (resource?.Type) {
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${BENCH_REGION}:${BENCH_ACCOUNT}:${String(resource.Properties?.TopicName ?? id)}`;
    case 'AWS::SQS::Queue':
      return `https://sqs.${BENCH_REGION}.amazonaws.com/${BENCH_ACCOUNT}/${id}`;
    case 'AWS::SecretsManager::Secret':
      return `arn:aws:secretsmanager:${BENCH_REGION}:${BENCH_ACCOUNT}:secret:${id}-AbCdEf`;
    default:
      return id;
  }
}

function getAttValue(id: string, attribute: string, resource: Resource | undefined): string {
  if (attribute === 'Arn') {
    const service = (resource?.Type.split('::')[1] ?? 'unknown').toLowerCase();
    return `arn:aws:${service}:${BENCH_REGION}:${BENCH_ACCOUNT}:${id}`;
  }
  if (attribute === 'QueueUrl') return refValue(id, { Type: 'AWS::SQS::Queue' });
  if (attribute === 'QueueName' || attribute === 'TopicName' || attribute === 'Name') return id;
  return `${id}-${attribute}`;
}

function resolve(value: unknown, resources: Readonly<Record<string, Resource>>): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const v = value as Json;
  if (typeof v.Ref === 'string') return PSEUDO[v.Ref] ?? refValue(v.Ref, resources[v.Ref]);
  const getAtt = v['Fn::GetAtt'] as [string, string] | undefined;
  if (getAtt) return getAttValue(getAtt[0], getAtt[1], resources[getAtt[0]]);
  const join = v['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map((part) => resolve(part, resources)).join(join[0]);
  throw new Error(`cannot give a bench value to ${JSON.stringify(value)}; extend bench/deployment.ts`);
}

// Synthesize with cdk.json's feature flags, as `cdk synth` does.
const PROJECT_CONTEXT = (
  JSON.parse(readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

/**
 * Synthesizes the relay for `config` (which must deploy exactly one chat destination) without bundling, and
 * reads what each function gets. The token and fingerprint key are fresh random values; the destination's secret
 * holds `chatUrl`.
 */
export function synthesizeDeployment(config: RelayConfig, chatUrl: string): Deployment {
  // CDK's validation of the synthesized template is for deploys, and costs most of a synthesis: off unless set.
  process.env.CDK_VALIDATION ??= 'false';
  // No stack is bundled: the bench builds the bundles itself, with the same options.
  const app = new App({ context: { ...PROJECT_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'PauboxAlertRelayBench');
  const relay = new PauboxAlertRelay(stack, 'Relay', { config });
  const destinations = Object.values(relay.destinations);
  if (destinations.length !== 1)
    throw new Error(`the bench config must deploy one destination, not ${destinations.length}`);
  const destination = destinations[0]!;
  const template = app.synth().getStackByName(stack.stackName).template as { Resources: Record<string, Resource> };
  const resources = template.Resources;
  const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);

  const batchSizeOf = (functionId: string): number | undefined => {
    const mapping = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::EventSourceMapping' && resolve(r.Properties?.FunctionName, resources) === functionId,
    );
    return mapping?.Properties?.BatchSize === undefined ? undefined : Number(mapping.Properties.BatchSize);
  };
  const read = (construct: IConstruct): DeployedFunction => {
    const id = idOf(construct);
    const props = resources[id]?.Properties ?? {};
    const variables = ((props.Environment as Json | undefined)?.Variables ?? {}) as Json;
    const batchSize = batchSizeOf(id);
    return {
      memorySizeMb: Number(props.MemorySize ?? 128),
      timeoutSeconds: Number(props.Timeout ?? 3),
      environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, resolve(v, resources)])),
      ...(batchSize !== undefined ? { batchSize } : {}),
    };
  };

  const random = (length: number) => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    return Array.from({ length }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
  };
  const token = random(48);
  // Every secret gets a value; the token and the destination's URL the ones the handlers need.
  const secretValues: Record<string, string> = {};
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::SecretsManager::Secret') secretValues[refValue(id, resource)] = random(64);
  }
  secretValues[refValue(idOf(relay.tokenSecret), resources[idOf(relay.tokenSecret)])] = token;
  secretValues[refValue(idOf(destination.secret), resources[idOf(destination.secret)])] = chatUrl;

  return {
    functions: {
      ingest: read(relay.ingestFunction),
      notifier: read(destination.function),
      rotateToken: read(relay.rotateTokenFunction),
      health: read(relay.healthFunction!),
      probe: read(relay.probeFunction!),
      selfTest: read(relay.selfTestFunction!),
    },
    secretValues,
    token,
  };
}
