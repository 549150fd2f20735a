import { toAlertView } from '../../../functions/alerts/alert-view';
import type { ChatView } from '../../../functions/alerts/chat-view';
import { toDigestView } from '../../../functions/alerts/digest-view';
import { createSender, PLATFORM_LIST, PLATFORMS } from '../../../functions/chat/platforms';
import { CHAT_KINDS } from '../../../functions/config/destination-kinds';
import { fixtureEvent } from '../../support/events';
import { SLACK_OK, startFakeChatServer, TEAMS_ACCEPTED } from '../../support/fake-chat-server';
import { stormEvents } from '../../support/storm-events';

const options = { destination: 'ops', detail: 'minimal', fingerprintKey: 'k' } as const;
const VIEWS: readonly [string, ChatView][] = [
  ['an alert', toAlertView(fixtureEvent('permanent_failure'), options)],
  ['a digest', toDigestView(stormEvents(25), options)],
];
const OK = { slack: SLACK_OK, teams: TEAMS_ACCEPTED } as const;

describe('the chat platform registry', () => {
  it('has one platform per chat kind, under its own kind, listed in the order of the kinds', () => {
    expect(Object.keys(PLATFORMS).sort()).toEqual([...CHAT_KINDS].sort());
    for (const kind of CHAT_KINDS) expect(PLATFORMS[kind].kind).toBe(kind);
    expect(PLATFORM_LIST.map((p) => p.kind)).toEqual([...CHAT_KINDS]);
  });

  it('gives every platform a name, webhook hosts and a rate', () => {
    for (const platform of PLATFORM_LIST) {
      expect(platform.label).not.toBe('');
      expect(platform.hosts.length + platform.hostSuffixes.length).toBeGreaterThan(0);
      for (const suffix of platform.hostSuffixes) expect(suffix).toMatch(/^\.[a-z0-9.-]+$/);
      expect(platform.messagesPerSecond).toBeGreaterThan(0);
    }
  });

  it.each(VIEWS)('renders %s on every platform, with its title', (_, view) => {
    for (const platform of PLATFORM_LIST) expect(JSON.stringify(platform.render(view))).toContain(view.title);
  });

  it.each(CHAT_KINDS.flatMap((kind) => VIEWS.map(([what, view]) => [kind, what, view] as const)))(
    '%s: the sender posts what the platform renders for %s',
    async (kind, _, view) => {
      const server = await startFakeChatServer(OK[kind]);
      try {
        const sender = createSender(kind, server.url, { timeoutMs: 5000 });
        expect(sender.kind).toBe(kind);
        await sender.send(view);
        expect(server.received).toHaveLength(1);
        expect(server.received[0]!.json).toEqual(JSON.parse(JSON.stringify(PLATFORMS[kind].render(view))));
      } finally {
        await server.close();
      }
    },
  );
});
