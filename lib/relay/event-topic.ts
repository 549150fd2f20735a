import { Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FilterPolicy } from '../../functions/routing';

/**
 * The encrypted topic every accepted event is published to, and the routed subscriptions that fan it out to the
 * destination queues. Created in the relay's own scope (`Topic`, `TopicByArn`).
 */
export class EventTopic {
  /** Carries every accepted event, with `event_type` and `sender_domain` message attributes for routing. */
  public readonly topic: sns.Topic;
  /** The topic's ARN, formatted from its name (no reference to the topic): for key policies. */
  public readonly topicArn: string;
  /** The same topic, known by its ARN: see the constructor. */
  private readonly topicByArn: sns.ITopic;

  constructor(
    scope: Construct,
    private readonly key: kms.IKey,
  ) {
    // The topic and the queues share the key, and each SQS subscription adds a key-policy statement limited to the
    // topic's ARN: referencing the topic there would make key → topic → key a cycle. A named topic has an ARN known
    // without a reference, so subscriptions (and those key-policy statements) use that ARN instead.
    const topicName = `${Names.uniqueResourceName(scope, { maxLength: 240, separator: '-' })}-events`;
    this.topic = new sns.Topic(scope, 'Topic', { topicName, masterKey: key, enforceSSL: true });
    this.topicArn = Stack.of(scope).formatArn({ service: 'sns', resource: topicName });
    this.topicByArn = sns.Topic.fromTopicArn(scope, 'TopicByArn', this.topicArn);
  }

  /**
   * Lets `grantee` publish. Spelled out rather than `grantPublish`, whose key actions are wildcards
   * (kms:GenerateDataKey*, kms:ReEncrypt*): publishing to an encrypted topic needs these two.
   */
  public grantPublish(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['sns:Publish'], resourceArns: [this.topic.topicArn] });
    this.key.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey');
  }

  /** Delivers every event to `subscriber` (the deliverability record's stream and queue), unfiltered. */
  public subscribeAll(subscriber: sns.ITopicSubscription): sns.Subscription {
    const subscription = this.topicByArn.addSubscription(subscriber);
    subscription.node.addDependency(this.topic);
    return subscription;
  }

  /** Delivers to `queue`, as raw messages, the events that match `policy`. */
  public subscribe(queue: sqs.IQueue, policy: FilterPolicy): sns.Subscription {
    const subscription = this.topicByArn.addSubscription(new SqsSubscription(queue, { rawMessageDelivery: true }));
    subscription.node.addDependency(this.topic);
    // The typed filterPolicy cannot express `$or` or `suffix` matchers; the L1 property takes the policy as is.
    const cfnSubscription = subscription.node.defaultChild;
    if (!(cfnSubscription instanceof sns.CfnSubscription)) throw new Error('SNS subscription has no L1 resource');
    cfnSubscription.filterPolicy = policy;
    cfnSubscription.filterPolicyScope = 'MessageAttributes';
    return subscription;
  }
}
