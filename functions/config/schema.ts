import * as z from 'zod/mini';
import { EVENT_TYPES } from '../paubox/relay-event';
import { DESTINATION_KINDS } from './destination-kinds';
import { DETAIL_LEVELS } from './detail-levels';

/** The shape of `relay.config.json`; values are checked further, with words of their own, by parseRelayConfig. */
const NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
const DOMAIN_PATTERN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

export const relayConfigSchema = z.strictObject({
  $schema: z.optional(z.string()),
  destinations: z
    .array(
      z.strictObject({
        name: z.string().check(z.regex(NAME_PATTERN)),
        kind: z.optional(z.enum(DESTINATION_KINDS)),
        detail: z.optional(z.enum(DETAIL_LEVELS)),
        url: z.optional(z.string()),
        digest: z.optional(
          z.strictObject({
            windowSeconds: z.optional(z.number()),
            batchSize: z.optional(z.number()),
            minGroupSize: z.optional(z.number()),
          }),
        ),
        rateLimit: z.optional(z.strictObject({ messagesPerSecond: z.number() })),
      }),
    )
    .check(z.minLength(1)),
  routes: z
    .array(
      z.strictObject({
        events: z.array(z.enum(EVENT_TYPES)).check(z.minLength(1)),
        senderDomains: z.optional(z.array(z.string().check(z.regex(DOMAIN_PATTERN))).check(z.minLength(1))),
        to: z.array(z.string()).check(z.minLength(1)),
      }),
    )
    .check(z.minLength(1)),
  alarms: z.optional(
    z.strictObject({
      email: z.optional(z.string()),
      topicArn: z.optional(z.string()),
      endToEndDelaySeconds: z.optional(z.number()),
    }),
  ),
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
      reservedConcurrency: z.optional(z.int().check(z.minimum(1), z.maximum(1000))),
    }),
  ),
});

/** `destinations[0].digest` */
function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)),
    '',
  );
}

/** Says what a schema problem means and what to write instead, with the path of the field. */
export function explainIssue(issue: z.core.$ZodIssue): string {
  const where = pathOf(issue.path) || '(top level)';
  switch (issue.code) {
    case 'invalid_type':
      return `${where}: expected ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
    case 'invalid_value':
      return `${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `${where}: unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'number' ? `${where}: must be at least ${issue.minimum}` : `${where}: must not be empty`;
    case 'too_big':
      return `${where}: must be at most ${issue.maximum}`;
    case 'invalid_format':
      return where.includes('senderDomains')
        ? `${where}: expected a lower-case domain such as clinic.example.com`
        : `${where}: expected a name of lower-case letters, digits and dashes, starting with a letter (at most 32)`;
    default:
      return `${where}: ${issue.message}`;
  }
}
