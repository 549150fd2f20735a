import type { AlertView } from './alert-view';
import type { DigestView } from './digest-view';
import type { HealthNotice } from './health-notice';
import type { ReportView } from './report-view';
import type { SendingNotice } from './sending-notice';

/**
 * What a destination is sent: one alert, a digest of many, a deliverability report, a relay health notice, or a
 * notice about a sender (its bounce rate, or what a silence hid).
 */
export type ChatView = AlertView | DigestView | ReportView | HealthNotice | SendingNotice;

export { isHealthNotice } from './health-notice';
export { isSendingNotice } from './sending-notice';

export function isDigestView(view: ChatView): view is DigestView {
  return 'digest' in view && view.digest === true;
}
