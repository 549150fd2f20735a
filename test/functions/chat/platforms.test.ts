import { toAlertView } from '../../../functions/alerts/alert-view';
import type { ChatView } from '../../../functions/alerts/chat-view';
import { toDigestView } from '../../../functions/alerts/digest-view';
import { createSender, PLATFORMS, WEBHOOK_PLATFORMS } from '../../../functions/chat/platforms';
import { CHAT_KINDS, DESTINATION_KINDS } from '../../../functions/config/destination-kinds';
import { SLACK_OK, startFakeChatServer, TEAMS_ACCEPTED } from '../../support/fake-chat-server';
import { fixtureEvent } from '../../support/events';
import { stormEvents } from '../../support/storm-events';

const options = { destination: 'ops', detail: 'minimal', fingerprintKey: 'k' } as const;
const VIEWS: readonly [string, ChatView][] = [
  ['an alert', toAlertView(fixtureEvent('permanent_failure'), options)],
  ['a digest', toDigestView(stormEvents(25), options)],
];
const OK = { slack: SLACK_OK, teams: TEAMS_ACCEPTED } as const;

describe('the platform registry', () => {
  it('has one platform per destination kind, under its own kind', () => {
    expect(Object.keys(PLATFORMS).sort()).toEqual([...DESTINATION_KINDS].sort());
    for (const kind of DESTINATION_KINDS) expect(PLATFORMS[kind].kind).toBe(kind);
    expect(WEBHOOK_PLATFORMS.map((p) => p.kind)).toEqual([...CHAT_KINDS]);
  });

  it('gives every chat platform a name, webhook hosts and a rate', () => {
    for (const platform of WEBHOOK_PLATFORMS) {
      expect(platform.label).not.toBe('');
      expect(platform.hosts.length + platform.hostSuffixes.length).toBeGreaterThan(0);
      for (const suffix of platform.hostSuffixes) expect(suffix).toMatch(/^\.[a-z0-9.-]+$/);
      expect(platform.messagesPerSecond).toBeGreaterThan(0);
    }
  });

  it.each(VIEWS)('renders %s on every platform, with its title', (_, view) => {
    for (const kind of DESTINATION_KINDS) {
      const body = PLATFORMS[kind].render(view);
      expect(typeof body === 'string' ? body : JSON.stringify(body)).toContain(view.title);
    }
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

  it('prints a console destination where it is told, with no URL', async () => {
    const lines: string[] = [];
    const sender = createSender('console', undefined, { timeoutMs: 5000, write: (text) => lines.push(text) });
    expect(sender.kind).toBe('console');
    for (const [, view] of VIEWS) await sender.send(view);
    expect(lines).toEqual(VIEWS.map(([, view]) => `${PLATFORMS.console.render(view)}\n`));
  });

  it.each(CHAT_KINDS)('refuses to make a %s sender without a URL', (kind) => {
    expect(() => createSender(kind, undefined, { timeoutMs: 5000 })).toThrow(`a ${kind} destination needs a URL`);
  });
});
