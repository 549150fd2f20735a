import { itemLine, reportContextLine, reportFacts, reportLists, type ReportView, tidy } from '../../alerts';

/** A report as readable lines for a terminal, cleaned as alerts are (no control characters, no line breaks). */
export function renderConsoleReport(view: ReportView): string {
  const lines = [`${tidy(view.title, 150)} → ${tidy(view.destination, 80)} (report)`];
  for (const fact of reportFacts(view)) lines.push(`  ${fact.label}: ${fact.value}`);
  for (const list of reportLists(view, 10)) lines.push(`  ${list.label}: ${list.items.map(itemLine).join(', ')}`);
  lines.push(`  ${reportContextLine(view)}`);
  return lines.join('\n');
}
