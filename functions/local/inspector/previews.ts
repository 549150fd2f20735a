import {
  type EventExtras,
  toAlertView,
  type AlertView,
  isDigestView,
  type ChatView,
  alertFacts,
  factValue,
} from '../../alerts';
import { APP_CHAT_KIND, renderChatBody, renderConsoleView, renderSlackApp } from '../../chat';
import { type DestinationKind, DETAIL_LEVELS, type DetailLevel } from '../../config';
import type { RelayEvent } from '../../paubox';
import type { Fact, PreviewBody } from './api-types';

const rank = (level: DetailLevel): number => DETAIL_LEVELS.indexOf(level);

/** The most detailed level of any destination, `minimal` when there is none: the most the inspector shows. */
export function displayDetailOf(destinations: readonly { readonly detail: DetailLevel }[]): DetailLevel {
  return destinations.reduce<DetailLevel>((most, d) => (rank(d.detail) > rank(most) ? d.detail : most), 'minimal');
}

export const HIDDEN = '(hidden: no destination is configured to see this)';

/**
 * A view at `view.detail` with every value above `cap` replaced by a placeholder: the layout of a more detailed
 * level can be previewed without showing what no destination may see.
 */
export function maskAbove(view: AlertView, cap: DetailLevel): { view: AlertView; masked: boolean } {
  let masked = false;
  let out: AlertView = view;
  if (rank(cap) < rank('recipient') && view.recipients !== undefined) {
    out = { ...out, recipients: view.recipients.map(() => HIDDEN) };
    masked = true;
  }
  if (rank(cap) < rank('full')) {
    if (view.subject !== undefined) {
      out = { ...out, subject: HIDDEN };
      masked = true;
    }
    if (view.customHeaders !== undefined && Object.keys(view.customHeaders).length > 0) {
      // Header names can say as much as their values.
      out = {
        ...out,
        customHeaders: Object.fromEntries(Object.keys(view.customHeaders).map((_, i) => [`header-${i + 1}`, HIDDEN])),
      };
      masked = true;
    }
  }
  return { view: out, masked };
}

/**
 * The body a destination of this kind is sent for the view, byte for byte as its sender renders it; a Slack app's
 * (`app`) with its buttons, as the first alert of a thread.
 */
export function renderBody(kind: DestinationKind, view: ChatView, app = false): PreviewBody {
  if (app) return { kind: APP_CHAT_KIND, body: renderSlackApp(view, { reply: false }) };
  return kind === 'console' ? { kind, body: renderConsoleView(view) } : renderChatBody(kind, view);
}

export interface AlertPreviewOptions {
  readonly destination: string;
  readonly kind: DestinationKind;
  /** A Slack app: its alerts carry buttons. @default false */
  readonly app?: boolean;
  readonly detail: DetailLevel;
  /** The display level: values above it are masked. */
  readonly cap: DetailLevel;
  readonly fingerprintKey: string;
  /** `display.timeZone`. @default 'UTC' */
  readonly timeZone?: string;
}

export function alertPreview(
  event: RelayEvent,
  options: AlertPreviewOptions,
  extras: EventExtras = {},
): { body: PreviewBody; masked: boolean } {
  const view = toAlertView(
    event,
    {
      destination: options.destination,
      detail: options.detail,
      fingerprintKey: options.fingerprintKey,
      ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
    },
    extras,
  );
  const { view: shown, masked } = maskAbove(view, options.cap);
  return { body: renderBody(options.kind, shown, options.app), masked };
}

/** A digest as it was sent; it is never more detailed than its destination, hence than the display level. */
export function digestPreview(kind: DestinationKind, view: ChatView): PreviewBody | undefined {
  return isDigestView(view) ? renderBody(kind, view) : undefined;
}

/** The event's facts at the display level, cleaned and cut as every renderer shows them. */
export function eventFacts(event: RelayEvent, cap: DetailLevel, fingerprintKey: string): Fact[] {
  const view = toAlertView(event, { destination: 'inspector', detail: cap, fingerprintKey });
  return alertFacts(view).map((fact) => ({ label: fact.label, value: factValue(fact) }));
}
