import type { AlertView } from './alert-view';
import type { DigestView } from './digest-view';
import type { HealthNotice } from './health-notice';
import type { ReportView } from './report-view';

/** What a destination is sent: one alert, a digest of many, a deliverability report, or a relay health notice. */
export type ChatView = AlertView | DigestView | ReportView | HealthNotice;

export { isHealthNotice } from './health-notice';

export function isDigestView(view: ChatView): view is DigestView {
  return 'digest' in view && view.digest === true;
}
