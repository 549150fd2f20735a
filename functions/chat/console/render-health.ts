import { type HealthNotice, fixLine, healthText } from '../../alerts';

/** A health notice for a terminal: its title with the time, then its lines; names and codes only. */
export function renderConsoleHealth(notice: HealthNotice): string {
  const { title, lines, fix } = healthText(notice);
  return [`[${notice.since}] ${title}`, ...lines.map((l) => `  ${l}`), ...(fix.length ? [`  ${fixLine(fix)}`] : [])]
    .concat(`  Relay: notice ${notice.key}`)
    .join('\n');
}
