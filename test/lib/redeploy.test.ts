/**
 * Redeploys as CloudFormation runs them: a resource kept on delete outlives its removal from the template (or the
 * stack), so a later create of a resource with the same fixed name fails with "already exists" and rolls back.
 */
import { parseRelayConfig } from '../../functions/config';
import { PauboxAlertRelayStack } from '../../lib/paubox-alert-relay-stack';
import { Template } from 'aws-cdk-lib/assertions';
import { projectApp } from './template-helpers';

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
}

const WITH_EVERYTHING = {
  destinations: [
    { name: 'ops', kind: 'slack' },
    { name: 'care-team', kind: 'teams' },
  ],
  routes: [{ events: ['permanent_failure'], to: ['ops', 'care-team'] }],
  archive: {},
  reports: [{ to: ['care-team'], every: 'week' }],
};
const WITHOUT = {
  destinations: [{ name: 'ops', kind: 'slack' }],
  routes: [{ events: ['permanent_failure'], to: ['ops'] }],
};

function resources(config: Record<string, unknown>): Record<string, Resource> {
  const stack = new PauboxAlertRelayStack(projectApp(), 'Redeployed', { config: parseRelayConfig(config, 'deploy') });
  return Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
}

/** Properties that name a resource in its account and region (not, say, a key attribute's name). */
const PHYSICAL_NAME =
  /^(Name|LogGroupName|BucketName|TableName|QueueName|TopicName|DashboardName|FunctionName|RoleName|DeliveryStreamName|AlarmName|AliasName|EventBusName|GroupName)$/;

/** Each fixed physical name a resource sets, as `<type> <json of the value>`: a `…Name` property or a nested `Name`. */
function fixedNames(resource: Resource): string[] {
  const names: string[] = [];
  const visit = (value: unknown, key: string): void => {
    if (value === null || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (
        PHYSICAL_NAME.test(k) &&
        (typeof v === 'string' || (typeof v === 'object' && v !== null && 'Fn::Join' in v))
      ) {
        names.push(`${resource.Type} ${key}.${k} ${JSON.stringify(v)}`);
      } else if (!Array.isArray(v)) visit(v, k);
    }
  };
  visit(resource.Properties ?? {}, '');
  return names;
}

const kept = (r: Resource) => r.DeletionPolicy === 'Retain' || r.DeletionPolicy === 'RetainExceptOnCreate';

describe('a redeploy never collides with what an earlier deploy kept', () => {
  const first = resources(WITH_EVERYTHING);
  const removed = resources(WITHOUT);
  const again = resources(WITH_EVERYTHING);
  const namesIn = (all: Record<string, Resource>) => new Set(Object.values(all).flatMap(fixedNames));

  test('removing a destination, the archive and reports, then adding them back', () => {
    const orphaned = Object.entries(first).filter(([id, r]) => kept(r) && !(id in removed));
    // The removed destination's notifier logs, the archive's bucket and stream logs, the report function's logs.
    expect(orphaned.length).toBeGreaterThanOrEqual(4);
    const orphanedNames = orphaned.flatMap(([, r]) => fixedNames(r));
    const created = namesIn(again);
    expect(orphanedNames.filter((name) => created.has(name))).toEqual([]);
  });

  test('cdk destroy, then deploying the same stack again', () => {
    const keptAfterDestroy = Object.values(first).filter(kept);
    expect(keptAfterDestroy.length).toBeGreaterThanOrEqual(8);
    const created = namesIn(again);
    expect(keptAfterDestroy.flatMap(fixedNames).filter((name) => created.has(name))).toEqual([]);
  });

  test('the check sees a fixed name where one is set', () => {
    const named: Resource = { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/fixed' } };
    const nested: Resource = { Type: 'AWS::Glue::Database', Properties: { DatabaseInput: { Name: 'db' } } };
    expect(fixedNames(named)).toEqual(['AWS::Logs::LogGroup .LogGroupName "/fixed"']);
    expect(fixedNames(nested)).toEqual(['AWS::Glue::Database DatabaseInput.Name "db"']);
  });
});
