import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../functions/cli/run-cli';
import { SLACK_OK, startFakeChatServer } from '../../support/fake-chat-server';
import { captureIo } from '../../support/deployed-stack';

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
