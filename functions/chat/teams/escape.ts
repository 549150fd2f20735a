/**
 * Backslash-escapes untrusted text for Adaptive Card markdown (TextBlock, Fact.title, Fact.value).
 *
 * Cards parse a CommonMark subset: `**bold**`, `_italic_`, `[title](url)`, `- ` / `1. ` lists at the start
 * of a line, and `{{DATE(…)}}` / `{{TIME(…)}}` functions; Teams also matches `<at>…</at>` mention tags.
 * Characters that act anywhere in a line are always escaped: `\` `` ` `` `*` `_` `{` `}` `[` `]` `(` `)`
 * `!` `|` `<` `>` `~` and `&` (so no `&lt;at&gt;` entity can turn back into a tag). `#` `+` `-` `.` only act
 * as a list or heading marker at the start of a line; since cleaned values hold no line breaks, they are
 * escaped only at the start of the text, so addresses and domains stay readable and searchable.
 */
export function escapeTeams(text: string): string {
  return text.replace(/[\\`*_{}[\]()!|<>~&]/g, '\\$&').replace(/^(\d*)([#+.-])/, '$1\\$2');
}
