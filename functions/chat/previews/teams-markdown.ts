/**
 * The markdown subset Teams renders in Adaptive Card texts, turned into HTML for the Adaptive Cards SDK, which
 * sets it as `innerHTML`: so every character of input is escaped, and the only tags produced are `p`, `ul`, `ol`,
 * `li`, `strong`, `em`, `code` and a `span` for links (never an `a`: a preview must not lead anywhere).
 * Backslash escapes work as in CommonMark, which is what the relay's `escapeTeams` relies on.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

/** Index of the next unescaped `marker` at or after `from`, or -1. */
function find(text: string, marker: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\' && PUNCTUATION.test(text[i + 1] ?? '')) {
      i++;
      continue;
    }
    if (text.startsWith(marker, i)) return i;
  }
  return -1;
}

export function inlineHtml(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1] ?? '';
    if (c === '\\' && PUNCTUATION.test(next)) {
      out += escapeHtml(next);
      i++;
      continue;
    }
    if (c === '*' && next === '*' && !/\s/.test(text[i + 2] ?? ' ')) {
      const end = find(text, '**', i + 2);
      if (end > i + 2) {
        out += `<strong>${inlineHtml(text.slice(i + 2, end))}</strong>`;
        i = end + 1;
        continue;
      }
    }
    if ((c === '*' || c === '_') && next !== '' && !/\s/.test(next)) {
      const end = find(text, c, i + 1);
      if (end > i + 1 && !/\s/.test(text[end - 1]!)) {
        out += `<em>${inlineHtml(text.slice(i + 1, end))}</em>`;
        i = end;
        continue;
      }
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        out += `<code>${escapeHtml(text.slice(i + 1, end))}</code>`;
        i = end;
        continue;
      }
    }
    if (c === '[') {
      const close = find(text, '](', i + 1);
      const end = close < 0 ? -1 : find(text, ')', close + 2);
      if (close > i && end > close) {
        const url = text.slice(close + 2, end);
        out += `<span class="ac-link" title="${escapeHtml(url)}">${inlineHtml(text.slice(i + 1, close))}</span>`;
        i = end;
        continue;
      }
    }
    out += escapeHtml(c);
  }
  return out;
}

const BULLET = /^[-*+] +/;
const NUMBERED = /^\d{1,9}\. +/;

/** One paragraph per blank-line-separated block; a block whose every line is a list item becomes a list. */
export function teamsMarkdownToHtml(text: string): string {
  return text
    .split(/\n[ \t]*\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n').map((line) => line.trim());
      for (const [pattern, tag] of [
        [BULLET, 'ul'],
        [NUMBERED, 'ol'],
      ] as const) {
        if (lines.every((line) => pattern.test(line))) {
          return `<${tag}>${lines.map((line) => `<li>${inlineHtml(line.replace(pattern, ''))}</li>`).join('')}</${tag}>`;
        }
      }
      // A single line break is a soft break: it reads as a space.
      return `<p>${inlineHtml(lines.join(' '))}</p>`;
    })
    .join('');
}
