import type { AuditRecord } from '../archive';
import {
  acknowledgedMessage,
  MUTE_RECIPIENT_MS,
  MUTE_SENDER_DOMAIN_MS,
  muteReply,
  type SlackAction,
  type SlackWebApi,
  undoneMessage,
} from '../chat';
import { acknowledgeRateAlert, type RateStore, type SilenceStore } from '../sending';
import type { SlackClick } from './interaction';

/** What an action needs of the relay: its stores, the destination's Web API, the audit trail and the clock. */
export interface ActionDeps {
  readonly silences: SilenceStore;
  /** Where rate alerts are kept; without it an Acknowledge of a rate alert only updates the message. */
  readonly rates?: Pick<RateStore, 'alertOf' | 'saveAlert'>;
  readonly audit: (record: AuditRecord) => Promise<void>;
  readonly now: () => number;
  /** The zone of the fallback text of date tokens. @default UTC */
  readonly timeZone?: string;
}

/** One app-mode destination, as the route acts for it. */
export interface ActingDestination {
  readonly name: string;
  readonly api: SlackWebApi;
}

/**
 * Does what a verified click asks, in order: the relay's own state first (a silence, an acknowledged rate alert),
 * then the audit line, then what Slack shows. So a Slack call that fails still leaves the mute in force and on
 * record, and the error propagates for the caller to log.
 */
export async function performAction(
  action: SlackAction,
  click: SlackClick,
  destination: ActingDestination,
  deps: ActionDeps,
): Promise<AuditRecord> {
  const nowMs = deps.now();
  const base = {
    audit: 'chat_action',
    action: action.name,
    by: click.userId,
    ...(click.teamId ? { team: click.teamId } : {}),
    destination: destination.name,
    at: new Date(nowMs).toISOString(),
  } as const;
  const where = { channel: click.channelId, ts: click.messageTs };
  const zone = deps.timeZone;
  switch (action.name) {
    case 'acknowledge': {
      // An alert's button may name its sender domain too: its rate alert, if one fires, is acknowledged with it.
      const rateAcknowledged =
        action.senderDomain !== undefined && deps.rates
          ? await acknowledgeRateAlert(deps.rates, action.senderDomain, click.userId, nowMs)
          : false;
      const changed = rateAcknowledged || action.messageKey !== undefined;
      const record: AuditRecord = {
        ...base,
        ...(action.messageKey !== undefined ? { message_key: action.messageKey } : {}),
        ...(action.senderDomain !== undefined ? { sender_domain: action.senderDomain } : {}),
        changed,
      };
      await deps.audit(record);
      await destination.api.call('chat.update', {
        ...where,
        ...acknowledgedMessage(click.message, click.userId, nowMs, zone),
      });
      return record;
    }
    case 'muteRecipient':
    case 'muteSenderDomain': {
      const recipient = action.name === 'muteRecipient';
      const silence = await deps.silences.add({
        match: recipient ? { fingerprint: action.fingerprint } : { senderDomain: action.senderDomain },
        reason: `muted from Slack by <@${click.userId}>`,
        forMs: recipient ? MUTE_RECIPIENT_MS : MUTE_SENDER_DOMAIN_MS,
        nowMs,
      });
      const record: AuditRecord = {
        ...base,
        ...(action.messageKey !== undefined ? { message_key: action.messageKey } : {}),
        ...(recipient ? { fingerprint: action.fingerprint } : { sender_domain: action.senderDomain }),
        silence_id: silence.id,
        until: silence.endsAt,
        changed: true,
      };
      await deps.audit(record);
      await destination.api.call('chat.postMessage', {
        channel: click.channelId,
        // A click in a thread reply answers in that thread; else the clicked alert starts one.
        thread_ts: click.threadTs ?? click.messageTs,
        ...muteReply({
          muted: recipient ? { fingerprint: action.fingerprint } : { senderDomain: action.senderDomain },
          userId: click.userId,
          silenceId: silence.id,
          untilMs: Date.parse(silence.endsAt),
          ...(zone !== undefined ? { timeZone: zone } : {}),
        }),
        unfurl_links: false,
        unfurl_media: false,
      });
      return record;
    }
    case 'undoSilence': {
      const ended = await deps.silences.end(action.silenceId, nowMs);
      const record: AuditRecord = { ...base, silence_id: action.silenceId, changed: ended !== undefined };
      await deps.audit(record);
      await destination.api.call('chat.update', {
        ...where,
        ...undoneMessage(click.message, click.userId, nowMs, zone),
      });
      return record;
    }
  }
}
