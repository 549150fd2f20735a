import type { SendingNotice } from '../../alerts';
import { sendingText } from '../../alerts';
import { escapeTeams } from './escape';
import { cardMessage, guidance, small, title, titleColor, type TeamsMessage } from './render';

/**
 * A sending notice (bounce rate, silence ended) for Teams: a coloured title (red for a rate alert, amber for a
 * warning, green once resolved), what to do, a FactSet, and the notice's key. Every text is escaped.
 */
export function renderTeamsSending(notice: SendingNotice): TeamsMessage {
  const text = sendingText(notice);
  const resolved = notice.sending === 'rate' && notice.state === 'resolved';
  return cardMessage([
    title(text.title, titleColor(text.severity, resolved)),
    guidance(text.guidance),
    {
      type: 'FactSet',
      facts: text.facts.map((fact) => ({ title: escapeTeams(fact.label), value: escapeTeams(fact.value) })),
    },
    small(text.context),
  ]);
}
