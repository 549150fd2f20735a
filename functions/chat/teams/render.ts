import {
  type AlertView,
  type DigestView,
  digestContextLine,
  digestFacts,
  digestGuidance,
  digestLists,
  digestSeverity,
  digestShowsFingerprints,
  formatCount,
  alertFacts,
  alertSeverity,
  alertShowsFingerprints,
  contextLine,
  factValue,
  guidanceLine,
  tidy,
  rfc3339,
  FINGERPRINT_NOTE,
  type Severity,
} from '../../alerts';
import { escapeTeams } from './escape';

/**
 * Largest serialized Teams body (UTF-8 bytes) the renderer produces. Workflows documents 28 KB;
 * cards stay under about 20 KB, well within it.
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
  color?: 'attention' | 'warning' | 'good';
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

/** Title colours: red for a hard bounce, amber for a soft one, green for deliveries, default for the rest. */
export function titleColor(severity: Severity, delivered: boolean): TeamsTextBlock['color'] {
  if (severity === 'error') return 'attention';
  if (severity === 'warning') return 'warning';
  return delivered ? 'good' : undefined;
}

export function title(text: string, color: TeamsTextBlock['color']): TeamsTextBlock {
  return {
    type: 'TextBlock',
    text: escapeTeams(tidy(text, 150)),
    wrap: true,
    size: 'large',
    weight: 'bolder',
    ...(color !== undefined ? { color } : {}),
  };
}

export function guidance(text: string): TeamsTextBlock {
  return { type: 'TextBlock', text: escapeTeams(`What to do: ${text}`), wrap: true };
}

/**
 * `{{DATE(2026-11-20T14:03:11Z, SHORT)}} {{TIME(2026-11-20T14:03:11Z)}}`: Teams shows the reader's own time.
 * Our own text, from our own epoch number: the only unescaped braces and parentheses a card holds.
 */
export function teamsDate(ms: number): string {
  const time = rfc3339(ms);
  return `{{DATE(${time}, SHORT)}} {{TIME(${time})}}`;
}

export function small(text: string): TeamsTextBlock {
  return { type: 'TextBlock', text: escapeTeams(text), wrap: true, size: 'small', isSubtle: true };
}

/**
 * Renders an alert as an Adaptive Card 1.4 inside the Workflows envelope: a large bold title (red for a hard
 * bounce, amber for a soft one, green for deliveries), what to do, a FactSet with the same facts as Slack (the
 * time as DATE/TIME functions, which Teams shows in the reader's zone), and small subtle notes.
 *
 * Every text but our own date functions is backslash-escaped with {@link escapeTeams}, so input never forms
 * markdown, a link, a `{{DATE()}}` function or an `<at>` tag. The value limits of alerts/clean-text.ts keep the
 * serialized body under {@link TEAMS_MAX_BYTES} whatever the input.
 */
export function renderTeams(view: AlertView): TeamsMessage {
  const card: TeamsAdaptiveCard = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: TEAMS_CARD_VERSION,
    body: [
      title(view.title, titleColor(alertSeverity(view), view.type === 'delivered')),
      guidance(guidanceLine(view)),
      {
        type: 'FactSet',
        facts: alertFacts(view).map((fact) => ({
          title: escapeTeams(fact.label),
          value: fact.at !== undefined ? teamsDate(fact.at) : escapeTeams(factValue(fact)),
        })),
      },
      ...(alertShowsFingerprints(view) ? [small(FINGERPRINT_NOTE)] : []),
      small(contextLine(view)),
    ],
  };
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  };
}

/** The Workflows message carrying one Adaptive Card with this body. */
export function cardMessage(body: TeamsAdaptiveCard['body']): TeamsMessage {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: TEAMS_CARD_VERSION,
          body,
        },
      },
    ],
  };
}

/** Items shown per digest list, most first: the first count whose body fits {@link TEAMS_MAX_BYTES} is used. */
const DIGEST_ITEM_STEPS = [10, 5, 3, 1] as const;

function teamsDigest(view: DigestView, maxItems: number): TeamsMessage {
  const body: TeamsAdaptiveCard['body'] = [
    title(view.title, titleColor(digestSeverity(view), view.category === 'delivered')),
    guidance(digestGuidance(view)),
    {
      type: 'FactSet',
      facts: digestFacts(view).map((fact) => ({
        title: escapeTeams(fact.label),
        value:
          fact.range === undefined
            ? escapeTeams(fact.value)
            : fact.range.from === fact.range.to
              ? teamsDate(fact.range.from)
              : `${teamsDate(fact.range.from)} to ${teamsDate(fact.range.to)}`,
      })),
    },
  ];
  for (const list of digestLists(view, maxItems)) {
    body.push({ type: 'TextBlock', text: escapeTeams(list.label), wrap: true, weight: 'bolder' });
    const counted = list.items.every((item) => item.count !== undefined);
    if (counted && list.items.length > 0) {
      body.push({
        type: 'FactSet',
        facts: list.items.map((item) => ({ title: escapeTeams(item.value), value: formatCount(item.count!) })),
      });
    } else if (list.items.length > 0) {
      // One paragraph per value; each is escaped on its own, so none can start a list or heading.
      body.push({
        type: 'TextBlock',
        text: list.items.map((item) => escapeTeams(item.value)).join('\n\n'),
        wrap: true,
      });
    }
    if (list.more !== undefined)
      body.push({ type: 'TextBlock', text: escapeTeams(list.more), wrap: true, isSubtle: true });
  }
  if (digestShowsFingerprints(view)) body.push(small(FINGERPRINT_NOTE));
  body.push(small(digestContextLine(view)));
  return cardMessage(body);
}

/**
 * Renders a digest as one Adaptive Card 1.4: a large title ("1,234 messages failed to send"), a FactSet with the
 * counts by type, time range and sender, then each list (busiest recipient domains and senders as value → count
 * facts, the first Message-IDs as lines) ending "and N more …". Every text is escaped with {@link escapeTeams}.
 * Lists are shortened until the body fits {@link TEAMS_MAX_BYTES}, so a digest of any size and content fits.
 */
export function renderTeamsDigest(view: DigestView): TeamsMessage {
  for (const maxItems of DIGEST_ITEM_STEPS) {
    const message = teamsDigest(view, maxItems);
    if (Buffer.byteLength(JSON.stringify(message), 'utf8') <= TEAMS_MAX_BYTES) return message;
  }
  // Counts, time and sender only: well under a kilobyte whatever the input.
  return teamsDigest(view, 0);
}
