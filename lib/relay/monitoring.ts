import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { AlarmsConfig } from '../../functions/config';
import { allowAlarmsToPublish } from './health';
import { createRelayDashboard, type RelayDashboardProps } from './dashboard';
import type { RelayEncryption } from './encryption';

export interface RelayMonitoringProps extends RelayDashboardProps {
  /** Where the alarms notify. */
  readonly alarmsConfig: AlarmsConfig;
  readonly encryption: RelayEncryption;
  /** What every alarm does first: notify the relay's health topic, which posts health notices to chat. */
  readonly healthAction: cloudwatch.IAlarmAction;
}

/**
 * Where the relay's alarms notify (the health topic always; `alarms.email`, through a topic created for it, and
 * `alarms.topicArn` besides), and the dashboard that shows them. Created in the relay's own scope (`AlarmTopic`, `Dashboard`).
 */
export class RelayMonitoring {
  /** The topic created for `alarms.email`, encrypted with the relay key; undefined without an e-mail address. */
  public readonly alarmTopic?: sns.Topic;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, props: RelayMonitoringProps) {
    const { alarmsConfig } = props;
    const actions: cloudwatch.IAlarmAction[] = [props.healthAction];
    if (alarmsConfig.email !== undefined) {
      // CloudWatch publishes to the encrypted topic with the key: the key policy must let it.
      props.encryption.allowAlarmNotifications();
      this.alarmTopic = new sns.Topic(scope, 'AlarmTopic', {
        displayName: 'Paubox alert relay alarms',
        masterKey: props.encryption.key,
        enforceSSL: true,
      });
      // The TLS-only statement makes a topic policy, which replaces the default one: CloudWatch needs its own.
      allowAlarmsToPublish(this.alarmTopic);
      this.alarmTopic.addSubscription(new EmailSubscription(alarmsConfig.email));
      actions.push(new SnsAction(this.alarmTopic));
    }
    if (alarmsConfig.topicArn !== undefined) {
      actions.push(new SnsAction(sns.Topic.fromTopicArn(scope, 'ConfiguredAlarmTopic', alarmsConfig.topicArn)));
    }
    // The health topic tells chat on ALARM and on OK again; e-mail and the configured topic hear ALARM only.
    for (const alarm of props.alarms) {
      alarm.addAlarmAction(...actions);
      alarm.addOkAction(props.healthAction);
    }
    this.dashboard = createRelayDashboard(scope, props);
  }
}
