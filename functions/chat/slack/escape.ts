/** Escaping of untrusted text for the places Slack parses as `mrkdwn`. */

/**
 * Slack's escaping for `mrkdwn` and the top-level `text`: `&`, `<` and `>` and nothing else.
 * Without `<`, no mention (`<!channel>`, `<@U…>`), channel link or `<url|label>` link can form.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// mrkdwn has no backslash escape, so its formatting characters are swapped for look-alikes.
const SLACK_FORMATTING: Readonly<Record<string, string>> = {
  '*': '\u2217', // ∗ asterisk operator
  _: '\uFF3F', // ＿ full-width low line
  '~': '\u223C', // ∼ tilde operator
  '`': '\u02CB', // ˋ modifier letter grave accent
};

/**
 * Untrusted text for a place Slack parses as mrkdwn and where `verbatim` cannot be set (the top-level `text`):
 * escaped as {@link escapeSlack}, with `*` `_` `~` and backquote replaced by look-alikes so no bold, italic,
 * strike or code forms.
 */
export function slackLiteral(text: string): string {
  return escapeSlack(text).replace(/[*_~`]/g, (c) => SLACK_FORMATTING[c] ?? c);
}
