import { toAlertView } from '../../../../functions/alerts';
import { renderTeamsView } from '../../../../functions/chat/teams/render-view';
import { teamsSender } from '../../../../functions/chat/teams/sender';
import { fixtureEvent } from '../../../support/events';
import { startFakeChatServer, TEAMS_ACCEPTED, type FakeChatServer } from '../../../support/fake-chat-server';

const view = toAlertView(fixtureEvent('permanent_failure'), {
  destination: 'ops',
  detail: 'minimal',
  fingerprintKey: 'k',
});

describe('teamsSender', () => {
  let server: FakeChatServer;
  beforeEach(async () => {
    server = await startFakeChatServer(TEAMS_ACCEPTED);
  });
  afterEach(() => server.close());

  it('posts the card as UTF-8 JSON, and takes 200 and 202 as accepted', async () => {
    server.script.push({ status: 200, body: '' });
    const sender = teamsSender(server.url, { timeoutMs: 5000 });
    await sender.send(view);
    await sender.send(view);
    expect(server.received).toHaveLength(2);
    expect(server.received[0]!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(server.received[0]!.json).toEqual(JSON.parse(JSON.stringify(renderTeamsView(view))));
  });

  it('classifies refusals: 429 with its Retry-After, 5xx for later, 4xx never', async () => {
    server.script.push(
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 502, body: '<html>Bad Gateway</html>' },
      { status: 400, body: 'WorkflowTriggerIsNotEnabled' },
    );
    const sender = teamsSender(server.url, { timeoutMs: 5000 });
    await expect(sender.send(view)).rejects.toMatchObject({
      reason: 'rate_limited',
      retryAfterSeconds: 3,
      retryable: true,
    });
    await expect(sender.send(view)).rejects.toMatchObject({ reason: 'http_502', retryable: true, status: 502 });
    await expect(sender.send(view)).rejects.toMatchObject({ reason: 'http_400', retryable: false, status: 400 });
  });

  it('calls a refused connection a network error', async () => {
    const url = server.url;
    await server.close();
    server = await startFakeChatServer(TEAMS_ACCEPTED);
    await expect(teamsSender(url, { timeoutMs: 2000 }).send(view)).rejects.toMatchObject({
      reason: 'network_error',
      retryable: true,
    });
  });
});
