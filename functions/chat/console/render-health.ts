import type { HealthNotice } from '../../alerts/health-notice';
import { fixLine, healthText } from '../../alerts/health-text';

/** A health notice for a terminal: its title with the time, then its lines; names and codes only. */
export function renderConsoleHealth(notice: HealthNotice): string {
  const { title, lines, fix } = healthText(notice);
  return [`[${notice.since}] ${title}`, ...lines.map((l) => `  ${l}`), ...(fix.length ? [`  ${fixLine(fix)}`] : [])]
    .concat(`  Relay: notice ${notice.key}`)
    .join('\n');
}
