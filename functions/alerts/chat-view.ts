import type { AlertView } from './alert-view';
import type { DigestView } from './digest-view';

/** What a destination is sent: one alert, or a digest of many. */
export type ChatView = AlertView | DigestView;

export function isDigestView(view: ChatView): view is DigestView {
  return 'digest' in view && view.digest === true;
}
