import * as z from 'zod/mini';
import { DEFAULT_HEALTH_CONFIG } from './defaults';
import type { HealthConfig } from './relay-config';

/** The `health` block's shape: where relay health notices go, and how often destinations are probed. */
export const healthConfigShape = {
  health: z.optional(
    z.strictObject({
      to: z.optional(z.array(z.string()).check(z.minLength(1))),
      probeMinutes: z.optional(z.int().check(z.minimum(5), z.maximum(1440))),
      reminderHours: z.optional(z.number().check(z.minimum(1), z.maximum(168))),
      heartbeat: z.optional(z.boolean()),
    }),
  ),
};

type RawHealth = { to?: string[]; probeMinutes?: number; reminderHours?: number; heartbeat?: boolean };

/** Resolves the `health` block's defaults; a `to` naming no destination is pushed onto `problems`. */
export function resolveHealthConfig(
  raw: RawHealth | undefined,
  names: ReadonlySet<string>,
  problems: string[],
): HealthConfig {
  (raw?.to ?? []).forEach((target, i) => {
    if (!names.has(target)) {
      problems.push(`health.to[${i}]: no destination is named "${target}" (defined: ${[...names].join(', ')})`);
    }
  });
  return {
    ...(raw?.to !== undefined ? { to: raw.to } : {}),
    probeMinutes: raw?.probeMinutes ?? DEFAULT_HEALTH_CONFIG.probeMinutes,
    reminderHours: raw?.reminderHours ?? DEFAULT_HEALTH_CONFIG.reminderHours,
    heartbeat: raw?.heartbeat ?? DEFAULT_HEALTH_CONFIG.heartbeat,
  };
}
