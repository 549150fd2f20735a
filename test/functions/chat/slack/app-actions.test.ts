import {
  decodeSlackAction,
  encodeSlackAction,
  SLACK_ACTION_IDS,
  type SlackAction,
} from '../../../../functions/chat/slack/app-actions';

describe('Slack app actions', () => {
  const actions: SlackAction[] = [
    { name: 'acknowledge', messageKey: 'trk-1' },
    { name: 'acknowledge', senderDomain: 'clinic.example' },
    { name: 'muteRecipient', messageKey: '<a@b>', fingerprint: 'r-3f2a9c01aa' },
    { name: 'muteSenderDomain', senderDomain: 'mail.clinic.example' },
    { name: 'undoSilence', silenceId: 's-0123abcd' },
  ];

  it.each(actions)('decodes what it encodes: %o', (action) => {
    const value = encodeSlackAction(action);
    expect(decodeSlackAction(SLACK_ACTION_IDS[action.name], value)).toEqual(action);
  });

  it.each([
    ['another app', 'other_action', '{"m":"x"}'],
    ['not JSON', SLACK_ACTION_IDS.acknowledge, 'm=x'],
    ['an array', SLACK_ACTION_IDS.acknowledge, '["x"]'],
    ['an address for a fingerprint', SLACK_ACTION_IDS.muteRecipient, '{"f":"jane@example.org"}'],
    ['a domain with a path', SLACK_ACTION_IDS.muteSenderDomain, '{"d":"example.org/x"}'],
    ['an acknowledgement of nothing', SLACK_ACTION_IDS.acknowledge, '{}'],
    ['a silence id of another shape', SLACK_ACTION_IDS.undoSilence, '{"s":"s-1"}'],
    ['a value over 2,000 characters', SLACK_ACTION_IDS.acknowledge, JSON.stringify({ m: 'x'.repeat(2001) })],
  ])('refuses %s', (_, id, value) => {
    expect(decodeSlackAction(id, value)).toBeUndefined();
  });

  it('keeps a button value within Slack’s limit whatever the message key', () => {
    const value = encodeSlackAction({ name: 'acknowledge', messageKey: 'k'.repeat(5000), senderDomain: 'a.example' });
    expect(value.length).toBeLessThanOrEqual(2000);
  });
});
