import { messageAttributes } from '../../../functions/aws/message-attributes';

describe('messageAttributes', () => {
  it('gives each routing attribute as a String message attribute', () => {
    expect(messageAttributes({ event_type: 'opened', sender_domain: 'clinic.example.com' })).toEqual({
      event_type: { DataType: 'String', StringValue: 'opened' },
      sender_domain: { DataType: 'String', StringValue: 'clinic.example.com' },
    });
  });
});
