import { type HealthNotice, healthText } from '../../alerts';
import { escapeTeams } from './escape';
import { cardMessage, type TeamsMessage, type TeamsTextBlock } from './render';

/** A health notice for Teams: the card's title begins with `Relay health:`; every text is escaped. */
export function renderTeamsHealth(notice: HealthNotice): TeamsMessage {
  const { title, lines, fix } = healthText(notice);
  const text = (value: string, extra: Partial<TeamsTextBlock> = {}): TeamsTextBlock => ({
    type: 'TextBlock',
    text: escapeTeams(value),
    wrap: true,
    ...extra,
  });
  const body: TeamsTextBlock[] = [
    text(title, {
      size: 'large',
      weight: 'bolder',
      // A heartbeat is good news: it shows the channel works.
      ...(notice.state === 'resolved' || notice.state === 'heartbeat' ? { color: 'good' } : { color: 'attention' }),
    }),
    ...lines.map((line) => text(line)),
    ...(fix.length > 0 ? [text('Fix:', { weight: 'bolder' }), ...fix.map((command) => text(command))] : []),
    text(`Relay: notice ${notice.key}`, { size: 'small', isSubtle: true }),
  ];
  return cardMessage(body);
}
