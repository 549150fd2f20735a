/** The local relay (npm start) and what the CLI and bench start it with: the face of local/. */
export { LocalFanout } from './fanout';
export { JOURNAL_FILE } from './journal';
export { hostileRequests, type HostileResult, MARKS, runHostileRequests } from './hostile-requests';
export { startLocalRelay } from './relay-server';
export type { LocalRelay } from './relay-types';
export { isSampleName, postSample, sampleBody, type SampleName, SAMPLES } from './samples';
export { DEFAULT_LOCAL_TOKEN, DEFAULT_PORT, localSettings } from './settings';
