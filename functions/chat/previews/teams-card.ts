/// <reference lib="dom" />
// The card modules without the package root, which also loads a carousel and its slider library.
import { AdaptiveCard } from 'adaptivecards/lib/card-elements';
import { PICTURED } from './pictured';
import { HostConfig } from 'adaptivecards/lib/host-config';
import type { TeamsMessage } from '../teams/render';
import { h } from './dom';
import { teamsMarkdownToHtml } from './teams-markdown';

/** Close to Teams' light theme: its font, sizes and colours. */
const TEAMS_HOST_CONFIG = {
  fontFamily: "'Segoe UI', system-ui, -apple-system, sans-serif",
  supportsInteractivity: false,
  spacing: { small: 4, default: 8, medium: 12, large: 16, extraLarge: 24, padding: 12 },
  separator: { lineThickness: 1, lineColor: '#E1DFDD' },
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  containerStyles: {
    default: {
      backgroundColor: '#FFFFFF',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        accent: { default: '#5B5FC7', subtle: '#5B5FC7' },
        attention: { default: '#C4314B', subtle: '#C4314B' },
        good: { default: '#237B4B', subtle: '#237B4B' },
        warning: { default: '#835C00', subtle: '#835C00' },
        dark: { default: '#242424', subtle: '#616161' },
        light: { default: '#FFFFFF', subtle: '#F5F5F5' },
      },
    },
  },
  factSet: { title: { weight: 'bolder', wrap: true, maxWidth: 160 }, value: { wrap: true }, spacing: 12 },
};

AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = teamsMarkdownToHtml(text);
  result.didProcess = true;
};

/** The card of a Teams Workflows body, rendered by Microsoft's Adaptive Cards SDK as Teams renders it. */
export function renderTeamsMessage(message: TeamsMessage): HTMLElement {
  const card = new AdaptiveCard();
  card.hostConfig = new HostConfig(TEAMS_HOST_CONFIG);
  card.parse(message.attachments[0].content);
  const rendered = card.render();
  return h(
    'div',
    { class: `teams ${PICTURED}` },
    rendered ?? h('p', { class: 'error' }, 'The Adaptive Cards SDK could not render this card.'),
  );
}
