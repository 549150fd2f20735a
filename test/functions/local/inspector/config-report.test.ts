import { mkdtempSync, writeFileSync } from 'node:fs';
import { checkDestinationUrl } from '../../../../functions/chat';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRelayConfigFile } from '../../../../functions/config';
import { configReport } from '../../../../functions/local/inspector/config-report';

const SECRET_URL = 'https://hooks.slack.com/services/T000/B000/s3cr3tpart';

function configFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'relay-config-report-')), 'relay.config.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const valid = {
  destinations: [
    { name: 'ops', kind: 'slack', url: SECRET_URL, digest: { windowSeconds: 5 } },
    { name: 'spare', kind: 'console' },
  ],
  routes: [{ events: ['permanent_failure'], to: ['ops'] }],
};

describe('configReport', () => {
  it('shows destinations by host only, and names a destination no route reaches', () => {
    const path = configFile(valid);
    const report = configReport(loadRelayConfigFile(path, 'local', checkDestinationUrl), path);
    expect(JSON.stringify(report)).not.toContain('s3cr3tpart');
    expect(report.destinations[0]).toEqual({
      name: 'ops',
      kind: 'slack',
      platform: 'slack',
      detail: 'minimal',
      host: 'hooks.slack.com',
      digestWindowSeconds: 5,
    });
    expect(report.problems).toEqual([expect.stringMatching(/^destination "spare": no route names it/)]);
    expect(report.source).toBe(path);
  });

  it('reports what is wrong with the file as edited since start-up', () => {
    const path = configFile(valid);
    const loaded = loadRelayConfigFile(path, 'local', checkDestinationUrl);
    writeFileSync(path, JSON.stringify({ ...valid, routes: [{ events: ['bounced'], to: ['nobody'] }] }));
    const report = configReport(loaded, path);
    // Every problem of the edited file at once: the schema's and the unknown destination.
    expect(report.problems.filter((p) => p.startsWith('on disk now'))).toEqual([
      expect.stringContaining('routes[0].events[0]: expected one of'),
      expect.stringContaining('routes[0].to[0]: no destination is named "nobody" (defined: ops, spare)'),
    ]);
    expect(report.routes).toEqual([{ events: ['permanent_failure'], to: ['ops'] }]);
  });

  it('says where a config given in code came from', () => {
    expect(
      configReport(loadRelayConfigFile(configFile(valid), 'local', checkDestinationUrl), undefined).source,
    ).toMatch(/given by the program/);
  });
});
