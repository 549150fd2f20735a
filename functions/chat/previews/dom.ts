/// <reference lib="dom" />
/** Builds elements from trusted tag names; every string child becomes a text node, never markup. */

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  readonly class?: string;
  readonly attrs?: Readonly<Record<string, string | undefined>>;
  readonly on?: Readonly<Partial<Record<keyof HTMLElementEventMap, (event: Event) => void>>>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: readonly (Child | readonly Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props?.class) element.className = props.class;
  for (const [name, value] of Object.entries(props?.attrs ?? {}))
    if (value !== undefined) element.setAttribute(name, value);
  for (const [name, listener] of Object.entries(props?.on ?? {}))
    if (listener) element.addEventListener(name, listener);
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly (Child | readonly Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? breakable(String(child)) : child);
  }
}

/** A dot or an at sign inside a word: where a domain, an address or a Message-ID may wrap. */
const INNER_SEPARATOR = /(?<=[\w-][.@])(?=[\w-])/;

/**
 * Text with a line-break opportunity (`<wbr>`) after each dot or at sign inside a word, so a narrow window wraps
 * `mail.clinic.example.com` between its labels rather than inside one. Copied text is unchanged.
 */
function breakable(text: string): Node {
  const parts = text.split(INNER_SEPARATOR);
  if (parts.length === 1) return document.createTextNode(text);
  const fragment = document.createDocumentFragment();
  for (const [i, part] of parts.entries()) {
    if (i > 0) fragment.append(document.createElement('wbr'));
    fragment.append(part);
  }
  return fragment;
}

/** Replaces an element's content. */
export function fill(parent: Element, ...children: readonly (Child | readonly Child[])[]): void {
  parent.replaceChildren();
  append(parent, children);
}
