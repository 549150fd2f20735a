import { toAlertView } from '../../../functions/alerts';
import { consolePlatform } from '../../../functions/chat/console';
import { createDestinationSender } from '../../../functions/chat/destination-sender';
import { CHAT_KINDS } from '../../../functions/chat';
import { fixtureEvent } from '../../support/events';
import { SLACK_OK, startFakeChatServer } from '../../support/fake-chat-server';

const view = toAlertView(fixtureEvent('permanent_failure'), {
  destination: 'ops',
  detail: 'minimal',
  fingerprintKey: 'k',
});

describe('createDestinationSender', () => {
  it('prints a console destination where it is told, with no URL', async () => {
    const lines: string[] = [];
    const sender = createDestinationSender('console', undefined, {
      timeoutMs: 5000,
      write: (text) => lines.push(text),
    });
    expect(sender.kind).toBe('console');
    await sender.send(view);
    expect(lines).toEqual([`${consolePlatform.render(view)}\n`]);
  });

  it('posts a chat destination to its URL', async () => {
    const server = await startFakeChatServer(SLACK_OK);
    try {
      const sender = createDestinationSender('slack', server.url, { timeoutMs: 5000 });
      expect(sender.kind).toBe('slack');
      await sender.send(view);
      expect(server.received).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it.each([...CHAT_KINDS, undefined])(
    'previews a %s destination without a URL on the console, marked',
    async (kind) => {
      const lines: string[] = [];
      const sender = createDestinationSender(kind, undefined, { timeoutMs: 5000, write: (text) => lines.push(text) });
      expect(sender.kind).toBe('console');
      await sender.send(view);
      expect(lines).toEqual([`preview, not posted to ${kind ?? 'slack or teams'}: ${consolePlatform.render(view)}\n`]);
    },
  );
});
