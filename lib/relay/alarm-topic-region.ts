import { Annotations, Aws, CfnRule, Fn, Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * CloudWatch alarms can only notify a topic in their own region. With the stack's region known, an `alarms.topicArn`
 * elsewhere is refused at synth; with an environment-agnostic stack, a warning, and a template rule that stops the
 * deploy before any resource is created rather than fail on the first alarm.
 */
export function checkAlarmTopicRegion(scope: Construct, topicArn: string | undefined): void {
  if (topicArn === undefined) return;
  const topicRegion = topicArn.split(':')[3]!;
  const region = Stack.of(scope).region;
  if (!Token.isUnresolved(region)) {
    if (region !== topicRegion) {
      throw new Error(
        `alarms.topicArn is in ${topicRegion} but the stack deploys to ${region}: CloudWatch alarms can only notify ` +
          `a topic in their own region; give a topic in ${region} (it may forward to the other one)`,
      );
    }
    return;
  }
  Annotations.of(scope).addWarningV2(
    'paubox-alert-relay:alarmTopicRegion',
    `alarms.topicArn is in ${topicRegion}; the stack's region is not known at synth, so the deploy checks it ` +
      `(a template rule) and fails at once in any other region`,
  );
  new CfnRule(scope, 'AlarmTopicInStackRegion', {
    assertions: [
      {
        assert: Fn.conditionEquals(Aws.REGION, topicRegion),
        assertDescription: `alarms.topicArn is in ${topicRegion}: deploy the stack there, or give a topic in this region`,
      },
    ],
  });
}
