import { isDigestView, isHealthNotice, type ChatView, isReportView } from '../../alerts';
import { renderTeams, renderTeamsDigest, type TeamsMessage } from './render';
import { renderTeamsHealth } from './render-health';
import { renderTeamsReport } from './render-report';

/** Renders an alert, a digest, a report or a health notice. */
export function renderTeamsView(view: ChatView): TeamsMessage {
  if (isHealthNotice(view)) return renderTeamsHealth(view);
  if (isReportView(view)) return renderTeamsReport(view);
  return isDigestView(view) ? renderTeamsDigest(view) : renderTeams(view);
}
