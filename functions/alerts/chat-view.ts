import type { AlertView } from './alert-view';
import type { DigestView } from './digest-view';
import type { HealthNotice } from './health-notice';

/** What a destination is sent: one alert, a digest of many, or a relay health notice. */
export type ChatView = AlertView | DigestView | HealthNotice;

export { isHealthNotice } from './health-notice';

export function isDigestView(view: ChatView): view is DigestView {
  return 'digest' in view && view.digest === true;
}
