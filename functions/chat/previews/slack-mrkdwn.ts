/**
 * Slack's mrkdwn, parsed the way Slack displays it, into a tree the page turns into elements (never HTML).
 * Covers what a message can hold: `*bold*`, `_italic_`, `~strike~`, `` `code` ``, fenced blocks, `>` quotes,
 * `<url|label>` links, and mentions (`<!channel>`, `<!here>`, `<@U…>`, `<#C…>`), which are shown as the pings
 * they would be, so one that slipped through is visible. `&lt;` `&gt;` `&amp;` read as the characters. A date
 * token (`<!date^seconds^format|fallback>`) stays a date, for the page to show in the reader's zone.
 */
export type MrkdwnNode =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'bold' | 'italic' | 'strike'; readonly children: readonly MrkdwnNode[] }
  | { readonly type: 'code' | 'pre'; readonly text: string }
  | { readonly type: 'link'; readonly url: string; readonly label: string }
  | { readonly type: 'mention'; readonly label: string }
  | { readonly type: 'date'; readonly seconds: number; readonly format: string; readonly fallback: string }
  | { readonly type: 'quote'; readonly children: readonly MrkdwnNode[] }
  | { readonly type: 'br' };

export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const STYLES: Readonly<Record<string, 'bold' | 'italic' | 'strike'>> = { '*': 'bold', _: 'italic', '~': 'strike' };
// Emphasis opens after these (or at the start) and closes before these (or at the end).
const OPEN_AFTER = /[\s([{"'«“‘-]/;
const CLOSE_BEFORE = /[\s)\]}"'.,;:!?»”’-]/;

/** `date^seconds^format[^link]`; a token Slack could not read shows its fallback, as Slack shows it. */
function date(name: string, label: string | undefined): MrkdwnNode {
  const [, seconds = '', format] = name.split('^');
  const fallback = decodeEntities(label ?? name);
  if (!/^\d{1,12}$/.test(seconds) || format === undefined) return { type: 'text', text: fallback };
  return { type: 'date', seconds: Number(seconds), format: decodeEntities(format), fallback };
}

/** What `<…>` stands for. */
function angle(inner: string): MrkdwnNode {
  const [target = '', label] = inner.split('|', 2) as [string, string | undefined];
  if (target.startsWith('!')) {
    const name = target.slice(1);
    if (['channel', 'here', 'everyone'].includes(name)) return { type: 'mention', label: `@${name}` };
    if (name.startsWith('subteam^')) return { type: 'mention', label: label ?? `@${name.slice('subteam^'.length)}` };
    if (name.startsWith('date^')) return date(name, label);
    return { type: 'mention', label: `@${name}` };
  }
  if (target.startsWith('@')) return { type: 'mention', label: label ? `@${label.replace(/^@/, '')}` : target };
  if (target.startsWith('#')) return { type: 'mention', label: label ? `#${label.replace(/^#/, '')}` : target };
  return { type: 'link', url: decodeEntities(target), label: decodeEntities(label ?? target) };
}

function closer(text: string, char: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] !== char) continue;
    const before = text[i - 1]!;
    const after = text[i + 1];
    if (i > from && !/\s/.test(before) && (after === undefined || CLOSE_BEFORE.test(after))) return i;
  }
  return -1;
}

export function parseInline(text: string): MrkdwnNode[] {
  const nodes: MrkdwnNode[] = [];
  let run = '';
  const flush = (): void => {
    if (run) nodes.push({ type: 'text', text: decodeEntities(run) });
    run = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '<') {
      const end = text.indexOf('>', i + 1);
      if (end > i + 1) {
        flush();
        nodes.push(angle(text.slice(i + 1, end)));
        i = end;
        continue;
      }
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        nodes.push({ type: 'code', text: decodeEntities(text.slice(i + 1, end)) });
        i = end;
        continue;
      }
    }
    const style = STYLES[c];
    if (style && (i === 0 || OPEN_AFTER.test(text[i - 1]!)) && text[i + 1] !== undefined && !/\s/.test(text[i + 1]!)) {
      const end = closer(text, c, i + 1);
      if (end > i + 1) {
        flush();
        nodes.push({ type: style, children: parseInline(text.slice(i + 1, end)) });
        i = end;
        continue;
      }
    }
    run += c;
  }
  flush();
  return nodes;
}

export function parseMrkdwn(text: string): MrkdwnNode[] {
  const nodes: MrkdwnNode[] = [];
  const parts = text.split('```');
  parts.forEach((part, index) => {
    // Odd parts sit between fences (an unclosed fence stays text).
    if (index % 2 === 1 && index < parts.length - 1) {
      nodes.push({ type: 'pre', text: decodeEntities(part.replace(/^\n/, '')) });
      return;
    }
    const source = index % 2 === 1 ? `\`\`\`${part}` : part;
    source.split('\n').forEach((line, n) => {
      if (n > 0) nodes.push({ type: 'br' });
      if (line.startsWith('>')) nodes.push({ type: 'quote', children: parseInline(line.slice(1).trimStart()) });
      else nodes.push(...parseInline(line));
    });
  });
  return nodes;
}
