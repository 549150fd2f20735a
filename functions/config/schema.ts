import * as z from 'zod/mini';
import { recordConfigShape } from './record-config';
import { healthConfigShape } from './health-config';
import { EVENT_TYPES } from '../paubox';
import { sendingConfigShape } from './sending-config';
import { DESTINATION_KINDS } from './destination-kinds';
import { DETAIL_LEVELS } from './detail-levels';
import { didYouMean } from './suggest';

/** The shape of `relay.config.json`; values are checked further, with words of their own, by parseRelayConfig. */
const NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
/** A CloudWatch dimension value of our own choosing: short, and nothing a reader could mistake. */
export const RELAY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9/_.-]{0,127}$/;
const DOMAIN_PATTERN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

export const destinationSchema = z.strictObject({
  name: z.string().check(z.regex(NAME_PATTERN)),
  kind: z.optional(z.enum(DESTINATION_KINDS)),
  detail: z.optional(z.enum(DETAIL_LEVELS)),
  url: z.optional(z.string()),
  channel: z.optional(z.string()),
  digest: z.optional(
    z.strictObject({
      windowSeconds: z.optional(z.number()),
      batchSize: z.optional(z.number()),
      minGroupSize: z.optional(z.number()),
    }),
  ),
  rateLimit: z.optional(z.strictObject({ messagesPerSecond: z.number() })),
});

/** A destination with its unknown keys dropped: checked across fields even when a key is misspelt. */
export const lenientDestinationSchema = z.object(destinationSchema.def.shape);

export const routesSchema = z
  .array(
    z.strictObject({
      events: z.array(z.enum(EVENT_TYPES)).check(z.minLength(1)),
      senderDomains: z.optional(z.array(z.string().check(z.regex(DOMAIN_PATTERN))).check(z.minLength(1))),
      to: z.array(z.string()).check(z.minLength(1)),
    }),
  )
  .check(z.minLength(1));

export const alarmsSchema = z.strictObject({
  email: z.optional(z.string()),
  topicArn: z.optional(z.string()),
  endToEndDelaySeconds: z.optional(z.number()),
});

export const relayConfigSchema = z.strictObject({
  $schema: z.optional(z.string()),
  destinations: z.array(destinationSchema).check(z.minLength(1)),
  routes: routesSchema,
  alarms: z.optional(alarmsSchema),
  paubox: z.optional(
    z.strictObject({
      apiBaseUrl: z.optional(z.string()),
      enrich: z.optional(z.boolean()),
    }),
  ),
  display: z.optional(z.strictObject({ timeZone: z.optional(z.string()) })),
  ingest: z.optional(
    z.strictObject({
      verifySignatures: z.optional(z.boolean()),
      tokenOverlapHours: z.optional(z.number().check(z.minimum(0), z.maximum(24 * 90))),
      tokenRotationDays: z.optional(z.int().check(z.minimum(1), z.maximum(1000))),
      reservedConcurrency: z.optional(z.int().check(z.minimum(1))),
      accountConcurrency: z.optional(z.int().check(z.minimum(1))),
    }),
  ),
  selfTest: z.optional(z.boolean()),
  relayId: z.optional(z.string().check(z.regex(RELAY_ID_PATTERN))),
  ...recordConfigShape,
  ...healthConfigShape,
  ...sendingConfigShape,
});

/** `destinations[0].digest` */
function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)),
    '',
  );
}

/** The value at `path` in the raw file, or undefined when it is absent. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const seg of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[seg];
  }
  return value;
}

interface SchemaNode {
  readonly _zod: {
    readonly def: {
      readonly type: string;
      readonly shape?: Record<string, SchemaNode>;
      readonly element?: SchemaNode;
      readonly innerType?: SchemaNode;
    };
  };
}

/** The keys the schema allows in the object at `path`, read from the schema itself so they never drift. */
function keysAt(path: readonly PropertyKey[]): string[] {
  let node: SchemaNode | undefined = relayConfigSchema as unknown as SchemaNode;
  const unwrap = (n: SchemaNode | undefined) => (n?._zod.def.type === 'optional' ? n._zod.def.innerType : n);
  for (const seg of path) {
    node = unwrap(node);
    node = typeof seg === 'number' ? node?._zod.def.element : node?._zod.def.shape?.[String(seg)];
  }
  return Object.keys(unwrap(node)?._zod.def.shape ?? {}).filter((k) => k !== '$schema');
}

const TYPE_WORDS: Record<string, string> = { array: 'a list', object: 'an object', int: 'a whole number' };

/**
 * Says what a schema problem means and what to write instead, with the path of the field: "is required" for a
 * missing field, the allowed values and the likely one for a wrong value, and one problem per unknown key with the
 * key it probably meant. `raw` is the file as read, to tell a missing field from a wrong one.
 */
export function explainIssue(issue: z.core.$ZodIssue, raw: unknown): string[] {
  const where = pathOf(issue.path) || '(top level)';
  const given = valueAt(raw, issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      if (given === undefined && issue.path.length > 0) return [`${where}: is required`];
      return [`${where}: expected ${TYPE_WORDS[issue.expected] ?? `a ${issue.expected}`}`];
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const hint = typeof given === 'string' ? didYouMean(given, issue.values.map(String)) : '';
      return [`${where}: expected one of ${values.join(', ')}${hint}`];
    }
    case 'unrecognized_keys': {
      const allowed = keysAt(issue.path);
      return issue.keys.map((key) => {
        const hint = didYouMean(key, allowed);
        return `${where}: unknown key ${JSON.stringify(key)}${hint || `; allowed: ${allowed.join(', ')}`}`;
      });
    }
    case 'too_small':
      return [
        issue.origin === 'number' ? `${where}: must be at least ${issue.minimum}` : `${where}: must not be empty`,
      ];
    case 'too_big':
      return [`${where}: must be at most ${issue.maximum}`];
    case 'invalid_format':
      return [
        where.includes('senderDomains')
          ? `${where}: expected a lower-case domain such as clinic.example.com`
          : `${where}: expected a name of lower-case letters, digits and dashes, starting with a letter (at most 32)`,
      ];
    default:
      return [`${where}: ${issue.message}`];
  }
}
