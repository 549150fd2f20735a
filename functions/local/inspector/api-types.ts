/**
 * What the inspector's endpoints answer: shared by the server and the page (type-only, so the page bundle holds
 * none of the server's code). Every text is shown with `textContent`, never parsed as HTML.
 */
import type { DestinationKind, DetailLevel } from '../../config';
import type { PreviewBody } from '../../chat/previews';
import type { AuditRecord } from '../../archive';

export interface Fact {
  readonly label: string;
  readonly value: string;
}

/** One destination's routing verdict for an event. */
export interface RoutingDecision {
  readonly destination: string;
  readonly matched: boolean;
  /** Numbers (from 1) of the config's routes that send the event there. */
  readonly routes: readonly number[];
  /** The filter-policy term that decided, in words; or why the destination receives nothing. */
  readonly term: string;
}

export type TimelineKind =
  | 'queued'
  | 'redriven'
  | 'attempt'
  | 'posted'
  | 'digest'
  | 'duplicate'
  | 'handed_back'
  | 'dead_lettered'
  | 'silenced'
  | 'dropped';

export interface TimelineEntry {
  readonly at: string;
  readonly kind: TimelineKind;
  readonly text: string;
  /** False for a failed attempt or a dead letter. */
  readonly ok: boolean;
}

export type DeliveryState = 'queued' | 'retrying' | 'posted' | 'duplicate' | 'dead_lettered' | 'silenced' | 'dropped';

export interface Delivery {
  readonly destination: string;
  readonly state: DeliveryState;
  readonly timeline: readonly TimelineEntry[];
  /** Set when the event was posted as part of a digest. */
  readonly digestKey?: string;
}

/** One webhook the relay answered (or one dead letter redriven), with what became of its event. */
export interface Receipt {
  readonly id: number;
  readonly receivedAt: string;
  readonly source: 'webhook' | 'redrive';
  /** The HTTP status of the answer; absent for a redrive. */
  readonly status?: number;
  readonly answer: string;
  readonly eventKey?: string;
  readonly eventType?: string;
  readonly senderDomain?: string;
  /** The event at the display level. */
  readonly facts?: readonly Fact[];
  readonly routing?: readonly RoutingDecision[];
  readonly deliveries?: readonly Delivery[];
}

export type HealthState = 'idle' | 'ok' | 'retrying' | 'failing';

export interface DestinationHealth {
  readonly destination: string;
  /** The platform its previews show: its configured kind, also when it has no URL. */
  readonly kind: DestinationKind;
  /** Its platform in words, as the configuration table and `validate-config` name it. */
  readonly platform: string;
  /** A chat destination without a URL: its alerts are previewed on the console, not posted. */
  readonly previewed?: boolean;
  readonly detail: DetailLevel;
  /** Host of the webhook URL (the URL itself is a credential and never shown). */
  readonly host?: string;
  readonly state: HealthState;
  readonly posted: number;
  readonly failedAttempts: number;
  readonly deadLettered: number;
  /** Records queued and not settled yet. */
  readonly inFlight: number;
  readonly lastAnswer?: string;
  readonly lastAt?: string;
}

export interface DeadLetterRow {
  readonly destination: string;
  readonly eventKey: string;
  readonly eventType: string;
  readonly reason: string;
  readonly status?: number;
  readonly failedAt: string;
}

export interface DeadLetters {
  /** False when the relay keeps its dead letters somewhere the inspector cannot read. */
  readonly readable: boolean;
  readonly letters: readonly DeadLetterRow[];
  readonly where?: string;
}

export interface ConfigReport {
  readonly source: string;
  readonly destinations: readonly {
    readonly name: string;
    readonly kind?: DestinationKind;
    /** Its platform in words: the kind, or `slack or teams` when its URL would tell. */
    readonly platform: string;
    readonly detail: DetailLevel;
    readonly host?: string;
    readonly digestWindowSeconds: number;
    readonly messagesPerSecond?: number;
  }[];
  readonly routes: readonly {
    readonly events: readonly string[];
    readonly senderDomains?: readonly string[];
    readonly to: readonly string[];
  }[];
  /** Problems of the loaded config that do not stop the relay, and of the file on disk if it changed since. */
  readonly problems: readonly string[];
  readonly verifySignatures: boolean;
}

export interface InspectorState {
  /** The most detailed level of any destination: what the page shows of an event. */
  readonly displayDetail: DetailLevel;
  readonly samples: readonly string[];
  readonly receipts: readonly Receipt[];
  readonly health: readonly DestinationHealth[];
  readonly deadLetters: DeadLetters;
  readonly config: ConfigReport;
}

/** What a destination of each kind is sent: a chat platform's body, or the console's text. */
export type { PreviewBody };

export interface Preview {
  readonly destination: string;
  readonly detail: DetailLevel;
  /** The destination's own level: what it is sent. */
  readonly configuredDetail: DetailLevel;
  /** True when values above the display level were replaced by placeholders. */
  readonly masked: boolean;
  /** A chat destination without a URL: the body is what its platform would be sent; the console printed it. */
  readonly previewed?: boolean;
  readonly alert: PreviewBody;
  /** The digest the event was posted in, as sent. */
  readonly digest?: { readonly key: string; readonly count: number; readonly body: PreviewBody };
}

/** Server-sent events of `/inspector/api/feed`: the event name, and its data. */
export interface FeedMessages {
  readonly receipt: Receipt;
  readonly health: readonly DestinationHealth[];
  readonly 'dead-letters': DeadLetters;
}

/** A silence as the inspector lists it (`GET /api/silences`). */
export interface SilenceRow {
  readonly id: string;
  /** What it matches, in words. */
  readonly matches: string;
  /** The operator's words: shown as text, never markup. */
  readonly reason: string;
  readonly createdAt: string;
  /** When it ends, or ended. */
  readonly endsAt: string;
  readonly active: boolean;
  /** Alerts it held back, every destination together. */
  readonly hidden: number;
}

/** `/api/slack-actions`: the interactivity route's answers counted since start, and the actions in the audit trail. */
export interface SlackActionsReport {
  /** `acted`, `refused` (401), `ignored` (a button the relay did not render), `failed`. */
  readonly counts: Readonly<Record<'acted' | 'refused' | 'ignored' | 'failed', number>>;
  /** Oldest first. */
  readonly actions: readonly AuditRecord[];
}
