import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { RelayConfig } from '../../functions/config';
import type * as events from 'aws-cdk-lib/aws-events';
import { INGEST_ENV, NOTIFIER_ENV, PROBE_ENV } from '../../functions/aws';
import { adviceSettings, rateSettings, rateTargets } from '../../functions/sending';
import { addEnvironment } from './function-env';
import { DEDUP_KEY_ACTIONS, type NotifierState } from './notifier-state';
import { grantSend } from './queue-factory';

/** What the ingest consumer does with bounce-rate items: atomic adds, batch reads, compare-and-set alert states. */
export const RATE_TABLE_ACTIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:BatchGetItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
] as const;

/**
 * Lets the ingest consumer count every event's sender domain in the relay's table and queue bounce-rate notices on
 * the queues of `rates.to` (by default the destinations that receive permanent failures), and tells it where they
 * are. Nothing is granted when no deployed destination would receive a notice: the consumer then counts nothing.
 */
export function grantRateCounting(
  consumer: lambda.Function,
  props: {
    readonly config: RelayConfig;
    readonly state: NotifierState;
    readonly key: kms.IKey;
    readonly queues: Readonly<Record<string, sqs.IQueue>>;
    /** The notifiers, by destination: those of `rates.to` fold a firing domain's failures (`rates.inhibit`). */
    readonly notifiers: Readonly<Record<string, lambda.Function>>;
  },
): string[] {
  const targets = rateTargets(props.config).filter((name) => props.queues[name] !== undefined);
  if (props.config.rates?.inhibit ?? true) {
    for (const name of targets) {
      const notifier = props.notifiers[name];
      if (notifier) addEnvironment(notifier, NOTIFIER_ENV, { rateInhibit: true });
    }
  }
  if (targets.length === 0) return [];
  const { dedupTable } = props.state;
  dedupTable.grant(consumer, ...RATE_TABLE_ACTIONS);
  dedupTable.grantOnKey(consumer, ...DEDUP_KEY_ACTIONS);
  for (const name of targets) grantSend(props.queues[name]!, consumer, props.key);
  addEnvironment(consumer, INGEST_ENV, {
    rateTable: dedupTable.tableName,
    rateSettings: rateSettings(props.config),
    rateQueues: Object.fromEntries(targets.map((name) => [name, props.queues[name]!.queueUrl])),
  });
  return targets;
}

/** What the scheduled probe does with silences: list them, and mark one announced before queuing its end messages. */
export const SILENCE_ANNOUNCER_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'] as const;

/** Lets the scheduled probe queue the end messages of silences (it can already send to every destination queue). */
export function grantSilenceAnnouncing(probe: lambda.Function, state: NotifierState): void {
  state.dedupTable.grant(probe, ...SILENCE_ANNOUNCER_ACTIONS);
  state.dedupTable.grantOnKey(probe, ...DEDUP_KEY_ACTIONS);
  addEnvironment(probe, PROBE_ENV, { silenceTable: state.dedupTable.tableName });
}

/**
 * Tells a notifier the `advice` settings (its hard bounces are recorded in the table it already uses) and, with
 * `automation.eventBridge`, lets it put each new advice on the relay's bus as `RecipientSuppressionAdvised`.
 */
export function grantAdvice(notifier: lambda.Function, config: RelayConfig, bus?: events.IEventBus): void {
  addEnvironment(notifier, NOTIFIER_ENV, { adviceSettings: adviceSettings(config) });
  if (!bus) return;
  bus.grantPutEventsTo(notifier);
  addEnvironment(notifier, NOTIFIER_ENV, { adviceBus: bus.eventBusName });
}
