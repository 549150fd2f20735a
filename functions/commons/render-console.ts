import type { AlertView } from './alert-view';
import { alertFacts, factValue, SHORT_TYPE_LABELS, tidy, VALUE_LIMITS } from './render-text';

/**
 * Renders an alert as readable lines for a terminal (no trailing newline):
 *
 * ```text
 * [2026-11-20T14:03:11.482Z] Message failed to send → ops-console (permanent failure)
 *   Event: Permanent failure (hard bounce)
 *   Sender: appointments@mail.clinic.example.com
 *   …
 *   Relay: detail minimal, key 3f2a…
 * ```
 *
 * Every value is cleaned with `cleanText`, which removes all control characters (ESC and CSI included,
 * so input cannot move the cursor, recolour or retitle the terminal) and line breaks (so input cannot
 * forge a line of its own), and is cut to the shared value limits.
 */
export function renderConsole(view: AlertView): string {
  const head =
    `[${tidy(view.time, VALUE_LIMITS.time)}] ${tidy(view.title, 150)} → ` +
    `${tidy(view.destination, VALUE_LIMITS.destination)} (${SHORT_TYPE_LABELS[view.type]})`;
  const lines = alertFacts(view)
    // The time is already on the first line.
    .filter((fact) => fact.id !== 'time')
    .map((fact) => `  ${fact.label}: ${factValue(fact)}`);
  lines.push(`  Relay: detail ${tidy(view.detail, 20)}, key ${tidy(view.key, VALUE_LIMITS.key)}`);
  return [head, ...lines].join('\n');
}
