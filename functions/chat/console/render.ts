import {
  isReportView,
  type AlertView,
  isDigestView,
  isHealthNotice,
  type ChatView,
  type DigestView,
  digestFacts,
  digestGuidance,
  digestLists,
  itemLine,
  alertFacts,
  factValue,
  guidanceLine,
  shortKey,
  tidy,
  VALUE_LIMITS,
  SHORT_TYPE_LABELS,
} from '../../alerts';
import { renderConsoleReport } from './render-report';
import { renderConsoleHealth } from './render-health';
import { isSendingNotice } from '../../alerts';
import { renderConsoleSending } from './render-sending';

/**
 * Renders an alert as readable lines for a terminal (no trailing newline):
 *
 * ```text
 * [2026-11-20 14:03 UTC] Message failed to send → ops-console (permanent failure)
 *   What to do: Paubox will not retry this message. …
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
  const facts = alertFacts(view);
  const time = facts.find((fact) => fact.id === 'time')!;
  const head =
    `[${factValue(time)}] ${tidy(view.title, 150)} → ` +
    `${tidy(view.destination, VALUE_LIMITS.destination)} (${SHORT_TYPE_LABELS[view.type]})`;
  const lines = [
    `  What to do: ${guidanceLine(view)}`,
    // The time is already on the first line.
    ...facts.filter((fact) => fact.id !== 'time').map((fact) => `  ${fact.label}: ${factValue(fact)}`),
  ];
  lines.push(`  Relay: detail ${tidy(view.detail, 20)}, key ${shortKey(view.key)}`);
  return [head, ...lines].join('\n');
}

/**
 * Renders a digest for a terminal, with the same cleaning as {@link renderConsole}:
 *
 * ```text
 * [2026-11-20 14:03 UTC to 2026-11-20 14:04 UTC] 1,234 messages failed to send → ops-console (digest)
 *   Events: 1,234: 1,200 permanent failure, 34 temporary failure
 *   Recipient domains: patients.example.org: 1,100, other.example: 134
 *   …
 * ```
 */
export function renderConsoleDigest(view: DigestView): string {
  const L = VALUE_LIMITS;
  const facts = digestFacts(view);
  const time = facts.find((fact) => fact.label === 'Time')!;
  const head = `[${time.value}] ${tidy(view.title, 150)} → ${tidy(view.destination, L.destination)} (digest)`;
  const lines = [
    `  What to do: ${digestGuidance(view)}`,
    ...facts.filter((fact) => fact !== time).map((fact) => `  ${fact.label}: ${fact.value}`),
  ];
  for (const list of digestLists(view, 10)) {
    lines.push(
      `  ${list.label}: ${[...list.items.map(itemLine), ...(list.more !== undefined ? [list.more] : [])].join(', ')}`,
    );
  }
  lines.push(`  Relay: detail ${tidy(view.detail, 20)}, digest ${shortKey(view.key)}`);
  return [head, ...lines].join('\n');
}

/** Renders an alert, a digest, a report, a health notice or a sending notice. */
export function renderConsoleView(view: ChatView): string {
  if (isHealthNotice(view)) return renderConsoleHealth(view);
  if (isSendingNotice(view)) return renderConsoleSending(view);
  if (isReportView(view)) return renderConsoleReport(view);
  return isDigestView(view) ? renderConsoleDigest(view) : renderConsole(view);
}
