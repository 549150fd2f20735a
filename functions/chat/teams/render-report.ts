import { formatCount, reportContextLine, reportFacts, reportLists, type ReportView, tidy } from '../../alerts';
import { escapeTeams } from './escape';
import { cardMessage, type TeamsAdaptiveCard, type TeamsMessage } from './render';

/**
 * A report as one Adaptive Card 1.4 in the Workflows envelope: a large title, a FactSet of counts and rates, then
 * each list as value → count facts. Every text is escaped with `escapeTeams`, as alerts are.
 */
export function renderTeamsReport(view: ReportView): TeamsMessage {
  const body: TeamsAdaptiveCard['body'] = [
    { type: 'TextBlock', text: escapeTeams(tidy(view.title, 150)), wrap: true, size: 'large', weight: 'bolder' },
    {
      type: 'FactSet',
      facts: reportFacts(view).map((fact) => ({ title: escapeTeams(fact.label), value: escapeTeams(fact.value) })),
    },
  ];
  for (const list of reportLists(view, 10)) {
    body.push({ type: 'TextBlock', text: escapeTeams(list.label), wrap: true, weight: 'bolder' });
    body.push({
      type: 'FactSet',
      facts: list.items.map((item) => ({
        title: escapeTeams(item.value),
        value: item.count !== undefined ? formatCount(item.count) : '–',
      })),
    });
  }
  body.push({
    type: 'TextBlock',
    text: escapeTeams(reportContextLine(view)),
    wrap: true,
    size: 'small',
    isSubtle: true,
  });
  return cardMessage(body);
}
