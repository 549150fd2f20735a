/** Where a JSON text first breaks the grammar, and what was expected there. */
export interface JsonSyntaxProblem {
  /** 1-based, as editors count. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

class Stop extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

const LITERALS = ['true', 'false', 'null'];
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * Finds the first syntax error of a JSON text (RFC 8259), with its line and column: Node's own parser messages
 * give neither on every version. Undefined when the text is valid JSON.
 */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const found = (): string => (i >= text.length ? 'the end of the file' : `${JSON.stringify(text[i])}`);
  const fail = (expected: string): never => {
    throw new Stop(i, `expected ${expected}, found ${found()}`);
  };
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const match = (pattern: RegExp): boolean => {
    pattern.lastIndex = i;
    const m = pattern.exec(text);
    if (m) i += m[0].length;
    return m !== null;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      members(c === '{' ? '}' : ']', c === '{');
      return;
    }
    if (c === '"') {
      if (!match(STRING)) fail('a complete string (a control character, a bad escape or no closing quote)');
      return;
    }
    if (match(NUMBER)) return;
    const literal = LITERALS.find((l) => text.startsWith(l, i));
    if (literal) {
      i += literal.length;
      return;
    }
    fail('a value (a string in double quotes, a number, true, false, null, an object or an array)');
  };
  const members = (close: string, object: boolean): void => {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      space();
      if (object) {
        if (text[i] !== '"' || !match(STRING)) fail('a key in double quotes');
        space();
        if (text[i] !== ':') fail("':' after the key");
        i++;
      }
      value();
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] !== ',') fail(`',' or '${close}'`);
      i++;
      space();
      // A trailing comma, which JSON does not allow.
      if (text[i] === close) fail(object ? 'another key after the comma' : 'another value after the comma');
    }
  };
  try {
    // A byte-order mark is not JSON either; the caller strips one if it accepts it.
    value();
    space();
    if (i < text.length) fail('the end of the file after the value');
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.at).split('\n');
    return { line: before.length, column: before.at(-1)!.length + 1, message: error.message };
  }
}
