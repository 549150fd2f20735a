/** What an alert, a digest, a report or a health notice shows, platform-neutral: the face of alerts/ for other concerns. */
export {
  alertFacts,
  alertSeverity,
  alertShowsFingerprints,
  contextLine,
  factValue,
  guidanceLine,
  shortKey,
  summaryLine,
} from './alert-text';
export {
  type AdvisedRecipient,
  type AlertView,
  type EventExtras,
  recipientFingerprint,
  toAlertView,
} from './alert-view';
export { type ChatView, isDigestView, isSendingNotice } from './chat-view';
export { cleanText, cut, formatCount, tidy, VALUE_LIMITS } from './clean-text';
export {
  digestContextLine,
  digestFacts,
  digestGuidance,
  digestLists,
  type DigestList,
  digestSeverity,
  digestShowsFingerprints,
  digestSummaryLine,
  itemLine,
} from './digest-text';
export { categoryOf, type DigestView, toDigestView } from './digest-view';
export { SHORT_TYPE_LABELS } from './event-labels';
export { formatTime, parseEventTime, rfc3339 } from './event-time';
export { FINGERPRINT_NOTE, GUIDANCE, MIXED_FAILURE_GUIDANCE, type Severity } from './guidance';
export {
  decodeHealthNotice,
  HEALTH_PREFIX,
  healthNotice,
  type HealthNotice,
  type HealthPart,
  heartbeatNotice,
  isHealthNotice,
  safeCode,
} from './health-notice';
export { destinationFix, fixLine, healthText, SLACK_APP_BROKEN_ERRORS } from './health-text';
export { MAX_POSTS_PER_BATCH, type PlannedPost, planPosts } from './plan-posts';
export { reportContextLine, reportFacts, reportLists, reportSummaryLine } from './report-text';
export { isReportView, periodLabel, type ReportView, toReportView } from './report-view';
export {
  decodeSendingNotice,
  DOMAIN_NAME,
  type DomainCount,
  FINGERPRINT,
  formatBounceRate,
  type HiddenCount,
  type RateLevel,
  type RateNotice,
  type RateState,
  type SendingNotice,
  SILENCE_ID,
  sendingKey,
  type SilenceEndNotice,
  type SilenceMatch,
} from './sending-notice';
export { describeMatch, RATE_GUIDANCE, type SendingText, sendingText } from './sending-text';
