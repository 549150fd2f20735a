import { Match } from 'aws-cdk-lib/assertions';
import { parseRelayConfig } from '../../functions/config';
import { PauboxAlertRelay } from '../../lib/paubox-alert-relay';
import { arnOf, logicalId, projectApp, resourcesFor, statementsOf, type Json } from './template-helpers';
import { recordStack } from './record-stack';
import { Stack } from 'aws-cdk-lib';

describe('scheduled reports', () => {
  const { stack, template, resources } = recordStack({
    archive: {},
    reports: [
      { to: ['ops'], every: 'week', at: '07:30', timeZone: 'America/New_York' },
      { to: ['ops', 'care-team'], every: 'day', header: 'X-Campaign' },
    ],
  });
  const { reports, archive } = stack.relay.record;
  const reportFn = logicalId(stack, reports!.function);

  it('schedules each report in its time zone, running the report function with its period and destinations', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 7 ? * MON *)',
      ScheduleExpressionTimezone: 'America/New_York',
      Target: Match.objectLike({
        Arn: arnOf(reportFn),
        Input: JSON.stringify({ every: 'week', to: ['ops'], scheduledTime: '<aws.scheduler.scheduled-time>' }),
      }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      Target: Match.objectLike({
        Input: JSON.stringify({
          every: 'day',
          to: ['ops', 'care-team'],
          header: 'X-Campaign',
          scheduledTime: '<aws.scheduler.scheduled-time>',
        }),
      }),
    });
  });

  it("lets the report function run the saved queries and send to the destinations' queues, and no more", () => {
    const statements = statementsOf(template, reportFn);
    const workgroup = resourcesFor(statements, 'athena:StartQueryExecution');
    expect(workgroup).toHaveLength(1);
    expect(workgroup[0]).toContain(':workgroup/');
    const queues = resourcesFor(statements, 'sqs:SendMessage').sort();
    expect(queues).toEqual(
      [stack.relay.destinations.ops!.queue, stack.relay.destinations['care-team']!.queue]
        .map((q) => JSON.stringify(arnOf(logicalId(stack, q))))
        .sort(),
    );
    expect(resourcesFor(statements, 's3:PutObject')).toHaveLength(1);
    expect(resourcesFor(statements, 's3:PutObject')[0]).toContain('/athena-results/*');
    const env = (resources[reportFn]!.Properties as { Environment: { Variables: Json } }).Environment.Variables;
    expect(Object.keys(env).sort()).toEqual([
      'ARCHIVE_DATABASE',
      'ATHENA_WORKGROUP',
      'NAMED_QUERIES',
      'RELAY_ID',
      'REPORT_QUEUE_URLS',
    ]);
    expect(archive).toBeDefined();
  });

  it('deploys neither schedule nor bus unless asked', () => {
    const plain = recordStack({ archive: {} });
    plain.template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    plain.template.resourceCountIs('AWS::Events::EventBus', 0);
  });

  it('refuses reports without an archive, and reports to a destination that is not deployed', () => {
    expect(() =>
      parseRelayConfig(
        {
          destinations: [{ name: 'ops' }],
          routes: [{ events: ['delivered'], to: ['ops'] }],
          reports: [{ to: ['ops'], every: 'day' }],
        },
        'deploy',
      ),
    ).toThrow(/reports: summaries are read from the archive; add "archive": \{\}/);
    const config = parseRelayConfig(
      {
        destinations: [{ name: 'ops' }, { name: 'terminal', kind: 'console' }],
        routes: [{ events: ['delivered'], to: ['ops', 'terminal'] }],
        archive: {},
        reports: [{ to: ['terminal'], every: 'day' }],
      },
      'deploy',
    );
    expect(() => new PauboxAlertRelay(new Stack(projectApp(), 'Bad'), 'Relay', { config })).toThrow(
      /reports name destinations that are not deployed \(terminal\)/,
    );
  });
});
