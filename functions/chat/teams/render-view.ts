import { isDigestView, isHealthNotice, type ChatView, isReportView, isSendingNotice } from '../../alerts';
import { renderTeams, renderTeamsDigest, type TeamsMessage } from './render';
import { renderTeamsHealth } from './render-health';
import { renderTeamsReport } from './render-report';
import { renderTeamsSending } from './render-sending';

/** Renders an alert, a digest, a report, a health notice or a sending notice. */
export function renderTeamsView(view: ChatView): TeamsMessage {
  if (isHealthNotice(view)) return renderTeamsHealth(view);
  if (isSendingNotice(view)) return renderTeamsSending(view);
  if (isReportView(view)) return renderTeamsReport(view);
  return isDigestView(view) ? renderTeamsDigest(view) : renderTeams(view);
}
