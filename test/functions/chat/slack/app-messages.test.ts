import { SLACK_ACTION_IDS } from '../../../../functions/chat/slack/app-actions';
import { acknowledgedMessage, muteReply, undoneMessage } from '../../../../functions/chat/slack/app-messages';
import { decodeSlackAction } from '../../../../functions/chat/slack/app-actions';

const AT = Date.UTC(2026, 11, 8, 9, 30);
const button = (actionId: string, value = '{}') => ({ type: 'button', action_id: actionId, value });
const actions = (...ids: string[]) => ({
  type: 'actions',
  block_id: 'relay_actions',
  elements: ids.map((id) => button(id)),
});

describe('acknowledgedMessage', () => {
  it('takes away the Acknowledge button only, and says who and when where the buttons were', () => {
    const message = {
      ts: '1.2',
      text: 'Bounce rate 6.1 %',
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Bounce rate' } }],
      attachments: [
        {
          id: 1,
          fallback: 'x',
          color: '#D40E0D',
          blocks: [{ type: 'section' }, actions(SLACK_ACTION_IDS.acknowledge, SLACK_ACTION_IDS.muteSenderDomain)],
        },
      ],
    };
    expect(acknowledgedMessage(message, 'U0PERSON1', AT)).toEqual({
      text: 'Bounce rate 6.1 %',
      blocks: message.blocks,
      attachments: [
        {
          color: '#D40E0D',
          blocks: [
            { type: 'section' },
            actions(SLACK_ACTION_IDS.muteSenderDomain),
            {
              type: 'context',
              elements: [
                {
                  type: 'mrkdwn',
                  text: 'Acknowledged by <@U0PERSON1> at <!date^1796722200^{date_short_pretty} {time}|2026-12-08 09:30 UTC>',
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('drops an actions block left empty, and never mentions what is not a user id', () => {
    const rewritten = acknowledgedMessage(
      { text: 't', blocks: [actions(SLACK_ACTION_IDS.acknowledge)] },
      '<!channel>',
      AT,
    );
    expect(rewritten.blocks).toEqual([
      { type: 'context', elements: [{ type: 'mrkdwn', text: expect.stringMatching(/^Acknowledged by someone at /) }] },
    ]);
    expect(JSON.stringify(rewritten)).not.toContain('<!channel>');
  });

  it('copes with a message of no known shape', () => {
    expect(acknowledgedMessage(undefined, 'U0PERSON1', AT).blocks).toHaveLength(1);
    expect(undoneMessage({ blocks: 'nope', attachments: [null] }, 'U0PERSON1', AT).text).toBe('');
  });
});

describe('muteReply', () => {
  it('says what is muted until when, with an Undo button holding the silence id', () => {
    const reply = muteReply({
      muted: { senderDomain: 'mail.example.com' },
      userId: 'U0PERSON1',
      silenceId: 's-0123abcd',
      untilMs: AT,
    });
    expect(reply.text).toBe('Muted sender domain mail.example.com');
    expect(JSON.stringify(reply.blocks[0])).toContain('until <!date^1796722200^');
    const [undo] = (reply.blocks[1] as { elements: { action_id: string; value: string }[] }).elements;
    expect(decodeSlackAction(undo!.action_id, undo!.value)).toEqual({ name: 'undoSilence', silenceId: 's-0123abcd' });
  });
});
