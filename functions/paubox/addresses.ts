/**
 * Address lists as people and mail systems write them (RFC 5322 and its common liberties): display names, quoted or
 * not, angle brackets, comments (nested too) anywhere, quoted local parts, group syntax (`Team: a@x.org, b@y.org;`),
 * `,` or `;` between addresses, a trailing dot on the domain, single-label and underscore domains, domain literals.
 */

/** One address of a list: the addr-spec and its lower-case domain (without a trailing dot). */
export interface ParsedAddress {
  readonly address: string;
  readonly domain: string;
}

type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'angle'; readonly text: string }
  | { readonly kind: 'separator' | 'group' | 'space' };

/** The end (exclusive) of the quoted string, comment or literal opened at `start`; comments nest. -1 if unclosed. */
function closing(text: string, start: number, open: string, close: string): number {
  let depth = 0;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') i++;
    else if (c === close) {
      if (depth === 0) return i + 1;
      depth--;
    } else if (c === open && open === '(') depth++;
  }
  return -1;
}

/** The index of the `>` closing the `<` at `start`, past quoted strings and comments inside; -1 if unclosed. */
function angleEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; ) {
    const c = text[i]!;
    if (c === '>') return i;
    if (c === '"' || c === '(') {
      const end = closing(text, i, c, c === '"' ? '"' : ')');
      if (end < 0) return -1;
      i = end;
    } else i += c === '\\' ? 2 : 1;
  }
  return -1;
}

function tokens(text: string): Token[] | undefined {
  const out: Token[] = [];
  let word = '';
  const endWord = () => {
    if (word !== '') out.push({ kind: 'word', text: word });
    word = '';
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '"' || c === '(' || c === '[') {
      const end = closing(text, i, c, c === '"' ? '"' : c === '(' ? ')' : ']');
      if (end < 0) return undefined;
      // A comment separates words and is not part of the address; quoted strings and literals are.
      if (c === '(') {
        endWord();
        out.push({ kind: 'space' });
      } else word += text.slice(i, end);
      i = end;
      continue;
    }
    if (c === '<') {
      const end = angleEnd(text, i);
      if (end < 0) return undefined;
      endWord();
      out.push({ kind: 'angle', text: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (c === ',' || c === ';' || c === ':') {
      endWord();
      out.push({ kind: c === ':' ? 'group' : 'separator' });
    } else if (/\s/.test(c)) {
      endWord();
      out.push({ kind: 'space' });
    } else word += c;
    i++;
  }
  endWord();
  return out;
}

const QUOTED_LOCAL = /^"(?:[^"\\\r\n]|\\.)+"$/;
const ATOM_LOCAL = /^[^\s"(),:;<>[\]\\@]+$/;
const DOMAIN = /^[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*$/u;
const DOMAIN_LITERAL = /^\[[^[\]\s\\]+\]$/;

/** `local@domain`, checked; a trailing dot of the domain is dropped. */
export function addrSpec(raw: string): ParsedAddress | undefined {
  const at = raw.lastIndexOf('@');
  if (at < 1) return undefined;
  const local = raw.slice(0, at);
  const domain = raw.slice(at + 1).replace(/\.$/, '');
  if (!QUOTED_LOCAL.test(local) && !(ATOM_LOCAL.test(local) && !/^\.|\.$/.test(local))) return undefined;
  if (!DOMAIN.test(domain) && !DOMAIN_LITERAL.test(domain)) return undefined;
  return { address: `${local}@${domain}`, domain: domain.toLowerCase() };
}

/** The addr-spec of one mailbox's tokens: the last `<…>` if any (a source route dropped), else its words. */
function mailbox(parts: readonly Token[]): ParsedAddress | undefined {
  const angles = parts.filter((t) => t.kind === 'angle');
  if (angles.length > 0) {
    const inner = tokens(angles[angles.length - 1]!.text) ?? [];
    const spec = inner.flatMap((t) => (t.kind === 'word' ? [t.text] : t.kind === 'group' ? [':'] : [])).join('');
    return addrSpec(spec.replace(/^@[^:]*:/, ''));
  }
  const words = parts.flatMap((t) => (t.kind === 'word' ? [t.text] : []));
  // A word holding a whole address, beside stray words (a name without brackets): the last such is the address.
  const alone = words
    .filter((w) => w.includes('@'))
    .map(addrSpec)
    .filter((a) => a !== undefined);
  return alone[alone.length - 1] ?? addrSpec(words.join(''));
}

/**
 * The addresses of a list, in order. A part with no `@` and no `<…>` is a piece of an unquoted display name
 * (`Lee, Jordan <j@x.org>`) and is passed over; one that looks like an address but is none runs on into the next
 * part (`@&lt;b&gt; <j@x.org>`). When a quote, comment or bracket is left open,
 * which would swallow the addresses after it, quotes and brackets are read as spaces instead. Undefined when a part
 * that looks like an address is none: the caller then names the field, never the value.
 */
export function parseAddressList(list: string): ParsedAddress[] | undefined {
  // Without its quotes and brackets, a list always reads as tokens.
  const all = tokens(list) ?? tokens(list.replace(/["()[\]]/g, ' ')) ?? tokens(list.replace(/["()[\]<>]/g, ' '))!;
  const parsed: ParsedAddress[] = [];
  let current: Token[] = [];
  /** Ends the mailbox at a separator; false when it looks like an address but is not (yet) one. */
  const end = (): boolean => {
    const addressLike = current.some((t) => t.kind === 'angle' || (t.kind === 'word' && t.text.includes('@')));
    const address = addressLike ? mailbox(current) : undefined;
    if (addressLike && !address) return false;
    if (address) parsed.push(address);
    current = [];
    return true;
  };
  for (const token of all) {
    // `Team:` opens a group: its name is no address. A `:` inside `<…>` never gets here.
    if (token.kind === 'group') current = [];
    // A part that is no address yet may be a display name holding `,` or `;`: it runs on into the next part.
    else if (token.kind === 'separator') end();
    else current.push(token);
  }
  return end() ? parsed : undefined;
}
