import { isDigestView, isHealthNotice, type ChatView, isReportView } from '../../alerts';
import { renderSlack, renderSlackDigest, type SlackMessage } from './render';
import { renderSlackHealth } from './render-health';
import { renderSlackReport } from './render-report';

/** Renders an alert, a digest, a report or a health notice. */
export function renderSlackView(view: ChatView): SlackMessage {
  if (isHealthNotice(view)) return renderSlackHealth(view);
  if (isReportView(view)) return renderSlackReport(view);
  return isDigestView(view) ? renderSlackDigest(view) : renderSlack(view);
}
