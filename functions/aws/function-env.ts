/**
 * The environment of a Lambda function as one typed definition: the construct writes it (lib/relay/function-env.ts)
 * and the handler reads it, both from the same spec, so a variable's name is typed once. A variable that is
 * missing or malformed fails the handler at cold start, with its name.
 *
 * A spec is plain data (`as const satisfies EnvSpec`), so that a bundle keeps the spec its handler reads and drops
 * the others.
 */

interface Common {
  readonly name: string;
  /** Unset, the handler gets `undefined`; else a missing variable fails the cold start. */
  readonly optional?: boolean;
}

/** One variable: its name, and what its text must be. */
export type EnvVar =
  | (Common & { readonly type: 'text' })
  | (Common & { readonly type: 'number'; readonly min?: number; readonly whole?: boolean; readonly above?: boolean })
  | (Common & { readonly type: 'flag' })
  | (Common & { readonly type: 'oneOf'; readonly values: readonly string[] })
  | (Common & { readonly type: 'json'; readonly what: string; readonly check: (value: unknown) => boolean });

export type EnvSpec = Readonly<Record<string, EnvVar>>;

type ValueOf<V> = V extends { type: 'text' }
  ? string
  : V extends { type: 'number' }
    ? number
    : V extends { type: 'flag' }
      ? boolean
      : V extends { type: 'oneOf'; values: readonly (infer T)[] }
        ? T
        : V extends { type: 'json'; check: (value: unknown) => value is infer T }
          ? T
          : never;
type OptionalKeys<S extends EnvSpec> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type RequiredKeys<S extends EnvSpec> = Exclude<keyof S, OptionalKeys<S>>;

/** The values of a spec's variables: an optional one may be left out. */
export type EnvValues<S extends EnvSpec> = { readonly [K in RequiredKeys<S>]: ValueOf<S[K]> } & {
  readonly [K in OptionalKeys<S>]?: ValueOf<S[K]> | undefined;
};

/** The value of a variable's text; throws saying what is wrong with it (the caller adds the name). */
function parse(v: EnvVar, raw: string): unknown {
  switch (v.type) {
    case 'text':
      return raw;
    case 'flag':
      if (raw !== 'true' && raw !== 'false') throw new Error('must be true or false');
      return raw === 'true';
    case 'oneOf':
      if (!v.values.includes(raw)) throw new Error(`must be one of ${v.values.join(', ')}`);
      return raw;
    case 'number': {
      const { min = 0, whole = true, above = false } = v;
      const value = Number(raw);
      const fits = Number.isFinite(value) && (!whole || Number.isInteger(value));
      if (!fits || value < min || (above && value === min)) {
        throw new Error(`must be a ${whole ? 'whole number' : 'number'} ${above ? 'above' : 'of at least'} ${min}`);
      }
      return value;
    }
    case 'json': {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        throw new Error(`must be JSON: ${v.what}`);
      }
      if (!v.check(value)) throw new Error(`must be ${v.what}`);
      return value;
    }
  }
}

/** Reads a function's environment; throws, naming the variable, at the first one missing or malformed. */
export function readEnv<S extends EnvSpec>(spec: S, env: NodeJS.ProcessEnv = process.env): EnvValues<S> {
  const values: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(spec)) {
    const raw = env[v.name];
    if (raw === undefined || raw === '') {
      if (v.optional) continue;
      throw new Error(`environment variable ${v.name} is not set; the stack sets it, so redeploy`);
    }
    try {
      values[key] = parse(v, raw);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      // JSON may be long, and says nothing a reader needs: only the other kinds show what was found.
      const found = v.type === 'json' ? '' : `, not "${raw.slice(0, 64)}"`;
      throw new Error(`environment variable ${v.name} ${why}${found}; redeploy the stack`);
    }
  }
  return values as EnvValues<S>;
}

/** How a value of a variable becomes its text; the construct's own also resolves CloudFormation tokens. */
export type FormatValue = (v: EnvVar, value: unknown) => string;

const plainText: FormatValue = (v, value) => (v.type === 'json' ? JSON.stringify(value) : String(value));

/** The variables of `values` by name, as text. */
export function formatEnv<S extends EnvSpec>(
  spec: S,
  values: Partial<EnvValues<S>>,
  format: FormatValue = plainText,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const v = spec[key];
    if (!v) throw new Error(`no environment variable is defined for "${key}"`);
    if (value !== undefined) out[v.name] = format(v, value);
  }
  return out;
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every(isString);
}

export function isStringRecord(value: unknown): value is Readonly<Record<string, string>> {
  return isObject(value) && Object.values(value).every(isString);
}
