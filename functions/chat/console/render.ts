import { isReportView } from '../../alerts/report-view';
import { renderConsoleReport } from './render-report';
import type { AlertView } from '../../alerts/alert-view';
import { isDigestView, isHealthNotice, type ChatView } from '../../alerts/chat-view';
import type { DigestView } from '../../alerts/digest-view';
import { digestFacts, digestLists, itemLine } from '../../alerts/digest-text';
import { alertFacts, factValue } from '../../alerts/alert-text';
import { tidy, VALUE_LIMITS } from '../../alerts/clean-text';
import { SHORT_TYPE_LABELS } from '../../alerts/event-labels';
import { renderConsoleHealth } from './render-health';

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

/**
 * Renders a digest for a terminal, with the same cleaning as {@link renderConsole}:
 *
 * ```text
 * [2026-11-20T14:03:11.482Z to 2026-11-20T14:03:30.020Z] 1,234 messages failed to send → ops-console (digest)
 *   Events: 1,234: 1,200 permanent failure, 34 temporary failure
 *   Recipient domains: patients.example.org: 1,100, other.example: 134
 *   …
 * ```
 */
export function renderConsoleDigest(view: DigestView): string {
  const L = VALUE_LIMITS;
  const head =
    `[${tidy(view.firstTime, L.time)}${view.firstTime === view.lastTime ? '' : ` to ${tidy(view.lastTime, L.time)}`}] ` +
    `${tidy(view.title, 150)} → ${tidy(view.destination, L.destination)} (digest)`;
  const lines = digestFacts(view)
    .filter((fact) => fact.label !== 'Time')
    .map((fact) => `  ${fact.label}: ${fact.value}`);
  for (const list of digestLists(view, 10)) {
    lines.push(
      `  ${list.label}: ${[...list.items.map(itemLine), ...(list.more !== undefined ? [list.more] : [])].join(', ')}`,
    );
  }
  lines.push(`  Relay: detail ${tidy(view.detail, 20)}, digest ${tidy(view.key, L.key)}`);
  return [head, ...lines].join('\n');
}

/** Renders an alert, a digest, a report or a health notice. */
export function renderConsoleView(view: ChatView): string {
  if (isHealthNotice(view)) return renderConsoleHealth(view);
  if (isReportView(view)) return renderConsoleReport(view);
  return isDigestView(view) ? renderConsoleDigest(view) : renderConsole(view);
}
