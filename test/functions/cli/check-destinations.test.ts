import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../functions/cli/run-cli';
import { SLACK_OK, startFakeChatServer } from '../../support/fake-chat-server';
import { captureIo } from '../../support/deployed-stack';
import { startFakeSlackApi } from '../../support/fake-slack-api';

describe('check-destinations --local', () => {
  it('names the missing URL as the reason a chat destination is not checked, and kinds as validate-config does', async () => {
    const slack = await startFakeChatServer({ status: 400, body: 'no_text' });
    // A stand-in that takes `{}` with 200 ok works: its answer is not "unknown".
    const stand = await startFakeChatServer(SLACK_OK);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'relay-check-'));
      const config = join(dir, 'relay.config.json');
      writeFileSync(
        config,
        JSON.stringify({
          destinations: [
            { name: 'ops', kind: 'slack', detail: 'minimal' },
            { name: 'care-team', detail: 'recipient' },
            { name: 'live', kind: 'slack', url: slack.url },
            { name: 'stand-in', kind: 'slack', url: stand.url },
            { name: 'terminal', kind: 'console' },
          ],
          routes: [{ events: ['permanent_failure'], to: ['ops', 'care-team', 'live', 'stand-in', 'terminal'] }],
        }),
      );
      const cli = captureIo();
      await expect(runCli(['check-destinations', '--local', '--config', config], cli)).resolves.toBe(0);
      expect(cli.stdout().split('\n')).toEqual([
        'ops (slack): not checked: it has no "url", so npm start previews its alerts on the console instead of ' +
          'posting them; give it the channel\'s webhook URL as "url" to post and check it',
        'care-team (slack or teams): not checked: it has no "url", so npm start previews its alerts on the console ' +
          'instead of posting them; give it the channel\'s webhook URL as "url" to post and check it',
        'live (slack): ok (no_text)',
        'stand-in (slack): ok (http_200)',
        'terminal (console): ok (console)',
        '',
      ]);
      const validated = captureIo();
      await expect(runCli(['validate-config', config], validated)).resolves.toBe(1);
      // validate-config names a kind-less destination "slack or teams" too (here in its deploy mode's words).
      const local = captureIo();
      writeFileSync(
        config,
        JSON.stringify({
          destinations: [{ name: 'care-team' }],
          routes: [{ events: ['permanent_failure'], to: ['care-team'] }],
        }),
      );
      await expect(runCli(['validate-config', config], local)).resolves.toBe(0);
      expect(local.stdout()).toContain('  care-team: slack or teams, from the stored URL, detail minimal');
    } finally {
      await Promise.all([slack.close(), stand.close()]);
    }
  });
});

describe('check-destinations --local with a Slack app', () => {
  it('checks it with auth.test and conversations.info, posting nothing, and says how to fix a broken one', async () => {
    const api = await startFakeSlackApi({ token: 'xoxb-check', channels: [{ id: 'C0LIVE00001', member: false }] });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'relay-check-app-'));
      const config = join(dir, 'relay.config.json');
      writeFileSync(
        config,
        JSON.stringify({
          destinations: [{ name: 'care-app', channel: 'C0LIVE00001' }],
          routes: [{ events: ['permanent_failure'], to: ['care-app'] }],
        }),
      );
      const cli = captureIo();
      cli.env.RELAY_SLACK_BOT_TOKEN_CARE_APP = 'xoxb-check';
      cli.env.SLACK_API_BASE_URL = api.baseUrl;
      await expect(runCli(['check-destinations', '--local', '--config', config], cli)).resolves.toBe(1);
      expect(cli.stdout()).toBe(
        'care-app (slack app): BROKEN (not_in_channel); fix: invite the app to the channel (/invite @<app name>), ' +
          'then npx paubox-relay redrive care-app\n',
      );
      expect(api.calls.map((c) => c.method)).toEqual(['auth.test', 'conversations.info']);
      expect(cli.stdout() + cli.stderr()).not.toContain('xoxb-check');
    } finally {
      await api.close();
    }
  });
});
