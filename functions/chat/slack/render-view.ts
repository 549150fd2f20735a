import { isDigestView, isHealthNotice, type ChatView, isReportView, isSendingNotice } from '../../alerts';
import { renderSlack, renderSlackDigest, type SlackMessage } from './render';
import { renderSlackHealth } from './render-health';
import { renderSlackReport } from './render-report';
import { renderSlackSending } from './render-sending';

/** Renders an alert, a digest, a report, a health notice or a sending notice. */
export function renderSlackView(view: ChatView): SlackMessage {
  if (isHealthNotice(view)) return renderSlackHealth(view);
  if (isSendingNotice(view)) return renderSlackSending(view);
  if (isReportView(view)) return renderSlackReport(view);
  return isDigestView(view) ? renderSlackDigest(view) : renderSlack(view);
}
