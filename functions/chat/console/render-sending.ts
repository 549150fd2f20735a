import type { SendingNotice } from '../../alerts';
import { sendingText } from '../../alerts';

/** A sending notice for a terminal: its title, what to do, its facts; every value is already cleaned. */
export function renderConsoleSending(notice: SendingNotice): string {
  const text = sendingText(notice);
  const at = notice.sending === 'rate' ? notice.at : notice.endedAt;
  return [
    `[${at}] ${text.title}`,
    `  What to do: ${text.guidance}`,
    ...text.facts.map((fact) => `  ${fact.label}: ${fact.value}`),
    `  ${text.context}`,
  ].join('\n');
}
