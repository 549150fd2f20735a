import { toAlertView, type ChatView, toDigestView, HEALTH_PREFIX, healthNotice } from '../../../functions/alerts';
import { createSender, PLATFORM_LIST, PLATFORMS } from '../../../functions/chat/platforms';
import { CHAT_KINDS } from '../../../functions/chat';
import { fixtureEvent } from '../../support/events';
import { SLACK_OK, startFakeChatServer, TEAMS_ACCEPTED } from '../../support/fake-chat-server';
import { stormEvents } from '../../support/storm-events';

const options = { destination: 'ops', detail: 'minimal', fingerprintKey: 'k' } as const;
const alert = toAlertView(fixtureEvent('permanent_failure'), options);
const digest = toDigestView(stormEvents(25), options);
const notice = healthNotice({
  state: 'problem',
  part: 'destination',
  subject: 'ops',
  reason: 'no_service',
  affected: 3,
  since: '2026-11-20T14:03:11.000Z',
});
/** Each view, and the title every platform must show of it. */
const VIEWS: readonly [string, ChatView, string][] = [
  ['an alert', alert, alert.title],
  ['a digest', digest, digest.title],
  ['a health notice', notice, HEALTH_PREFIX],
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

  it.each(VIEWS)('renders %s on every platform, with its title', (_, view, title) => {
    for (const platform of PLATFORM_LIST) expect(JSON.stringify(platform.render(view))).toContain(title);
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
