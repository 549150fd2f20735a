import { resolve } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readStackOutputs, requireOutput } from '../aws';
import { localSettings } from '../local';
import { dynamoSilenceStore, FileSilenceStore, type SilenceStore } from '../sending';
import { stackOf, type CliIo, type OptionValues } from './command';

/** The data dir of the local relay, as `npm start` would use it (`--config` picks the configuration file). */
export function localDataDir(values: OptionValues, io: CliIo): string {
  const config = typeof values.config === 'string' ? { RELAY_CONFIG: resolve(io.cwd, values.config) } : {};
  return localSettings({ ...io.env, ...config }, io.cwd).dataDir;
}

/** The relay table of the deployed stack (its `DedupTableName` output). */
export async function deployedTable(values: OptionValues): Promise<{ client: DynamoDBClient; table: string }> {
  const stackName = stackOf(values);
  const outputs = await readStackOutputs(new CloudFormationClient({}), stackName);
  return { client: new DynamoDBClient({}), table: requireOutput(outputs, 'DedupTableName', stackName) };
}

/** The silences of the local relay (`--local`) or of the deployed stack. */
export async function silenceStoreOf(values: OptionValues, io: CliIo): Promise<SilenceStore> {
  if (values.local) return new FileSilenceStore(localDataDir(values, io));
  const { client, table } = await deployedTable(values);
  return dynamoSilenceStore(client, table);
}
