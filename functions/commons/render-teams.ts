import type { AlertView } from './alert-view';
import { alertFacts, contextLine, escapeTeams, factValue, tidy } from './render-text';

/**
 * Largest serialized Teams body (UTF-8 bytes) the renderer produces. Workflows documents 28 KB;
 * the spec keeps cards under about 20 KB.
 */
export const TEAMS_MAX_BYTES = 20_000;

/** Adaptive Card version that Teams Workflows renders reliably (1.5 often fails there). */
export const TEAMS_CARD_VERSION = '1.4';

export interface TeamsTextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  size?: 'large' | 'small';
  weight?: 'bolder';
  color?: 'attention' | 'good';
  isSubtle?: true;
}

export interface TeamsFact {
  title: string;
  value: string;
}

export interface TeamsFactSet {
  type: 'FactSet';
  facts: TeamsFact[];
}

export interface TeamsAdaptiveCard {
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  type: 'AdaptiveCard';
  version: typeof TEAMS_CARD_VERSION;
  body: (TeamsTextBlock | TeamsFactSet)[];
}

/** The body a Teams Workflows webhook ("When a Teams webhook request is received") accepts. */
export interface TeamsMessage {
  type: 'message';
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive';
      contentUrl: null;
      content: TeamsAdaptiveCard;
    },
  ];
}

function titleColor(view: AlertView): TeamsTextBlock['color'] {
  if (view.type === 'permanent_failure' || view.type === 'temporary_failure') return 'attention';
  if (view.type === 'delivered') return 'good';
  return undefined;
}

/**
 * Renders an alert as an Adaptive Card 1.4 inside the Workflows envelope: a large bold title
 * (red for failures, green for deliveries), a FactSet with the same facts as Slack, and a small
 * subtle context line.
 *
 * Every text is backslash-escaped with {@link escapeTeams}, so input never forms markdown, a link,
 * a `{{DATE()}}` function or an `<at>` tag. The value limits of `render-text.ts` keep the serialized
 * body under {@link TEAMS_MAX_BYTES} whatever the input.
 */
export function renderTeams(view: AlertView): TeamsMessage {
  const color = titleColor(view);
  const card: TeamsAdaptiveCard = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: TEAMS_CARD_VERSION,
    body: [
      {
        type: 'TextBlock',
        text: escapeTeams(tidy(view.title, 150)),
        wrap: true,
        size: 'large',
        weight: 'bolder',
        ...(color !== undefined ? { color } : {}),
      },
      {
        type: 'FactSet',
        facts: alertFacts(view).map((fact) => ({ title: escapeTeams(fact.label), value: escapeTeams(factValue(fact)) })),
      },
      { type: 'TextBlock', text: escapeTeams(contextLine(view)), wrap: true, size: 'small', isSubtle: true },
    ],
  };
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  };
}
