import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { AlarmsConfig } from '../../functions/config/relay-config';
import { acknowledgeAlarm } from '../nag-acknowledgments';
import { createRelayDashboard, type RelayDashboardProps } from './dashboard';
import type { RelayEncryption } from './encryption';

export interface RelayMonitoringProps extends RelayDashboardProps {
  /** Where the alarms notify. */
  readonly alarmsConfig: AlarmsConfig;
  readonly encryption: RelayEncryption;
}

/**
 * Where the relay's alarms notify (`alarms.email`, through a topic created for it, and `alarms.topicArn`), and the
 * dashboard that shows them. Created in the relay's own scope (`AlarmTopic`, `Dashboard`).
 */
export class RelayMonitoring {
  /** The topic created for `alarms.email`, encrypted with the relay key; undefined without an e-mail address. */
  public readonly alarmTopic?: sns.Topic;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, props: RelayMonitoringProps) {
    const { alarmsConfig } = props;
    const actions: cloudwatch.IAlarmAction[] = [];
    if (alarmsConfig.email !== undefined) {
      // CloudWatch publishes to the encrypted topic with the key: the key policy must let it.
      props.encryption.allowAlarmNotifications();
      this.alarmTopic = new sns.Topic(scope, 'AlarmTopic', {
        displayName: 'Paubox alert relay alarms',
        masterKey: props.encryption.key,
        enforceSSL: true,
      });
      this.alarmTopic.addSubscription(new EmailSubscription(alarmsConfig.email));
      actions.push(new SnsAction(this.alarmTopic));
    }
    if (alarmsConfig.topicArn !== undefined) {
      actions.push(new SnsAction(sns.Topic.fromTopicArn(scope, 'ConfiguredAlarmTopic', alarmsConfig.topicArn)));
    }
    if (actions.length > 0) for (const alarm of props.alarms) alarm.addAlarmAction(...actions);
    else for (const alarm of props.alarms) acknowledgeAlarm(alarm.node.defaultChild!);
    this.dashboard = createRelayDashboard(scope, props);
  }
}
