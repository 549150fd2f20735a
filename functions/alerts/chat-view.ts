import type { AlertView } from './alert-view';
import type { DigestView } from './digest-view';
import type { ReportView } from './report-view';

/** What a destination is sent: one alert, a digest of many, or a deliverability report. */
export type ChatView = AlertView | DigestView | ReportView;

export function isDigestView(view: ChatView): view is DigestView {
  return 'digest' in view && view.digest === true;
}
