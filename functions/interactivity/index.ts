/** Slack's buttons on app-mode alerts: verification, replays and actions; the face of interactivity/. */
export { type ActingDestination, type ActionDeps, performAction } from './act';
export { type DeployedAppDestination, deployedAppDestinations, settleWithin } from './deployed-destinations';
export { dynamoReplayStore, REPLAY_TABLE_ACTIONS, replayPk } from './dynamodb-replay-store';
export {
  type AppDestination,
  handleInteractivity,
  INTERACTIVITY_OUTCOMES,
  INTERACTIVITY_PATH,
  type InteractivityAnswer,
  type InteractivityDeps,
  type InteractivityOutcome,
  type InteractivityRequest,
} from './handle-interactivity';
export { MAX_INTERACTIVITY_BODY_BYTES, parseSlackClick, type SlackClick } from './interaction';
export { FileReplayStore, type ReplayStore } from './replay-store';
export {
  SLACK_SIGNATURE_MAX_AGE_MS,
  type SignatureCheck,
  type SigningKey,
  slackSignature,
  verifySlackSignature,
} from './slack-signature';
